package nl.kring.server.rooms;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ConcurrentHashMap;
import nl.kring.server.peers.Notice;
import nl.kring.server.peers.Peers;
import nl.kring.server.db.Database;
import nl.kring.server.shared.StoredMessage;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;

/**
 * The active rooms of this node: one {@link Room} object per room id, loaded on first use
 * together with its newest messages for the history cache. Thread-safe.
 */
public final class RoomRegistry {

    /** Tries of a room's first load when the pool stayed busy (each waited {@code Database.POOL_WAIT_SECONDS}). */
    static final int LOAD_ATTEMPTS = 3;

    private final Database db;
    private final RoomRepository rooms;
    private final MessageRepository messages;
    private final HistoryCache cache;
    private final int seedSize;
    private final ConcurrentHashMap<Long, Future<Room>> active = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder retriedLoads = new java.util.concurrent.atomic.LongAdder();
    private volatile Peers peers = Peers.ALONE;
    private volatile Elsewhere elsewhere = Elsewhere.NONE;

    public RoomRegistry(Database db, RoomRepository rooms, MessageRepository messages, HistoryCache cache, int seedSize) {
        this.db = db;
        this.rooms = rooms;
        this.messages = messages;
        this.cache = cache;
        this.seedSize = seedSize;
    }

    /** The active room by its wire id; {@code not_found} for ids that are not numbers or not rooms. */
    public Future<Room> get(String wireId) {
        long id;
        try {
            id = Long.parseLong(wireId);
        } catch (NumberFormatException e) {
            return Future.failedFuture(notFound());
        }
        Future<Room> existing = active.get(id);
        if (existing != null && !existing.failed()) {
            return existing;
        }
        Future<Room> loading = active.compute(id, (k, f) -> f != null && !f.failed() ? f : load(k));
        return loading;
    }

    private Future<Room> load(long id) {
        return load(id, 1);
    }

    /**
     * Loads a room and its newest messages. Every join to a room not yet loaded waits on this one
     * load, so when it gave up waiting for a pooled connection (a busy pool in a ramp or a storm,
     * not an outage) it is queued again, up to {@link #LOAD_ATTEMPTS} times, instead of answering all
     * of those joins {@code unavailable} at once (the smoke scenario's cold ramp of 2,000 sessions
     * had 586 joins refused that way, each retried by its client: more queries, not fewer).
     */
    private Future<Room> load(long id, int attempt) {
        return rooms.load(id)
                .compose(found -> {
                    if (found.isEmpty()) {
                        return Future.failedFuture(notFound());
                    }
                    found.get().elsewhere(elsewhere);
                    return seed(found.get());
                })
                .recover(t -> {
                    if (attempt < LOAD_ATTEMPTS && Database.isPoolBusy(t)) {
                        retriedLoads.increment();
                        return load(id, attempt + 1);
                    }
                    return Future.failedFuture(db.failure(t));
                });
    }

    /** How often a room's load was queued again after a busy pool (operators' gauge; tests). */
    public long retriedLoads() {
        return retriedLoads.sum();
    }

    /** Lets every room count what the other nodes of a cluster have in it (their users online, places taken). */
    public void elsewhere(Elsewhere others) {
        this.elsewhere = others;
        forEachActive(room -> room.elsewhere(others));
    }

    private Future<Room> seed(Room room) {
        if (seedSize == 0 || room.lastSeq() == 0) {
            return Future.succeededFuture(room);
        }
        return messages.range(room.id(), Math.max(0, room.lastSeq() - seedSize), room.lastSeq())
                .map(list -> {
                    cache.seed(room.id(), list);
                    return room;
                });
    }

    /** The room if it is active on this node and loaded (to apply changed settings or a redaction). */
    public java.util.Optional<Room> ifActive(long id) {
        Future<Room> f = active.get(id);
        return f != null && f.succeeded() ? java.util.Optional.of(f.result()) : java.util.Optional.empty();
    }

    /**
     * A committed message was redacted (reason {@code author} or {@code moderation}): the history
     * cache forgets its body and the room's members on this node get a {@code redacted} event,
     * through their subscriptions so that a socket in the middle of a resume gets it after the message.
     */
    public void redacted(long roomId, long seq, String reason) {
        redactedHere(roomId, seq, reason);
        peers.tell(Notice.REDACTED, new JsonObject().put("room", roomId).put("seq", seq).put("reason", reason));
    }

