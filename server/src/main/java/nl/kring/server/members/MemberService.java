package nl.kring.server.members;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.accounts.AccountRepository;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.shared.Principal;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a member's account as a whole: a ban (sessions ended, sockets closed with
 * 4503, the invite credential burned) and erasure (sessions ended, every message redacted for
 * everyone, the pseudonym released after a cooling-off period). A sweeper finishes erasures
 * (messages that were committed while the account was being erased) and releases pseudonyms.
 */
public final class MemberService {

    private static final Logger log = LoggerFactory.getLogger(MemberService.class);
    /** How often the sweeper runs; erasure is complete within one run after the request. */
    public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(20);

    static final String MEMBER_BY_PUBLIC_ID = """
            SELECT id, community_id, invite_id, banned_at, deleted_at FROM users WHERE public_id = $1 AND role = 'member'""";
    static final String BAN_USER = "UPDATE users SET banned_at = now() WHERE id = $1 AND banned_at IS NULL RETURNING id";
    static final String BURN_INVITE = "UPDATE invites SET burned_at = now(), uses_left = 0 WHERE id = $1";
    static final String ERASE_USER = """
            UPDATE users SET deleted_at = now(), region = NULL WHERE id = $1 AND deleted_at IS NULL RETURNING id""";
    static final String REDACT_AUTHOR = """
            UPDATE messages SET body = '', redacted_at = now(), redaction_reason = 'author', hidden_at = NULL
            WHERE author_id = $1 AND (redacted_at IS NULL OR hidden_at IS NOT NULL) RETURNING room_id, seq""";
    static final String SWEEP_REDACT = """
            UPDATE messages m SET body = '', redacted_at = now(), redaction_reason = 'author', hidden_at = NULL
            FROM users u
            WHERE m.author_id = u.id AND u.deleted_at IS NOT NULL AND u.deleted_at > now() - interval '1 day'
              AND (m.redacted_at IS NULL OR m.hidden_at IS NOT NULL)
            RETURNING m.room_id, m.seq""";
    /**
     * An erased member's held messages lose their text, and their open queue items close: nothing is
     * left to judge; every item of theirs loses the words #chatsafe quoted ({@code why}).
     */
    static final String ERASE_HELD = """
            UPDATE held_messages SET body = '', status = 'removed', decided_at = now() WHERE author_id = $1 AND status = 'held'""";
    static final String CLOSE_ITEMS = """
            WITH closed AS (
                UPDATE mod_items SET status = 'resolved', resolution = 'removed', resolved_at = now(), claimed_by = NULL,
                       claim_expires_at = NULL, hidden = false, why = '{}'
                WHERE author_id = $1 AND status = 'open'
            )
            UPDATE mod_items SET why = '{}' WHERE author_id = $1 AND status = 'resolved' AND why <> '{}'""";
    /**
     * An erased member's own words outside their messages: their report reasons (the reports stay,
     * counted by the queue's rules and the figures), their words for a host in a consultation hour's
     * queue (a place still waiting is given up), their VraagBaak questions (unpublished ones are
     * deleted with their queue items; a published one keeps only the editors' wording and the
     * answer, the asker's own words are blanked), and the notices kept for them. Feedback after a talk
     * carries no link to its author, so it cannot be found here; retention blanks its words.
     */
    static final String ERASE_WORDS = """
            WITH unpublished AS (
                DELETE FROM questions WHERE asker_id = $1 AND status <> 'published'
            ), published AS (
                UPDATE questions SET title = '', body = '' WHERE asker_id = $1 AND status = 'published'
            ), reasons AS (
                UPDATE reports SET reason = NULL WHERE reporter_id = $1 AND reason IS NOT NULL
            ), queue AS (
                UPDATE spreekuur_requests SET topic = NULL,
                       status = CASE WHEN status = 'waiting' THEN 'left' ELSE status END, done_at = coalesce(done_at, now())
                WHERE user_id = $1 AND (topic IS NOT NULL OR status = 'waiting')
            )
            DELETE FROM member_notices WHERE user_id = $1""";
    /** Report reasons stored while the account was being erased. */
    static final String SWEEP_REASONS = """
            UPDATE reports r SET reason = NULL FROM users u
            WHERE r.reporter_id = u.id AND u.deleted_at IS NOT NULL AND u.deleted_at > now() - interval '1 day' AND r.reason IS NOT NULL""";
    static final String RELEASE_PSEUDONYMS = """
            UPDATE users SET pseudonym = '~' || public_id, pseudonym_released_at = now()
            WHERE deleted_at IS NOT NULL AND deleted_at <= now() - make_interval(secs => $1) AND pseudonym_released_at IS NULL""";

    private final Vertx vertx;
    private final KringMetrics metrics;
    private final Database db;
    private final AuthService auth;
    private final RoomRegistry rooms;
    private final Duration coolingOff;
    private long sweeper = -1;

    public MemberService(Vertx vertx, Database db, AuthService auth, RoomRegistry rooms, Duration coolingOff,
                         KringMetrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.db = db;
        this.auth = auth;
        this.rooms = rooms;
        this.coolingOff = coolingOff;
    }

