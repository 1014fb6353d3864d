package nl.kring.server.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import nl.kring.moderation.queue.Fallback;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.figures.Visits;
import nl.kring.server.moderation.Coverage;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.RoomSettings;
import nl.kring.server.shared.StoredMessage;
import nl.kring.server.spreekuur.Spreekuren;

/**
 * {@code join} (fresh or with {@code since}: replay or reset, protocol section 4) and {@code
 * leave}: the room's checks, the subscription swap, the reply, and a resume's backlog read.
 * Node-wide; the state it changes is the session's, on the session's loop.
 */
final class Joins {

    /** Tries of a resume's backlog read while the database is busy or away, before {@code reset}. */
    static final int CATCH_UP_ATTEMPTS = 5;

    private final RoomReads reads;
    private final SafetyService safety;
    private final Coverage coverage;
    private final Spreekuren spreekuren;
    private final Visits visits;
    private final Vertx vertx;
    private final int resumeMaxMessages;

    Joins(RoomReads reads, SafetyService safety, Coverage coverage, Spreekuren spreekuren, Visits visits, Vertx vertx,
          int resumeMaxMessages) {
        this.reads = reads;
        this.safety = safety;
        this.coverage = coverage;
        this.spreekuren = spreekuren;
        this.visits = visits;
        this.vertx = vertx;
        this.resumeMaxMessages = resumeMaxMessages;
    }

    void join(Session s, String id, Requests.Join request) {
        String roomId = request.room();
        Integer epochArg = request.sinceEpoch();
        long seqArg = request.sinceSeq();
        Principal principal = s.principal();
        s.then(reads.enter(principal, roomId, Action.JOIN)
                .compose(r -> safety.forCommunity(r.communityId()).map(cs -> Map.entry(r, cs))), ar -> {
            if (s.isClosed()) {
                return;
            }
            if (ar.failed()) {
                s.replyError(id, KringException.from(ar.cause()));
                return;
            }
            Room room = ar.result().getKey();
            Fallback fallback = ar.result().getValue().fallback();
            RoomSettings settings = room.settings();
            if (principal.isMember() && s.subscription(room.id()) == null && !room.isOnline(principal.userId())
                    && room.placesTaken() >= settings.capacity()) {
                s.replyError(id, new KringException(ErrorCode.ROOM_FULL, "this room is full; try again later"));
                return;
            }
            Subscription sub = new Subscription(room, s.connection(), principal.userId(), principal.isMember(), resumeMaxMessages,
                    changed -> recheck(s, changed));
            Subscription old = s.subscribe(room.id(), sub);
            if (old != null) {
                room.remove(s.context(), old, vertx);
            }
            room.add(s.context(), sub, vertx);
            KringException late = refusalNow(principal, room);
            if (late != null) {
                // the settings changed after the check above and their re-check ran before this add
                s.leaveRoom(room.id());
                s.replyError(id, late);
                return;
            }
            if (old == null) {
                spreekuren.entered(room, principal);
                if (principal.isMember()) {
                    visits.joined(room.id(), principal.userId());
                }
            }
            long lastSeq = room.lastSeq();
            s.replyOk(id, joined(room, lastSeq, fallback));
            switch (ResumePlan.decide(epochArg, seqArg, room.epoch(), lastSeq, room.retainedFromSeq(), resumeMaxMessages)) {
                case LIVE -> sub.goLive(lastSeq);
                case RESET -> sub.reset();
                case REPLAY -> {
                    sub.beginResume(seqArg);
                    catchUp(s, room, sub, seqArg, lastSeq, 1);
                }
            }
        });
    }

    /** The join reply: where the room stands, its settings, who covers it, and its consultation hour. */
    private JsonObject joined(Room room, long lastSeq, Fallback fallback) {
        RoomSettings settings = room.settings();
        JsonObject data = new JsonObject().put("room", room.wireId()).put("epoch", room.epoch())
                .put("lastSeq", lastSeq).put("online", room.online()).put("name", settings.name())
                .put("kind", settings.kind().wireName()).put("readOnly", settings.readOnly())
                .put("slowModeSeconds", settings.slowModeSeconds());
        if (settings.pinnedNotice() != null) {
            data.put("pinnedNotice", settings.pinnedNotice());
        }
        data.put("coverage", Coverage.describe(coverage.covered(room.communityId()), fallback));
        spreekuren.byRoom(room.id()).ifPresent(info -> data.put("spreekuur", spreekuren.state(info)));
        return data;
    }

    /**
     * Reads what a resuming socket missed and hands it to the subscription, which holds live
     * messages back meanwhile. When the database is busy or away the read is tried again after
     * its retry time, up to {@link #CATCH_UP_ATTEMPTS} times, before the client is told to
     * {@code reset}: a reconnect storm must not turn every resume into a reload.
     */
    private void catchUp(Session s, Room room, Subscription sub, long since, long lastSeq, int attempt) {
        Future<List<String>> redactions = reads.messages()
                .redactions(room.id(), Math.max(0, since - resumeMaxMessages), since);
        Future<List<StoredMessage>> backlog = reads.backlog(room, since, lastSeq);
        s.then(backlog.compose(b -> redactions.map(r -> Map.entry(b, r))), b -> {
            if (s.isClosed() || s.subscription(room.id()) != sub) {
                return;
            }
            if (b.succeeded()) {
                sub.finishCatchUp(b.result().getKey(), lastSeq, b.result().getValue());
                return;
            }
            KringException failure = reads.failure(b.cause());
            if (failure.code() == ErrorCode.UNAVAILABLE && attempt < CATCH_UP_ATTEMPTS) {
                vertx.setTimer(failure.retryAfterMs(), t -> {
                    if (!s.isClosed() && s.subscription(room.id()) == sub) {
                        catchUp(s, room, sub, since, lastSeq, attempt + 1);
                    }
                });
            } else {
                sub.reset();
            }
        });
    }

    void leave(Session s, String id, Requests.Leave request) {
        String roomId = request.room();
        s.then(reads.rooms().get(roomId), ar -> {
            if (ar.succeeded()) {
                s.leaveRoom(ar.result().id());
            }
            s.replyOk(id, new JsonObject());
        });
    }

    /**
     * The room's settings changed while this socket was in it (on the session's loop, the room's
     * shard): the same check as a {@code join} and a {@code history} read. A socket that may no
     * longer be there leaves the room at once and gets {@code left} with the refusal a join would
     * get ({@code not_found} for an archived room, {@code forbidden} with the reason otherwise).
     */
    void recheck(Session s, Subscription sub) {
        Room room = sub.room();
        if (s.isClosed() || s.subscription(room.id()) != sub) {
            return;
        }
        KringException refusal = refusalNow(s.principal(), room);
        if (refusal == null) {
            return;
        }
        s.leaveRoom(room.id());
        s.sendEvent(new JsonObject().put("type", "left").put("room", room.wireId()).put("error", refusal.toJson()).encode());
    }

    /** Why the user may not be in the room with its settings as of now (join, and read what is said there), or null. */
    private static KringException refusalNow(Principal principal, Room room) {
        boolean participant = room.isParticipant(principal.userId());
        KringException refusal = Access.refusal(principal, room.communityId(), room.settings(), Action.JOIN, participant);
        return refusal != null ? refusal
                : Access.refusal(principal, room.communityId(), room.settings(), Action.READ_HISTORY, participant);
    }

    /** Leaves a room for good (not a re-join): out of its members and, for staff, out of a consultation hour's presence. */
    void unsubscribe(Session s, Subscription sub) {
        sub.room().remove(s.context(), sub, vertx);
        spreekuren.left(sub.room(), s.principal());
    }
}