    private void redactedHere(long roomId, long seq, String reason) {
        cache.redact(roomId, seq, reason);
        ifActive(roomId).ifPresent(room -> room.broadcastRedaction(seq, StoredMessage.redactedEvent(roomId, seq, reason)));
    }

    /** A message hidden pending review is shown again: the cache takes it back and members get a {@code restored} event. */
    public void restored(StoredMessage message) {
        restoredHere(message);
        peers.tell(Notice.RESTORED, new JsonObject().put("message", message.toJson()));
    }

    private void restoredHere(StoredMessage message) {
        cache.replace(message.roomId(), message);
        String json = message.toJson().put("type", "restored").encode();
        ifActive(message.roomId()).ifPresent(room -> room.broadcastRedaction(message.seq(), json));
    }

    /** Posts an event to the room's members on every node, except the sockets of {@code exceptUserId} (-1: none). */
    public void event(long roomId, String json, long exceptUserId) {
        ifActive(roomId).ifPresent(room -> room.broadcastEvent(json, exceptUserId));
        peers.tell(Notice.ROOM_EVENT, new JsonObject().put("room", roomId).put("json", json).put("except", exceptUserId));
    }

    /**
     * A room's stored settings, participants or retention changed (the caller has applied the change
     * to this node's copy): the other nodes of a cluster read the room again.
     */
    public void changed(long roomId) {
        peers.tell(Notice.ROOM_CHANGED, new JsonObject().put("room", roomId));
    }

    private void reloadHere(long roomId) {
        if (ifActive(roomId).isEmpty()) {
            return;
        }
        rooms.load(roomId).onSuccess(found -> found.ifPresent(stored -> ifActive(roomId).ifPresent(room -> {
            room.participants(stored.participants());
            room.update(stored.settings());     // after the participants: its members check themselves against both
            room.retainFrom(stored.retainedFromSeq());
        })));
    }

    /** Hears the rooms' changes, redactions and events from the other nodes of a cluster. */
    public void joinCluster(Peers cluster) {
        this.peers = cluster;
        cluster.on(Notice.REDACTED, n -> redactedHere(n.getLong("room"), n.getLong("seq"), n.getString("reason")));
        cluster.on(Notice.RESTORED, n -> restoredHere(StoredMessage.fromJson(n.getJsonObject("message"))));
        cluster.on(Notice.ROOM_EVENT, n -> ifActive(n.getLong("room"))
                .ifPresent(room -> room.broadcastEvent(n.getString("json"), n.getLong("except"))));
        cluster.on(Notice.ROOM_CHANGED, n -> reloadHere(n.getLong("room")));
    }

    /** Every loaded room on this node (to tell the rooms of a community that its coverage changed). */
    public void forEachActive(java.util.function.Consumer<Room> action) {
        for (Future<Room> f : active.values()) {
            if (f.succeeded()) {
                action.accept(f.result());
            }
        }
    }

    /**
     * The active rooms whose stored last seq (PostgreSQL's counter row) is above what this node has
     * delivered, with that seq: one statement for all of them (the cluster's sweep for a publish
     * that never arrived). Normally empty or a room whose publish is on its way.
     */
    public Future<java.util.Map<Room, Long>> behind() {
        java.util.List<Room> loaded = new java.util.ArrayList<>();
        forEachActive(loaded::add);
        if (loaded.isEmpty()) {
            return Future.succeededFuture(java.util.Map.of());
        }
        Long[] ids = loaded.stream().map(Room::id).toArray(Long[]::new);
        return rooms.lastSeqs(ids).map(stored -> {
            java.util.Map<Room, Long> out = new java.util.HashMap<>();
            for (Room room : loaded) {
                Long last = stored.get(room.id());
                if (last != null && last > room.lastSeq()) {
                    out.put(room, last);
                }
            }
            return out;
        });
    }

    /** Active rooms (for the metrics gauge). */
    public int activeCount() {
        return active.size();
    }

    private static KringException notFound() {
        return new KringException(ErrorCode.NOT_FOUND, "no such room");
    }
}