    /**
     * Bans a member from their community: the account can no longer be used, every socket closes
     * with 4503 within a second, and the invite code they joined with is burned.
     */
    public Future<JsonObject> ban(Principal p, String memberId, JsonObject body) {
        return member(memberId).compose(m -> {
            if (!p.mayEnter(m.getLong("community_id"))) {
                return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such member"));
            }
            long communityId = m.getLong("community_id");
            Access.checkCommunity(p, communityId, Action.MODERATE);
            Object raw = body.getValue("reason");
            if (!(raw instanceof String reason) || reason.isBlank() || reason.length() > 1000) {
                throw KringException.badRequest("reason must be a string of 1 to 1000 characters");
            }
            long userId = m.getLong("id");
            return db.pool().withTransaction(conn -> conn.preparedQuery(BAN_USER).execute(Tuple.of(userId))
                            .compose(banned -> conn.preparedQuery(BURN_INVITE).execute(Tuple.of(m.getLong("invite_id"))))
                            .compose(v -> conn.preparedQuery(AccountRepository.REVOKE_USER_SESSIONS).execute(Tuple.of(userId, "banned")))
                            .compose(v -> AuditLog.record(conn, p.userId(), "member.banned", communityId, userId, null,
                                    reason.trim(), new JsonObject().put("banned", false), new JsonObject().put("banned", true)
                                            .put("inviteBurned", true))))
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .map(v -> {
                        auth.forgetUser(userId, CloseCode.BANNED);
                        metrics.accountEvent(KringMetrics.AccountEvent.BANNED);
                        log.info("member banned [user: {}, by: {}]", userId, p.userId());
                        return new JsonObject().put("banned", true);
                    });
        });
    }

    private Future<Row> member(String publicId) {
        if (publicId == null || publicId.length() > 64) {
            return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such member"));
        }
        return db.pool().preparedQuery(MEMBER_BY_PUBLIC_ID).execute(Tuple.of(publicId))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> rows.size() == 0 || rows.iterator().next().getOffsetDateTime("deleted_at") != null
                        ? Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such member"))
                        : Future.succeededFuture(rows.iterator().next()));
    }

    /**
     * Erases the caller's own account: sessions ended (4500 on every socket), every message
     * redacted for everyone, held messages emptied and their queue items closed, report reasons and
     * queue words blanked and notices deleted ({@link #ERASE_WORDS}), the region forgotten; the
     * pseudonym is released after the cooling-off period. Staff accounts are closed by an admin instead.
     */
    public Future<Void> erase(Principal p) {
        if (!p.isMember()) {
            throw new KringException(ErrorCode.FORBIDDEN, "staff accounts are closed by an admin");
        }
        long userId = p.userId();
        return db.pool().withTransaction(conn -> conn.preparedQuery(ERASE_USER).execute(Tuple.of(userId))
                        .compose(v -> conn.preparedQuery(AccountRepository.REVOKE_USER_SESSIONS).execute(Tuple.of(userId, "erased")))
                        .compose(v -> conn.preparedQuery(ERASE_HELD).execute(Tuple.of(userId)))
                        .compose(v -> conn.preparedQuery(CLOSE_ITEMS).execute(Tuple.of(userId)))
                        .compose(v -> conn.preparedQuery(ERASE_WORDS).execute(Tuple.of(userId)))
                        .compose(v -> AuditLog.record(conn, null, "member.erased", p.communityId(), userId, null,
                                "erasure requested by the member", null, null)))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(v -> {
                    auth.forgetUser(userId, CloseCode.SESSION_ENDED);
                    metrics.accountEvent(KringMetrics.AccountEvent.ERASED);
                    return redact(REDACT_AUTHOR, Tuple.of(userId));
                })
                .onSuccess(n -> log.info("account erased [user: {}, messages redacted: {}]", userId, n))
                .mapEmpty();
    }

    /** Runs a redacting UPDATE and tells the rooms on this node; the number of messages redacted. */
    private Future<Integer> redact(String sql, Tuple args) {
        return db.pool().preparedQuery(sql).execute(args)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(this::announce);
    }

    private int announce(RowSet<Row> rows) {
        for (Row r : rows) {
            rooms.redacted(r.getLong("room_id"), r.getLong("seq"), "author");
        }
        return rows.rowCount();
    }

    /** Starts the sweeper: redactions and report reasons that raced an erasure, and pseudonyms whose cooling-off has passed. */
    public void start() {
        sweeper = vertx.setPeriodic(SWEEP_INTERVAL.toMillis(), id -> sweep());
    }

    public void stop() {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    /** One sweep; public for tests that cannot wait for the timer. */
    public Future<Void> sweep() {
        if (!db.isUp()) {
            return Future.succeededFuture();
        }
        return redact(SWEEP_REDACT, Tuple.tuple())
                .compose(n -> db.pool().preparedQuery(SWEEP_REASONS).execute())
                .compose(n -> db.pool().preparedQuery(RELEASE_PSEUDONYMS).execute(Tuple.of((double) coolingOff.toSeconds())))
                .onFailure(t -> log.warn("member sweep failed: {}", t.getMessage()))
                .mapEmpty();
    }
}
