package nl.kring.server.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import nl.kring.server.rooms.Elsewhere;
import nl.kring.server.rooms.Room;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.spreekuur.HostPresence;
import nl.kring.server.peers.Peers;
import nl.kring.server.peers.Notice;

/**
 * Who is in each room on the other nodes (issue 9): their users online (the {@code presence}
 * count), the places their members take (capacity) and the consultation-hour staff present
 * ({@code hosts}). Soft state, like the staff online in {@link ClusterReach}: every 200 ms a node
 * tells the rooms whose counts changed, every 5 s all of its rooms (the heartbeat), and the others
 * forget a node not heard from for 15 s (a node that died). One notice per node per tick however
 * many rooms changed, never one per join.
 *
 * <p>What it costs to be soft: a count may be up to ~200 ms (one tick) plus the event bus behind;
 * a user with sockets on two nodes counts once on each; two members joining a nearly full room
 * on two nodes at the same moment may both get in (capacity is a soft limit across nodes). A
 * staff member present on two nodes counts once (hosts are matched by public id).
 */
public final class ClusterRooms implements Elsewhere, HostPresence.Elsewhere {

    static final long TELL_MS = 200;
    /** The soft-state timings of the staff online (one heartbeat, forgotten after three missed). */
    static final long HEARTBEAT_MS = ClusterReach.HEARTBEAT_MS;
    static final long EXPIRY_MS = ClusterReach.EXPIRY_MS;

    private final Vertx vertx;
    private final Peers peers;
    private final RoomRegistry rooms;
    private final HostPresence hosts;
    private final LongConsumer hostsChangedElsewhere;
    private final LongSupplier nanoTime;
    private final Set<Long> dirty = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Node> remote = new ConcurrentHashMap<>();
    /** Confined to the timer's context. */
    private long stamp;
    private long lastFullAt = Long.MIN_VALUE / 2;

    /** One room as a node told it. */
    record State(int online, int placed, List<HostPresence.Host> hosts) {

        boolean isEmpty() {
            return online == 0 && placed == 0 && hosts.isEmpty();
        }

        JsonObject toJson(long roomId) {
            JsonObject j = new JsonObject().put("room", roomId).put("online", online).put("placed", placed);
            if (!hosts.isEmpty()) {
                JsonArray list = new JsonArray();
                for (HostPresence.Host h : hosts) {
                    list.add(new JsonObject().put("id", h.publicId()).put("displayName", h.displayName())
                            .put("role", h.role()).put("hosts", h.hosts()));
                }
                j.put("hosts", list);
            }
            return j;
        }

        static State fromJson(JsonObject j) {
            List<HostPresence.Host> hosts = new ArrayList<>();
            JsonArray list = j.getJsonArray("hosts");
            if (list != null) {
                for (Object o : list) {
                    JsonObject h = (JsonObject) o;
                    hosts.add(new HostPresence.Host(h.getString("id"), h.getString("displayName"), h.getString("role"),
                            h.getBoolean("hosts")));
                }
            }
            return new State(j.getInteger("online"), j.getInteger("placed"), List.copyOf(hosts));
        }
    }

    /** What one other node last told: its rooms, the stamp of its newest notice, when it was heard. */
    private static final class Node {
        final ConcurrentHashMap<Long, State> rooms = new ConcurrentHashMap<>();
        long stamp = -1;
        volatile long heardAt;
    }

    public ClusterRooms(Vertx vertx, Peers peers, RoomRegistry rooms, HostPresence hosts, LongConsumer hostsChangedElsewhere) {
        this(vertx, peers, rooms, hosts, hostsChangedElsewhere, System::nanoTime);
    }

    ClusterRooms(Vertx vertx, Peers peers, RoomRegistry rooms, HostPresence hosts, LongConsumer hostsChangedElsewhere,
                 LongSupplier nanoTime) {
        this.vertx = vertx;
        this.peers = peers;
        this.rooms = rooms;
        this.hosts = hosts;
        this.hostsChangedElsewhere = hostsChangedElsewhere;
        this.nanoTime = nanoTime;
    }

    /** Hears the other nodes, lets the rooms and the hosts' presence count them, and tells them this node's rooms. */
    public void start() {
        peers.on(Notice.ROOM_PRESENCE, this::heard);
        rooms.elsewhere(this);
        hosts.elsewhere(this);
        vertx.setPeriodic(TELL_MS, id -> tick());
    }

