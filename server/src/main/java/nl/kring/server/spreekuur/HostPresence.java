package nl.kring.server.spreekuur;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which staff are in a consultation hour's group room (drop-in: they come and go without closing
 * the session): those on this node, with the number of sockets each has here, and in a cluster
 * those the other nodes last told of ({@link Elsewhere}); one staff member present on two nodes
 * counts once. Members see them by badge (role) and display name only. Thread-safe.
 */
public final class HostPresence {

    /** The staff present in a room on other nodes of a cluster, as they last told it. */
    public interface Elsewhere {
        List<Host> present(long roomId);

        /** The staff present on this node changed: the other nodes are to be told. */
        void changedHere(long roomId);

        Elsewhere NONE = new Elsewhere() {
            @Override
            public List<Host> present(long roomId) {
                return List.of();
            }

            @Override
            public void changedHere(long roomId) {
            }
        };
    }

    private volatile Elsewhere elsewhere = Elsewhere.NONE;

    /** Lets the presence count the staff on other nodes of a cluster. */
    public void elsewhere(Elsewhere others) {
        this.elsewhere = others;
    }

    /** One staff member present: their public id, display name and role, and whether they may host one-to-one talks. */
    public record Host(String publicId, String displayName, String role, boolean hosts) {
        JsonObject toJson() {
            return new JsonObject().put("id", publicId).put("displayName", displayName).put("role", role);
        }
    }

    private final ConcurrentHashMap<Long, ConcurrentHashMap<Long, Entry>> byRoom = new ConcurrentHashMap<>();

    private record Entry(Host host, int sockets) {
    }

    /** A staff socket joined the room; true when this made the staff member present. */
    public boolean entered(long roomId, long userId, Host host) {
        boolean[] first = {false};
        byRoom.computeIfAbsent(roomId, k -> new ConcurrentHashMap<>()).compute(userId, (k, e) -> {
            first[0] = e == null;
            return new Entry(host, e == null ? 1 : e.sockets() + 1);
        });
        if (first[0]) {
            elsewhere.changedHere(roomId);
        }
        return first[0];
    }

    /** A staff socket left the room (or closed); true when the staff member is no longer present. */
    public boolean left(long roomId, long userId) {
        boolean[] last = {false};
        Map<Long, Entry> room = byRoom.get(roomId);
        if (room == null) {
            return false;
        }
        room.computeIfPresent(userId, (k, e) -> {
            if (e.sockets() > 1) {
                return new Entry(e.host(), e.sockets() - 1);
            }
            last[0] = true;
            return null;
        });
        if (last[0]) {
            elsewhere.changedHere(roomId);
        }
        return last[0];
    }

    /** Staff present in the room on this node or another, each once, by display name. */
    public List<Host> present(long roomId) {
        Map<String, Host> all = new java.util.LinkedHashMap<>();
        for (Host h : presentHere(roomId)) {
            all.put(h.publicId(), h);
        }
        for (Host h : elsewhere.present(roomId)) {
            all.putIfAbsent(h.publicId(), h);
        }
        return all.values().stream().sorted(Comparator.comparing(Host::displayName)).toList();
    }

    /** Staff present in the room on this node (what this node tells the others). */
    public List<Host> presentHere(long roomId) {
        Map<Long, Entry> room = byRoom.get(roomId);
        if (room == null) {
            return List.of();
        }
        return room.values().stream().map(Entry::host).toList();
    }

    /** The rooms with staff present on this node. */
    public java.util.Set<Long> roomsHere() {
        java.util.Set<Long> out = new java.util.HashSet<>();
        byRoom.forEach((roomId, room) -> {
            if (!room.isEmpty()) {
                out.add(roomId);
            }
        });
        return out;
    }

    /** How many of those present (on any node) may host one-to-one talks (what the wait estimate counts). */
    public int hosts(long roomId) {
        return (int) present(roomId).stream().filter(Host::hosts).count();
    }

    /** Present hosts over all rooms on this node (the metrics gauge). */
    public int total() {
        int n = 0;
        for (Map<Long, Entry> room : byRoom.values()) {
            n += room.size();
        }
        return n;
    }

    /** The protocol's {@code hosts} list. */
    public JsonArray toJson(long roomId) {
        JsonArray out = new JsonArray();
        present(roomId).forEach(h -> out.add(h.toJson()));
        return out;
    }
}
