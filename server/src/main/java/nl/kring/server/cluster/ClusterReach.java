package nl.kring.server.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.moderation.LocalReach;
import nl.kring.server.moderation.Reach;
import nl.kring.server.moderation.StaffAudience;
import nl.kring.server.peers.Peers;
import nl.kring.server.peers.Notice;

/**
 * {@link Reach} across the cluster: an event for a user or for a community's staff goes to the
 * sockets on this node and, in one notice, to every other node, which posts it to its own. Who of
 * the staff is connected where is soft state: each node tells the others its connected staff (ids,
 * roles, communities; never members) when it changes and at least every {@link #HEARTBEAT_MS}, and
 * forgets a node it has not heard from for {@link #EXPIRY_MS} (a node that died). So a shift of a
 * moderator connected to another node is not ended for want of a socket, and an imminent-risk
 * alert counts the staff who got it anywhere.
 */
public final class ClusterReach implements Reach {

    static final long HEARTBEAT_MS = 5_000;
    static final long EXPIRY_MS = 15_000;

    private final Vertx vertx;
    private final LocalReach local;
    private final Peers peers;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Heard> remote = new ConcurrentHashMap<>();
    private volatile List<RemoteStaff> lastTold = List.of();
    private volatile long lastToldAt;

    /** A staff member connected to another node. */
    record RemoteStaff(long userId, Role role, boolean allCommunities, Set<Long> communities, boolean totpRequired) {

        boolean reachedBy(long communityId, StaffAudience who) {
            return (allCommunities || communities.contains(communityId)) && !totpRequired
                    && who.includes(Principal.identity(userId, "", "", role));
        }

        JsonObject toJson() {
            return new JsonObject().put("user", userId).put("role", role.wireName()).put("all", allCommunities)
                    .put("communities", new JsonArray(new ArrayList<>(communities))).put("totp", totpRequired);
        }

        static RemoteStaff fromJson(JsonObject j) {
            Set<Long> communities = new HashSet<>();
            for (Object o : j.getJsonArray("communities")) {
                communities.add(((Number) o).longValue());
            }
            return new RemoteStaff(j.getLong("user"), Role.fromWireName(j.getString("role")).orElseThrow(),
                    j.getBoolean("all"), Set.copyOf(communities), j.getBoolean("totp"));
        }

        static RemoteStaff of(Principal p) {
            return new RemoteStaff(p.userId(), p.role(), p.allCommunities(), Set.copyOf(p.staffCommunities()), p.totpRequired());
        }
    }

    private record Heard(List<RemoteStaff> staff, long atNanos) {
    }

    public ClusterReach(Vertx vertx, LocalReach local, Peers peers) {
        this(vertx, local, peers, System::nanoTime);
    }

    ClusterReach(Vertx vertx, LocalReach local, Peers peers, LongSupplier nanoTime) {
        this.vertx = vertx;
        this.local = local;
        this.peers = peers;
        this.nanoTime = nanoTime;
    }

    /** Hears the other nodes and tells them this node's staff, once a second when it changed. */
    public void start() {
        peers.on(Notice.TO_USER, n -> local.toUser(n.getLong("user"), n.getString("json")));
        peers.on(Notice.TO_STAFF, n -> local.toStaff(n.getLong("community"), StaffAudience.valueOf(n.getString("who")),
                n.getString("json")));
        peers.on(Notice.REMOVE_FROM_ROOM, n -> local.removeFromRoom(n.getLong("user"), n.getLong("room"), n.getString("json")));
        peers.on(Notice.STAFF_ONLINE, n -> {
            List<RemoteStaff> staff = new ArrayList<>();
            for (Object o : n.getJsonArray("staff")) {
                staff.add(RemoteStaff.fromJson((JsonObject) o));
            }
            remote.put(n.getString("node"), new Heard(List.copyOf(staff), nanoTime.getAsLong()));
        });
        vertx.setPeriodic(1_000, id -> tellStaffOnline());
    }

    /** Tells the other nodes this node's connected staff, when it changed or the heartbeat is due; forgets silent nodes. */
    void tellStaffOnline() {
        long now = nanoTime.getAsLong();
        remote.values().removeIf(h -> now - h.atNanos > EXPIRY_MS * 1_000_000);
        List<RemoteStaff> staff = local.staffOnline().stream().map(RemoteStaff::of).toList();
        if (staff.equals(lastTold) && now - lastToldAt < HEARTBEAT_MS * 1_000_000) {
            return;
        }
        lastTold = staff;
        lastToldAt = now;
        JsonArray list = new JsonArray();
        staff.forEach(s -> list.add(s.toJson()));
        peers.tell(Notice.STAFF_ONLINE, new JsonObject().put("staff", list));
    }

    @Override
    public int toStaff(long communityId, StaffAudience who, String json) {
        int n = local.toStaff(communityId, who, json);
        peers.tell(Notice.TO_STAFF, new JsonObject().put("community", communityId).put("who", who.name()).put("json", json));
        for (Heard h : remote.values()) {
            for (RemoteStaff s : h.staff) {
                if (s.reachedBy(communityId, who)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public int toUser(long userId, String json) {
        peers.tell(Notice.TO_USER, new JsonObject().put("user", userId).put("json", json));
        return local.toUser(userId, json);
    }

    @Override
    public boolean hasSocket(long userId) {
        if (local.hasSocket(userId)) {
            return true;
        }
        for (Heard h : remote.values()) {
            for (RemoteStaff s : h.staff) {
                if (s.userId == userId) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public int removeFromRoom(long userId, long roomId, String json) {
        peers.tell(Notice.REMOVE_FROM_ROOM, new JsonObject().put("user", userId).put("room", roomId).put("json", json));
        return local.removeFromRoom(userId, roomId, json);
    }
}
