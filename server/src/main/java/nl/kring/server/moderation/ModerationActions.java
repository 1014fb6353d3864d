package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.help.Notices;
import nl.kring.moderation.queue.ModAction;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.members.MemberService;
import nl.kring.server.rooms.MessageRepository;
import nl.kring.server.messages.MessageWriter;
import nl.kring.server.messages.PendingSend;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A moderator's actions on a queue item ({@link ModAction}): each takes (or renews) the claim
 * first, so two moderators never act on one item at once; each needs a reason; each is written to
 * {@code audit_events} with who, when, what and the state before and after, in the same
 * transaction as the change; the author is told in kind words with the help that is open now
 * ({@link MemberNotices}). Thread-safe.
 */
public final class ModerationActions {

    private static final Logger log = LoggerFactory.getLogger(ModerationActions.class);

    static final String HELD = """
            SELECT h.id, h.room_id, h.client_msg_id, h.body, h.cw, h.category, h.status, u.public_id, u.pseudonym, u.role,
                   u.deleted_at, u.banned_at
            FROM held_messages h JOIN users u ON u.id = h.author_id WHERE h.id = $1""";
    static final String DECIDE_HELD = """
            UPDATE held_messages SET status = $2, decided_at = now(), decided_by = $3, released_seq = $4,
                   body = CASE WHEN $2 = 'released' THEN body ELSE '' END
            WHERE id = $1 AND status = 'held' RETURNING id""";
    static final String REMOVE_MESSAGE = """
            UPDATE messages SET body = '', redacted_at = coalesce(redacted_at, now()), redaction_reason = 'moderation', hidden_at = NULL
            WHERE room_id = $1 AND seq = $2 AND (redacted_at IS NULL OR hidden_at IS NOT NULL)
            RETURNING hidden_at IS NULL AS was_visible""";
    static final String WAS_HIDDEN = "SELECT hidden_at IS NOT NULL AS hidden FROM messages WHERE room_id = $1 AND seq = $2";
    static final String RESTORE_MESSAGE = """
            UPDATE messages SET hidden_at = NULL, redacted_at = NULL, redaction_reason = NULL
            WHERE room_id = $1 AND seq = $2 AND hidden_at IS NOT NULL RETURNING seq""";
    static final String RESOLVE = """
            UPDATE mod_items SET status = 'resolved', resolution = $2, resolved_at = now(), resolved_by = $3,
                   claimed_by = NULL, claim_expires_at = NULL, hidden = false
            WHERE id = $1 AND status = 'open' RETURNING created_at""";
    static final String ESCALATE = """
            UPDATE mod_items SET escalated = true, claimed_by = NULL, claim_expires_at = NULL,
                   sources = ARRAY(SELECT DISTINCT unnest(sources || '{escalation}'::text[]) ORDER BY 1)
            WHERE id = $1 AND status = 'open' RETURNING id""";
    static final String MUTE = """
            UPDATE users SET muted_until = now() + make_interval(mins => $2) WHERE id = $1 AND role = 'member'
            RETURNING muted_until""";

    /** Longest mute: a week (longer means a ban). */
    static final int MAX_MUTE_MINUTES = 7 * 24 * 60;

    private final Database db;
    private final QueueReads reads;
    private final QueueClaims claims;
    private final QueueEvents events;
    private final MessageWriter writer;
    private final MessageRepository messages;
    private final RoomRegistry rooms;
    private final MemberService members;
    private final Mutes mutes;
    private final MemberNotices notices;
    private final Coverage coverage;
    private final Reach reach;
    private final KringMetrics metrics;

    public ModerationActions(Database db, ModerationQueue queue, MessageWriter writer, MessageRepository messages, RoomRegistry rooms,
                             MemberService members, Mutes mutes, MemberNotices notices, Coverage coverage,
                             Reach reach, KringMetrics metrics) {
        this.db = db;
        this.reads = queue.reads();
        this.claims = queue.claims();
        this.events = queue.events();
        this.writer = writer;
        this.messages = messages;
        this.rooms = rooms;
        this.members = members;
        this.mutes = mutes;
        this.notices = notices;
        this.coverage = coverage;
        this.reach = reach;
        this.metrics = metrics;
    }

