package nl.kring.server.spreekuur;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which staff are in a consultation hour's group room on this node (drop-in: they come and go
 * without closing the session), with the number of sockets each has there. Members see them by
 * badge (role) and display name only. Thread-safe.
 */
public final class HostPresence {

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
        return last[0];
    }

    /** Staff present in the room, by display name. */
    public List<Host> present(long roomId) {
        Map<Long, Entry> room = byRoom.get(roomId);
        if (room == null) {
            return List.of();
        }
        return room.values().stream().map(Entry::host).sorted(Comparator.comparing(Host::displayName)).toList();
    }

    /** How many of those present may host one-to-one talks (what the wait estimate counts). */
    public int hosts(long roomId) {
        Map<Long, Entry> room = byRoom.get(roomId);
        return room == null ? 0 : (int) room.values().stream().filter(e -> e.host().hosts()).count();
    }

    /** Present hosts over all rooms (the metrics gauge). */
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
