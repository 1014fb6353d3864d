package nl.kring.server.sending;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import nl.kring.moderation.Action;
import nl.kring.moderation.RiskCategory;
import nl.kring.server.access.Access;
import nl.kring.server.db.Database;
import nl.kring.server.messages.PendingSend;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.safety.CommunitySafety;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;

/**
 * The send use case once the member's rate has let a message through (protocol sections 3 and 7):
 * the author's mute, the writer's load, the room and who may send there, slow mode (the room's
 * or the fallback's), #chatsafe's decision (hold with its queue item and alert, prompt, review),
 * the durable commit, and the metrics of each outcome. It knows no socket and no frame: the
 * gateway decodes the frame, passes the rate limiter, and writes {@link Outcome} as the reply.
 * Staff are classified but never held (SafetyService.decide). Continues on the caller's context
 * (the socket's event loop), where classification has always run; without one (a unit test) it
 * runs where each step completes. Its collaborators are the ports of {@link SendPorts}.
 */
public final class SendFlow {

    /** A decoded, rate-admitted send. */
    public record Request(Principal author, String roomId, String clientMsgId, String body, boolean cw, long arrivedNanos) {
    }

    /** What the sender is told: the reply's data, or the error. */
    public record Outcome(JsonObject data, KringException error) {

        static Outcome ok(JsonObject data) {
            return new Outcome(data, null);
        }

        static Outcome refused(KringException error) {
            return new Outcome(null, error);
        }
    }

    private final SendPorts.Checks checks;
    private final SendPorts.Safety safety;
    private final SendPorts.Commit commit;
    private final KringMetrics metrics;

    public SendFlow(SendPorts.Checks checks, SendPorts.Safety safety, SendPorts.Commit commit, KringMetrics metrics) {
        this.checks = checks;
        this.safety = safety;
        this.commit = commit;
        this.metrics = metrics;
    }

    public Future<Outcome> send(Request r) {
        Principal author = r.author();
        long muted = checks.mutedMs(author.userId());
        if (muted > 0) {
            metrics.sendOutcome(KringMetrics.SendResult.REJECTED);
            return Future.succeededFuture(Outcome.refused(
                    new KringException(ErrorCode.MUTED, "a moderator has muted you for a while; you can still read", muted)));
        }
        if (!checks.writerAdmits()) {
            // Overloaded or down: refused before the room lookup and classification, which it would only waste.
            metrics.sendOutcome(KringMetrics.SendResult.UNAVAILABLE);
            return Future.succeededFuture(Outcome.refused(KringException.unavailable(Database.retryAfterMs())));
        }
        Context caller = Vertx.currentContext();
        Future<Room> room = here(caller, checks.room(r.roomId()).compose(found -> {
            KringException refusal = Access.refusal(author, found.communityId(), found.settings(), nl.kring.server.access.Action.SEND,
                    found.isParticipant(author.userId()));
            return refusal == null ? Future.succeededFuture(found) : Future.failedFuture(refusal);
        }));
        return room.compose(found -> here(caller, safety.community(found.communityId())).compose(cs -> inRoom(r, found, cs, caller)))
                .recover(t -> Future.succeededFuture(answer(new PendingSend.SendOutcome(-1, false, KringException.from(t)), r, null)));
    }

    private Future<Outcome> inRoom(Request r, Room room, CommunitySafety cs, Context caller) {
        Principal author = r.author();
        boolean unmoderated = !checks.covered(room.communityId());
        int slow = Math.max(room.settings().slowModeSeconds(), unmoderated ? cs.fallback().slowModeSeconds() : 0);
        if (slow > 0 && author.isMember()) {
            long slowWait = checks.slowModeWait(author.userId(), room.id(), slow);
            if (slowWait > 0) {
                metrics.sendOutcome(KringMetrics.SendResult.RATE_LIMITED);
                return Future.succeededFuture(Outcome.refused(
                        new KringException(ErrorCode.RATE_LIMITED, "slow mode: one message every " + slow + " seconds", slowWait)));
            }
        }
        // staff are classified for the figures but never held, prompted or queued (SafetyService.decide)
        SafetyService.Decision d = safety.decide(cs, r.body(), unmoderated, !author.isMember());
        safety.riskSeen(author, d.classification().severity());
        boolean hold = d.actions().contains(Action.HOLD);
        JsonObject prompt = hold || d.actions().contains(Action.PROMPT)
                ? safety.prompt(cs, SafetyService.promptCategory(d.classification()), hold) : null;
        if (hold) {
            return here(caller, safety.hold(room, author, r.clientMsgId(), r.body(), r.cw(), d)).map(held -> {
                if (held.releasedSeq() != null) {
                    // a retry of a message a moderator has released since: it is delivered, with this seq
                    return answer(new PendingSend.SendOutcome(held.releasedSeq(), true, null), r, null);
                }
                metrics.sendOutcome(KringMetrics.SendResult.HELD);
                JsonObject data = new JsonObject().put("status", "held").put("held", Long.toString(held.id()));
                return Outcome.ok(prompt == null ? data : data.put("prompt", prompt));
            }).recover(t -> Future.succeededFuture(Outcome.refused(KringException.from(t))));
        }
        boolean review = d.actions().contains(Action.REVIEW);
        boolean warned = r.cw() || d.actions().contains(Action.CONTENT_WARNING);
        boolean care = author.isMember() && (d.classification().has(RiskCategory.SUICIDAL_IDEATION)
                || d.classification().has(RiskCategory.SELF_HARM));
        Promise<Outcome> answered = Promise.promise();
        commit.commit(room, author, r.clientMsgId(), r.body(), warned, care, r.arrivedNanos(), outcome -> {
            if (review && outcome.ok() && !outcome.duplicate()) {
                // the model was unsure: delivered, and an item for a human (not awaited)
                onCaller(caller, () -> safety.review(room, author.userId(), outcome.seq(), d.classification()));
            }
            if (prompt != null && outcome.ok() && !outcome.duplicate()) {
                // the prompt is counted before the ack (rare: only messages with a prompt wait for it)
                safety.promptShown(room.id(), author.userId(), prompt.getString("category"))
                        .onComplete(counted -> onCaller(caller, () -> answered.complete(answer(outcome, r, prompt))));
            } else {
                onCaller(caller, () -> answered.complete(answer(outcome, r, prompt)));
            }
        });
        return answered.future();
    }

    /** The reply to a committed (or refused) send, counted. */
    private Outcome answer(PendingSend.SendOutcome outcome, Request r, JsonObject prompt) {
        if (outcome.ok()) {
            metrics.sendOutcome(outcome.duplicate() ? KringMetrics.SendResult.DUPLICATE : KringMetrics.SendResult.DELIVERED);
            metrics.ackLatency(System.nanoTime() - r.arrivedNanos());
            JsonObject data = new JsonObject().put("status", "delivered").put("seq", outcome.seq());
            return Outcome.ok(prompt == null ? data : data.put("prompt", prompt));
        }
        metrics.sendOutcome(KringMetrics.SendResult.of(outcome.error().code()));
        return Outcome.refused(outcome.error());
    }

    private static void onCaller(Context caller, Runnable work) {
        if (caller == null || Vertx.currentContext() == caller) {
            work.run();
        } else {
            caller.runOnContext(v -> work.run());
        }
    }

    /** The same result, delivered on the caller's context (where the rest of the send runs). */
    private static <T> Future<T> here(Context caller, Future<T> f) {
        if (caller == null) {
            return f;
        }
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> onCaller(caller, () -> p.handle(ar)));
        return p.future();
    }
}
