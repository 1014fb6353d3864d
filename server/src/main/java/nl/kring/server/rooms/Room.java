package nl.kring.server.rooms;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import nl.kring.server.protocol.OutFrame;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.kring.server.shared.RoomSettings;

/**
 * An active room on this node: its counters and its members, sharded by event loop so that a
 * broadcast posts one task per loop and every socket is written from its own loop.
 *
 * <p>Threading: {@link #lastSeq()} is written only by the {@link RoomPublisher} (on the message
 * writer's context), after the commit and before the broadcast is posted; a member registers in
 * its shard before it reads {@code lastSeq}, so every message reaches it either through the
 * broadcast or through the backlog it reads (see {@code docs/architecture.md}). Shard member sets
 * are confined to their loop.
 */
public final class Room {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Room.class);

    /** Presence changes within this window are sent as one event (in rooms of up to 100 users online). */
    static final long PRESENCE_DEBOUNCE_MS = 200;
    /** The longest presence window, reached at 2,500 users online. */
    static final long PRESENCE_MAX_WINDOW_MS = 5_000;

    private final long id;
    private final long communityId;
    private volatile RoomSettings settings;
    private final int epoch;
    private volatile long retainedFromSeq;
    private volatile long lastSeq;
    private final ConcurrentHashMap<Context, Shard> shards = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Integer> online = new ConcurrentHashMap<>();
    /** Sockets per user, for users who take a place (members): what capacity counts. */
    private final ConcurrentHashMap<Long, Integer> placed = new ConcurrentHashMap<>();
    private final AtomicBoolean presencePending = new AtomicBoolean();
    /** A private room's participants (its member and current host); empty for other kinds. */
    private volatile Set<Long> participants = Set.of();
    /** What other nodes of a cluster have in the room. */
    private volatile Elsewhere elsewhere = Elsewhere.NONE;

    public Room(long id, long communityId, RoomSettings settings, int epoch, long lastSeq, long retainedFromSeq) {
        this.id = id;
        this.communityId = communityId;
        this.settings = settings;
        this.epoch = epoch;
        this.lastSeq = lastSeq;
        this.retainedFromSeq = retainedFromSeq;
    }

    public long id() {
        return id;
    }

    public String wireId() {
        return Long.toString(id);
    }

    public long communityId() {
        return communityId;
    }

    /** The admin's settings as of now; they change as a whole ({@link #update}). */
    public RoomSettings settings() {
        return settings;
    }

    /**
     * Applies new settings (an admin changed the room, here or on another node); any thread. When
     * they differ from the old ones every member on this node is asked to check itself again
     * ({@link RoomMember#settingsChanged}): an archived room, narrowed age bands or another region
     * take effect for the sockets already inside, not only at their next join.
     */
    public void update(RoomSettings next) {
        RoomSettings before = this.settings;
        this.settings = next;
        if (!next.equals(before)) {
            recheckMembers();
        }
    }

    /** Posts {@link RoomMember#settingsChanged} to every member, on its own loop; one member's failure costs the others nothing. */
    private void recheckMembers() {
        for (Shard shard : shards.values()) {
            shard.context.runOnContext(v -> {
                for (RoomMember m : List.copyOf(shard.members)) {
                    try {
                        m.settingsChanged();
                    } catch (RuntimeException e) {
                        log.warn("settings check of one member failed [room: {}, error: {}]", id, e.getClass().getSimpleName());
                    }
                }
            });
        }
    }

    /** Whether the user is one of a private room's participants. */
    public boolean isParticipant(long userId) {
        return participants.contains(userId);
    }

    /** A private room's participants (its member and current host); empty for other kinds. */
    public Set<Long> participants() {
        return participants;
    }

    /** Sets a private room's participants (when it is loaded, and when a talk is handed to another host); any thread. */
    public void participants(Set<Long> userIds) {
        this.participants = Set.copyOf(userIds);
    }

    /** Lets the room count what other nodes of a cluster have in it (set when it is loaded). */
    public void elsewhere(Elsewhere others) {
        this.elsewhere = others;
    }

    /** Places taken in the room by members, on this node and (as last told) on the others: what capacity limits. */
    public int placesTaken() {
        return placed.size() + elsewhere.placed(id);
    }

    /** Places taken by members on this node (what this node tells the others). */
    public int placesTakenHere() {
        return placed.size();
    }

    /** Whether a user has a socket in the room on this node. */
    public boolean isOnline(long userId) {
        return online.containsKey(userId);
    }

    public int epoch() {
        return epoch;
    }

    public long retainedFromSeq() {
        return retainedFromSeq;
    }

    /** Older messages were deleted by retention: history stops and resume resets below this seq. */
    public void retainFrom(long seq) {
        if (seq > retainedFromSeq) {
            retainedFromSeq = seq;
        }
    }

    /** Seq of the newest message delivered on this node. */
    public long lastSeq() {
        return lastSeq;
    }

    /**
     * Publishes committed messages (ascending, contiguous after {@link #lastSeq()}): advances
     * {@code lastSeq} first, then posts them to every shard. Called by the {@link RoomPublisher}
     * only, always from its one context, so broadcasts leave in seq order.
     */
    public void publish(List<nl.kring.server.shared.StoredMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        lastSeq = messages.get(messages.size() - 1).seq();
        broadcast(deliveries(messages));
    }

    /** Distinct users with a socket in the room on this node plus those the other nodes last told of. */
    public int online() {
        return online.size() + elsewhere.online(id);
    }

    /** Distinct users with a socket in the room on this node. */
    public int onlineHere() {
        return online.size();
    }

    /** Adds a member; call on the member's event loop ({@code context}). */
    public void add(Context context, RoomMember member, Vertx vertx) {
        shards.computeIfAbsent(context, Shard::new).members.add(member);
        if (member.takesAPlace()) {
            placed.merge(member.userId(), 1, Integer::sum);
        }
        if (online.merge(member.userId(), 1, Integer::sum) == 1) {
            presenceChanged(vertx);
        }
    }

    /** Removes a member; call on the member's event loop. */
    public void remove(Context context, RoomMember member, Vertx vertx) {
        Shard shard = shards.get(context);
        if (shard == null || !shard.members.remove(member)) {
            return;
        }
        if (member.takesAPlace()) {
            placed.computeIfPresent(member.userId(), (k, n) -> n == 1 ? null : n - 1);
        }
        if (online.computeIfPresent(member.userId(), (k, n) -> n == 1 ? null : n - 1) == null) {
            presenceChanged(vertx);
        }
    }

    /** Whether anyone is in the room on this node. */
    public boolean isEmpty() {
        return online.isEmpty();
    }

    /**
     * Posts messages (ascending seq, each encoded once) to every shard, one task per event loop.
     * One member's failure never costs the others a message: without the isolation, a socket
     * that closed mid-broadcast made every member after it on that loop miss the message (found
     * by the load generator's reconnect storm; see {@code RoomBroadcastTest}).
     */
    private void broadcast(List<Delivery> deliveries) {
        for (Shard shard : shards.values()) {
            shard.context.runOnContext(v -> {
                for (RoomMember m : List.copyOf(shard.members)) {
                    try {
                        for (Delivery d : deliveries) {
                            m.deliver(d.seq(), d.frame());
                        }
                    } catch (RuntimeException e) {
                        log.warn("delivery to one member failed [room: {}, error: {}]", id, e.getClass().getSimpleName());
                    }
                }
            });
        }
    }

    /**
     * Tells every member that a message was redacted. Goes through each subscription's own path
     * ({@link RoomMember#redacted}) so that a socket in the middle of a resume gets it after the
     * backlog, never before the message it redacts.
     */
    public void broadcastRedaction(long seq, String json) {
        OutFrame frame = OutFrame.of(json);
        for (Shard shard : shards.values()) {
            shard.context.runOnContext(v -> {
                for (RoomMember m : shard.members) {
                    m.redacted(seq, frame);
                }
            });
        }
    }

    /** Posts an event to every member except the sockets of {@code exceptUserId} (-1: none). */
    public void broadcastEvent(String json, long exceptUserId) {
        OutFrame frame = OutFrame.of(json);
        for (Shard shard : shards.values()) {
            shard.context.runOnContext(v -> {
                for (RoomMember m : shard.members) {
                    if (m.userId() != exceptUserId) {
                        m.event(frame);
                    }
                }
            });
        }
    }

    /** Total member sockets, for the deliveries meter; any thread, approximate while members come and go. */
    public int memberSockets() {
        int n = 0;
        for (Shard s : shards.values()) {
            n += s.members.size();
        }
        return n;
    }

    private void presenceChanged(Vertx vertx) {
        elsewhere.changedHere(id);
        announcePresence(vertx);
    }

    /**
     * Sends the members on this node a {@code presence} event with the count as of one
     * {@link #presenceWindowMillis window} from now (changes within it are one event); any thread.
     */
    public void announcePresence(Vertx vertx) {
        if (presencePending.compareAndSet(false, true)) {
            vertx.setTimer(presenceWindowMillis(online()), t -> {
                presencePending.set(false);
                broadcastEvent(new JsonObject().put("type", "presence").put("room", wireId())
                        .put("online", online()).encode(), -1);
            });
        }
    }

    /**
     * Every presence event goes to every member, and in a big room users come and go all the time:
     * with a fixed 200 ms window a room of 10,000 sent up to 50,000 presence frames a second (and as
     * many during a ramp or a reconnect storm). The window grows by 2 ms per user online, so a room
     * sends at most about 500 presence frames a second up to 2,500 users, and one event per 5 s beyond.
     */
    static long presenceWindowMillis(int online) {
        return Math.max(PRESENCE_DEBOUNCE_MS, Math.min(PRESENCE_MAX_WINDOW_MS, 2L * online));
    }

    /** One message ready for the wire, encoded once for every member. */
    public record Delivery(long seq, OutFrame frame) {
    }

    /** The members of one event loop. The set is touched only on that loop. */
    private static final class Shard {
        final Context context;
        final Set<RoomMember> members = new LinkedHashSet<>();

        Shard(Context context) {
            this.context = context;
        }
    }

    /** Collects messages for one broadcast (used by the writer). */
    static List<Delivery> deliveries(List<nl.kring.server.shared.StoredMessage> messages) {
        List<Delivery> out = new ArrayList<>(messages.size());
        for (var m : messages) {
            out.add(new Delivery(m.seq(), OutFrame.of(m.toJson().encode())));
        }
        return out;
    }
}