    /** What one action needs besides the item. */
    private record Request(Principal moderator, Row item, ModAction action, String reason, JsonObject body) {
        long itemId() {
            return item.getLong("id");
        }

        long communityId() {
            return item.getLong("community_id");
        }

        /** The message's room; null for a VraagBaak question's item. */
        Long roomId() {
            return item.getLong("room_id");
        }

        Long questionId() {
            return item.getLong("question_id");
        }

        long authorId() {
            return item.getLong("author_id");
        }

        Long seq() {
            return item.getLong("seq");
        }

        Long heldId() {
            return item.getLong("held_id");
        }

        String target() {
            return heldId() != null ? "held:" + heldId() : questionId() != null ? "question:" + questionId()
                    : "message:" + roomId() + "/" + seq();
        }
    }

    /**
     * The checks of an action's body that need nothing but the body (BodyFuzzTest): its action,
     * or {@code bad_request} naming the field.
     */
    public static ModAction checkAction(JsonObject body) {
        ModAction action;
        try {
            action = ModAction.fromWireName(String.valueOf(body.getValue("action")));
        } catch (IllegalArgumentException e) {
            throw KringException.badRequest("action must be one of release, remove, warn, mute, ban, escalate, dismiss");
        }
        Object rawReason = body.getValue("reason");
        if (!(rawReason instanceof String reason) || reason.isBlank() || reason.length() > 1000) {
            throw KringException.badRequest("reason must be a text of 1 to 1000 characters (it is written to the audit log)");
        }
        if (action == ModAction.MUTE && (!(body.getValue("minutes") instanceof Integer m) || m < 1 || m > MAX_MUTE_MINUTES)) {
            throw KringException.badRequest("minutes must be a whole number of 1 to " + MAX_MUTE_MINUTES);
        }
        Object message = body.getValue("message");
        if (message != null && (!(message instanceof String text) || text.isBlank() || text.length() > 500)) {
            throw KringException.badRequest("message must be a text of 1 to 500 characters");
        }
        return action;
    }

    /**
     * {@code {"action": "release|remove|warn|mute|ban|escalate|dismiss", "reason": "…"}}, plus
     * {@code minutes} for a mute and an optional {@code message} (the words a warned member reads).
     * The answer is the item after the action.
     */
    public Future<JsonObject> act(Principal p, String id, JsonObject body) {
        ModAction action = checkAction(body);
        String reason = body.getString("reason");
        return reads.item(p, id).compose(item -> {
            if (!"open".equals(item.getString("status"))) {
                return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this item is already resolved"));
            }
            boolean held = item.getLong("held_id") != null;
            if (held && action == ModAction.DISMISS) {
                return Future.failedFuture(KringException.badRequest("a held message is released or removed, not dismissed"));
            }
            if (item.getLong("question_id") != null && (action == ModAction.RELEASE || action == ModAction.REMOVE
                    || action == ModAction.BAN)) {
                // the question itself is the VraagBaak editors' (never published while its risk is not cleared)
                return Future.failedFuture(KringException.badRequest("a question is returned or rejected in the VraagBaak; "
                        + "here it is dismissed, escalated, warned or muted"));
            }
            if (!held && action == ModAction.RELEASE) {
                return Future.failedFuture(KringException.badRequest("only a held message can be released"));
            }
            if (action == ModAction.ESCALATE && item.getBoolean("escalated")) {
                return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this item is already escalated"));
            }
            Request r = new Request(p, item, action, reason.trim(), body);
            return claims.claimRow(p, r.itemId()).compose(claimed -> perform(r)).compose(event -> {
                metrics.moderationAction(action.wireName());
                log.info("moderation action [item: {}, action: {}, by: {}]", r.itemId(), action.wireName(), p.userId());
                return events.announce(r.itemId(), event);
            });
        });
    }

    /** Does the action; the queue event that follows it. */
    private Future<String> perform(Request r) {
        return switch (r.action()) {
            case RELEASE -> release(r);
            case REMOVE -> remove(r, "removed");
            case BAN -> ban(r);
            case DISMISS -> dismiss(r);
            case WARN -> warn(r);
            case MUTE -> mute(r);
            case ESCALATE -> escalate(r);
        };
    }

