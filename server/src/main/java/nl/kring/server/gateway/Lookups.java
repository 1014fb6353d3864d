package nl.kring.server.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import nl.kring.server.access.Action;
import nl.kring.server.moderation.ModerationQueue;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.StoredMessage;

/**
 * The socket's requests that read or file and change no room: {@code history}, {@code check}
 * (#chatsafe at compose time, no side effect) and {@code report}. Node-wide.
 */
final class Lookups {

    private final RoomReads reads;
    private final SafetyService safety;
    private final ModerationQueue queue;

    Lookups(RoomReads reads, SafetyService safety, ModerationQueue queue) {
        this.reads = reads;
        this.safety = safety;
        this.queue = queue;
    }

    void history(Session s, String id, Requests.History request) {
        String roomId = request.room();
        Long beforeSeq = request.beforeSeq();
        int limit = request.limit();
        s.then(reads.enter(s.principal(), roomId, Action.READ_HISTORY).compose(room -> {
            long upTo = Math.min(beforeSeq == null ? Long.MAX_VALUE : beforeSeq - 1, room.lastSeq());
            long after = Math.max(room.retainedFromSeq() - 1, Math.max(0, upTo - limit));
            return reads.backlog(room, after, upTo);
        }), ar -> {
            if (ar.failed()) {
                s.replyError(id, KringException.from(ar.cause()));
                return;
            }
            JsonArray list = new JsonArray();
            for (StoredMessage m : ar.result()) {
                list.add(m.toJson());
            }
            s.replyOk(id, new JsonObject().put("messages", list));
        });
    }

    /**
     * The compose-time check: what #chatsafe would do with this text, with the prompt to show
     * before sending. No side effect: nothing is stored, counted per category or held.
     */
    void check(Session s, String id, Requests.Check request) {
        String body = request.body();
        Principal principal = s.principal();
        String rawRoom = request.room();
        Future<Long> community;
        if (rawRoom != null) {
            community = reads.enter(principal, rawRoom, Action.SEND).map(Room::communityId);
        } else if (principal.communityId() != null) {
            community = Future.succeededFuture(principal.communityId());
        } else {
            throw KringException.badRequest("room is required for staff");
        }
        boolean cw = request.cw();
        Long replyTo = request.replyTo();
        Future<Boolean> care = replyTo == null ? Future.succeededFuture(false)
                : reads.enter(principal, rawRoom, Action.READ_HISTORY).compose(room -> replyTo > room.lastSeq()
                        ? Future.succeededFuture(List.<StoredMessage>of())
                        : reads.backlog(room, replyTo - 1, replyTo))
                .map(list -> !list.isEmpty() && list.get(0).care() && list.get(0).redactionReason() == null);
        s.then(community.compose(safety::forCommunity).compose(cs -> care.map(x -> Map.entry(cs, x))), both -> {
            if (both.failed()) {
                s.replyError(id, KringException.from(both.cause()));
                return;
            }
            s.replyOk(id, safety.check(both.result().getKey(), body, cw, both.result().getValue()));
        });
    }

    void report(Session s, String id, Requests.Report request) {
        String roomId = request.room();
        long seq = request.seq();
        String category = request.category();
        String reason = request.reason();
        s.then(reads.enter(s.principal(), roomId, Action.REPORT).compose(room -> {
            if (seq > room.lastSeq()) {
                return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no message with this seq"));
            }
            return queue.report(s.principal(), room, seq, category, reason);
        }), ar -> {
            if (ar.failed()) {
                s.replyError(id, KringException.from(ar.cause()));
            } else {
                s.replyOk(id, new JsonObject());
            }
        });
    }
}