    @Override
    public int online(long roomId) {
        return sum(roomId, State::online);
    }

    @Override
    public int placed(long roomId) {
        return sum(roomId, State::placed);
    }

    private int sum(long roomId, java.util.function.ToIntFunction<State> count) {
        int n = 0;
        for (Node node : remote.values()) {
            State s = node.rooms.get(roomId);
            if (s != null) {
                n += count.applyAsInt(s);
            }
        }
        return n;
    }

    @Override
    public List<HostPresence.Host> present(long roomId) {
        List<HostPresence.Host> out = new ArrayList<>();
        for (Node node : remote.values()) {
            State s = node.rooms.get(roomId);
            if (s != null) {
                out.addAll(s.hosts);
            }
        }
        return out;
    }

    @Override
    public void changedHere(long roomId) {
        dirty.add(roomId);
    }

    /** Forgets silent nodes, then tells the others what changed here (or everything, when the heartbeat is due). */
    void tick() {
        long now = nanoTime.getAsLong();
        for (Map.Entry<String, Node> e : remote.entrySet()) {
            if (now - e.getValue().heardAt > EXPIRY_MS * 1_000_000 && remote.remove(e.getKey(), e.getValue())) {
                Map<Long, State> gone = new HashMap<>(e.getValue().rooms);
                for (Map.Entry<Long, State> r : gone.entrySet()) {
                    changedThere(r.getKey(), r.getValue(), null);
                }
            }
        }
        boolean full = now - lastFullAt >= HEARTBEAT_MS * 1_000_000;
        Set<Long> told = new HashSet<>();
        for (Long id : dirty) {
            dirty.remove(id);
            told.add(id);
        }
        if (full) {
            lastFullAt = now;
            rooms.forEachActive(room -> told.add(room.id()));
            told.addAll(hosts.roomsHere());
        } else if (told.isEmpty()) {
            return;
        }
        JsonArray list = new JsonArray();
        for (long roomId : told) {
            State s = here(roomId);
            if (!full || !s.isEmpty()) {
                list.add(s.toJson(roomId));
            }
        }
        peers.tell(Notice.ROOM_PRESENCE, new JsonObject().put("stamp", ++stamp).put("full", full).put("rooms", list));
    }

    private State here(long roomId) {
        List<HostPresence.Host> present = hosts.presentHere(roomId);
        return rooms.ifActive(roomId)
                .map(room -> new State(room.onlineHere(), room.placesTakenHere(), present))
                .orElse(new State(0, 0, present));
    }

    /** Applies another node's notice: a full one replaces what it told before, a partial one changes the rooms it names. */
    void heard(JsonObject notice) {
        String from = notice.getString("node");
        long stampThere = notice.getLong("stamp");
        Node node = remote.computeIfAbsent(from, k -> new Node());
        synchronized (node) {
            if (stampThere <= node.stamp) {
                return; // an older notice overtaken by a newer one
            }
            node.stamp = stampThere;
            node.heardAt = nanoTime.getAsLong();
            Set<Long> named = new HashSet<>();
            for (Object o : notice.getJsonArray("rooms")) {
                JsonObject j = (JsonObject) o;
                long roomId = j.getLong("room");
                named.add(roomId);
                State next = State.fromJson(j);
                State before = next.isEmpty() ? node.rooms.remove(roomId) : node.rooms.put(roomId, next);
                changedThere(roomId, before, next.isEmpty() ? null : next);
            }
            if (notice.getBoolean("full")) {
                for (Long roomId : new ArrayList<>(node.rooms.keySet())) {
                    if (!named.contains(roomId)) {
                        changedThere(roomId, node.rooms.remove(roomId), null);
                    }
                }
            }
        }
    }

    /** Tells this node's members of the room when another node's count or staff there changed. */
    private void changedThere(long roomId, State before, State after) {
        int onlineBefore = before == null ? 0 : before.online;
        int onlineAfter = after == null ? 0 : after.online;
        if (onlineBefore != onlineAfter) {
            rooms.ifActive(roomId).ifPresent(room -> room.announcePresence(vertx));
        }
        List<HostPresence.Host> hostsBefore = before == null ? List.of() : before.hosts;
        List<HostPresence.Host> hostsAfter = after == null ? List.of() : after.hosts;
        if (!new HashSet<>(hostsBefore).equals(new HashSet<>(hostsAfter))) {
            hostsChangedElsewhere.accept(roomId);
        }
    }
}
