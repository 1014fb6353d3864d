package nl.kring.server.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.spreekuur.HostPresence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import nl.kring.server.peers.Peers;
import nl.kring.server.peers.Notice;

/**
 * The consultation-hour staff present on other nodes ({@link ClusterRooms}), as plain objects: two
 * nodes joined by an in-memory {@link Peers} (the clustered event bus itself is ClusterTest's), a
 * clock the test moves. No room is active on either node, so only the hosts' presence is exercised
 * here; the online counts and capacity over real nodes are in ClusterTest.
 */
class ClusterRoomsTest {

    static final long ROOM = 7;
    static final HostPresence.Host ANNA = new HostPresence.Host("p-anna", "Anna", "professional", true);
    static final HostPresence.Host BOB = new HostPresence.Host("p-bob", "Bob", "peer_expert", true);

    /** Two nodes whose notices reach each other at once, in order. */
    static final class Wire {
        final Map<String, Map<Notice, Consumer<JsonObject>>> handlers = new HashMap<>();

        Peers node(String tag) {
            handlers.put(tag, new HashMap<>());
            return new Peers() {
                @Override
                public String node() {
                    return tag;
                }

                @Override
                public void tell(Notice notice, JsonObject body) {
                    handlers.forEach((other, on) -> {
                        if (!other.equals(tag) && on.containsKey(notice)) {
                            on.get(notice).accept(body.copy().put("node", tag));
                        }
                    });
                }

                @Override
                public void on(Notice notice, Consumer<JsonObject> handler) {
                    handlers.get(tag).put(notice, handler);
                }

                @Override
                public Future<JsonObject> ask(String node, Notice notice, JsonObject body) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void answer(Notice notice, Function<JsonObject, Future<JsonObject>> handler) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    final AtomicLong clock = new AtomicLong();
    final Wire wire = new Wire();
    final HostPresence hostsA = new HostPresence();
    final HostPresence hostsB = new HostPresence();
    final List<Long> toldB = new ArrayList<>();
    final ClusterRooms a = node("a", hostsA, new ArrayList<>());
    final ClusterRooms b = node("b", hostsB, toldB);

    ClusterRooms node(String tag, HostPresence hosts, List<Long> hostsChanged) {
        Peers peers = wire.node(tag);
        RoomRegistry noActiveRooms = new RoomRegistry(null, null, null, null, 0);
        ClusterRooms rooms = new ClusterRooms(null, peers, noActiveRooms, hosts, hostsChanged::add, clock::get);
        peers.on(Notice.ROOM_PRESENCE, rooms::heard);
        hosts.elsewhere(rooms);
        return rooms;
    }

    @Test
    void aHostPresentOnOneNodeIsPresentOnTheOtherOnceAndGoneWhenTheyLeave() {
        a.tick(); // the first tick of each node is a full one
        b.tick();
        // GIVEN Anna present in the room on node a only
        hostsA.entered(ROOM, 1, ANNA);
        assertThat(hostsB.present(ROOM)).as("not told yet").isEmpty();
        // WHEN node a ticks THEN node b counts her and tells its members of the room
        clock.addAndGet(ClusterRooms.TELL_MS * 1_000_000);
        a.tick();
        assertThat(hostsB.present(ROOM)).containsExactly(ANNA);
        assertThat(hostsB.hosts(ROOM)).isEqualTo(1);
        assertThat(toldB).containsExactly(ROOM);
        // AND with Anna on node b as well (a second device) and Bob on b, she counts once
        hostsB.entered(ROOM, 1, ANNA);
        hostsB.entered(ROOM, 2, BOB);
        assertThat(hostsB.present(ROOM)).containsExactly(ANNA, BOB);
        assertThat(hostsB.hosts(ROOM)).isEqualTo(2);
        assertThat(hostsB.total()).as("the gauge counts this node's own").isEqualTo(2);
        // WHEN Anna leaves on node a THEN node b still has her (her socket there) and hears the change
        hostsA.left(ROOM, 1);
        a.tick();
        assertThat(toldB).containsExactly(ROOM, ROOM);
        assertThat(hostsB.present(ROOM)).containsExactly(ANNA, BOB);
        hostsB.left(ROOM, 1);
        assertThat(hostsB.present(ROOM)).containsExactly(BOB);
    }

    @Test
    void aNodeNotHeardForFifteenSecondsIsForgottenAndAnOlderNoticeNeverUndoesANewerOne() {
        hostsA.entered(ROOM, 1, ANNA);
        a.tick();
        assertThat(hostsB.present(ROOM)).containsExactly(ANNA);
        // an older notice arriving late (an event bus may reorder two sends) is ignored
        b.heard(new JsonObject().put("node", "a").put("stamp", 0).put("full", true).put("rooms", new io.vertx.core.json.JsonArray()));
        assertThat(hostsB.present(ROOM)).containsExactly(ANNA);
        // WHEN node a goes silent (killed) for longer than the expiry THEN node b forgets what it told
        clock.addAndGet((ClusterRooms.EXPIRY_MS + 1) * 1_000_000);
        b.tick();
        assertThat(hostsB.present(ROOM)).isEmpty();
        assertThat(toldB).containsExactly(ROOM, ROOM);
    }

    @Test
    void aFullNoticeDropsTheRoomsItNoLongerNames() {
        hostsA.entered(ROOM, 1, ANNA);
        hostsA.entered(ROOM + 1, 1, ANNA);
        a.tick();
        assertThat(hostsB.present(ROOM + 1)).containsExactly(ANNA);
        // the change for room 8 is lost (as the event bus may lose a notice); the next heartbeat repairs it
        hostsA.left(ROOM + 1, 1);
        b.heard(new JsonObject().put("node", "a").put("stamp", 1_000).put("full", true).put("rooms",
                new io.vertx.core.json.JsonArray().add(new JsonObject().put("room", ROOM).put("online", 0).put("placed", 0)
                        .put("hosts", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "p-anna")
                                .put("displayName", "Anna").put("role", "professional").put("hosts", true))))));
        assertThat(hostsB.present(ROOM + 1)).isEmpty();
        assertThat(hostsB.present(ROOM)).containsExactly(ANNA);
    }
}