    private Future<String> release(Request r) {
        return db.pool().preparedQuery(HELD).execute(Tuple.of(r.heldId())).recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    Row h = rows.iterator().next();
                    if (h.getOffsetDateTime("deleted_at") != null) {
                        return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "the author erased their account"));
                    }
                    Role role = Role.fromWireName(h.getString("role")).orElseThrow();
                    Principal author = Principal.identity(r.authorId(), h.getString("public_id"), h.getString("pseudonym"), role);
                    String category = h.getString("category");
                    boolean care = RiskCategory.SUICIDAL_IDEATION.wireName().equals(category)
                            || RiskCategory.SELF_HARM.wireName().equals(category);
                    return rooms.get(Long.toString(r.roomId())).compose(room -> {
                        Promise<Long> committed = Promise.promise();
                        // Idempotent on (author, clientMsgId): a retried release gets the same seq, delivered once.
                        writer.submit(new PendingSend(room, author, h.getString("client_msg_id"), h.getString("body"),
                                h.getBoolean("cw"), care, System.nanoTime(), outcome -> {
                                    if (outcome.ok()) {
                                        committed.complete(outcome.seq());
                                    } else {
                                        committed.fail(outcome.error());
                                    }
                                }));
                        return committed.future();
                    });
                })
                .compose(seq -> resolveWith(r, "released", conn -> conn.preparedQuery(DECIDE_HELD)
                                .execute(Tuple.of(r.heldId(), "released", r.moderator().userId(), seq)).mapEmpty(),
                        new JsonObject().put("status", "held"), new JsonObject().put("status", "released").put("seq", seq),
                        Notices.HELD_RELEASED, new JsonObject().put("held", Long.toString(r.heldId())).put("seq", seq)));
    }

    private Future<String> remove(Request r, String resolution) {
        if (r.heldId() != null) {
            return resolveWith(r, resolution, conn -> conn.preparedQuery(DECIDE_HELD)
                            .execute(Tuple.of(r.heldId(), "removed", r.moderator().userId(), null)).mapEmpty(),
                    new JsonObject().put("status", "held"), new JsonObject().put("status", "removed"),
                    Notices.HELD_REMOVED, new JsonObject().put("held", Long.toString(r.heldId())));
        }
        boolean[] wasVisible = {false};
        return resolveWith(r, resolution, conn -> conn.preparedQuery(REMOVE_MESSAGE).execute(Tuple.of(r.roomId(), r.seq()))
                        .map(rows -> {
                            wasVisible[0] = rows.size() > 0 && rows.iterator().next().getBoolean("was_visible");
                            return null;
                        }),
                new JsonObject().put("visible", true), new JsonObject().put("visible", false).put("redacted", "moderation"),
                Notices.REMOVED, new JsonObject().put("seq", r.seq()))
                .map(event -> {
                    if (wasVisible[0]) {
                        rooms.redacted(r.roomId(), r.seq(), "moderation");
                    }
                    return event;
                });
    }

    /** Bans the author from the community (4503 on every socket, invite burned) and removes the message. */
    private Future<String> ban(Request r) {
        String authorPublicId = r.item().getString("author_public_id");
        if (!"member".equals(r.item().getString("author_role"))) {
            return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "staff accounts are disabled by an admin, not banned"));
        }
        return members.ban(r.moderator(), authorPublicId, new JsonObject().put("reason", r.reason()))
                .compose(v -> remove(r, "banned"));
    }

    private Future<String> dismiss(Request r) {
        boolean[] restored = {false};
        return resolveWith(r, "dismissed", conn -> conn.preparedQuery(RESTORE_MESSAGE).execute(Tuple.of(r.roomId(), r.seq()))
                        .map(rows -> {
                            restored[0] = rows.size() > 0;
                            return null;
                        }),
                new JsonObject().put("status", "open"), new JsonObject().put("status", "dismissed"), null, null)
                .compose(event -> {
                    if (!restored[0]) {
                        return Future.succeededFuture(event);
                    }
                    return messages.range(r.roomId(), r.seq() - 1, r.seq()).map(list -> {
                        list.forEach(rooms::restored);
                        return event;
                    });
                });
    }

    private Future<String> warn(Request r) {
        JsonObject detail = new JsonObject();
        if (r.body().getValue("message") instanceof String text) {
            detail.put("message", text.trim());
        }
        if (r.seq() != null) {
            detail.put("seq", r.seq());
        }
        return inTransaction(r, conn -> AuditLog.record(conn, r.moderator().userId(), "moderation.warned", r.communityId(), r.authorId(),
                        r.target(), r.reason(), null, detail.copy()).compose(v -> notices.store(conn, r.authorId(), r.communityId(),
                        Notices.WARNING, r.roomId(), detail)))
                .map(n -> {
                    notices.send(n);
                    return "updated";
                });
    }

    private Future<String> mute(Request r) {
        int minutes = r.body().getInteger("minutes");
        if (!"member".equals(r.item().getString("author_role"))) {
            return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "only members can be muted"));
        }
        Instant[] until = {null};
        return inTransaction(r, conn -> conn.preparedQuery(MUTE).execute(Tuple.of(r.authorId(), minutes)).compose(rows -> {
                    until[0] = rows.iterator().next().getOffsetDateTime("muted_until").toInstant();
                    return AuditLog.record(conn, r.moderator().userId(), "moderation.muted", r.communityId(), r.authorId(), r.target(),
                            r.reason(), new JsonObject().put("muted", false),
                            new JsonObject().put("muted", true).put("until", until[0].toString()).put("minutes", minutes));
                }).compose(v -> notices.store(conn, r.authorId(), r.communityId(), Notices.MUTED, r.roomId(),
                        new JsonObject().put("until", until[0].toString()))))
                .map(n -> {
                    mutes.set(r.authorId(), until[0]);
                    notices.send(n);
                    return "updated";
                });
    }

    /** Hands the item to the community's on-duty professionals; the queue event tells them at once. */
    private Future<String> escalate(Request r) {
        return inTransaction(r, conn -> conn.preparedQuery(ESCALATE).execute(Tuple.of(r.itemId()))
                        .compose(v -> AuditLog.record(conn, r.moderator().userId(), "moderation.escalated", r.communityId(), r.authorId(),
                                r.target(), r.reason(), new JsonObject().put("escalated", false), new JsonObject().put("escalated", true))))
                .map(v -> {
                    List<Long> professionals = coverage.professionalsOnDuty(r.communityId());
                    String json = new JsonObject().put("type", "escalation").put("item", Long.toString(r.itemId()))
                            .put("room", r.roomId() == null ? null : Long.toString(r.roomId())).put("severity", r.item().getString("severity"))
                            .put("category", r.item().getString("category")).put("by", r.moderator().name()).encode();
                    for (long user : professionals) {
                        reach.toUser(user, json);
                    }
                    if (professionals.isEmpty()) {
                        log.warn("escalation with no professional on duty [item: {}, community: {}]", r.itemId(), r.communityId());
                    }
                    return "escalated";
                });
    }

    /** A change, the item's resolution and its audit row in one transaction; then the author's notice. */
    private Future<String> resolveWith(Request r, String resolution, java.util.function.Function<SqlConnection, Future<Void>> change,
                                       JsonObject before, JsonObject after, Notices notice, JsonObject detail) {
        Instant[] created = {null};
        return inTransaction(r, conn -> change.apply(conn)
                        .compose(v -> conn.preparedQuery(RESOLVE).execute(Tuple.of(r.itemId(), resolution, r.moderator().userId())))
                        .compose(rows -> {
                            if (rows.size() == 0) {
                                return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this item is already resolved"));
                            }
                            created[0] = rows.iterator().next().getOffsetDateTime("created_at").toInstant();
                            return AuditLog.record(conn, r.moderator().userId(), "moderation." + resolution, r.communityId(), r.authorId(),
                                    r.target(), r.reason(), before, after);
                        })
                        .compose(v -> notice == null ? Future.succeededFuture(null)
                                : notices.store(conn, r.authorId(), r.communityId(), notice, r.roomId(), detail)))
                .map(n -> {
                    metrics.moderationResolved(Duration.between(created[0], Instant.now()));
                    if (n != null) {
                        notices.send(n);
                    }
                    return "resolved";
                });
    }

    private <T> Future<T> inTransaction(Request r, java.util.function.Function<SqlConnection, Future<T>> work) {
        return db.pool().withTransaction(work::apply)
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }
}
