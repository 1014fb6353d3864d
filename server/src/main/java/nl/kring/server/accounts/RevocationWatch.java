package nl.kring.server.accounts;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of sessions without the cluster's notice: every {@link #INTERVAL} this node asks
 * PostgreSQL, in one indexed query, which sessions were revoked and which users banned, disabled
 * or erased since its last look, and ends them here as the notice would (cached tokens and
 * tickets forgotten, sockets closed with 4503 for a ban or a disabled account, 4500 otherwise).
 * A notice lost in a partition, or a change made straight in SQL, so takes effect within about
 * a second instead of after the token cache's 30 s. The look goes back {@link #OVERLAP} before
 * the database's own time of the last one (a revocation is stamped with the start of its
 * transaction, which may commit later); what it saw in that overlap is not done twice.
 * Runs on the one context that started it.
 */
final class RevocationWatch {

    static final Duration INTERVAL = Duration.ofMillis(500);
    static final Duration OVERLAP = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(RevocationWatch.class);

    /** The database's time, then each revocation since $1 (or the last {@link #OVERLAP} on the first look). */
    static final String SINCE = """
            WITH since AS (SELECT coalesce($1::timestamptz, statement_timestamp() - interval '5 seconds') AS t)
            SELECT 'now' AS kind, NULL::bigint AS session_id, NULL::bigint AS user_id, NULL::text AS reason,
                   statement_timestamp() AS at
            UNION ALL
            SELECT 'session', s.id, s.user_id, s.revoked_reason, s.revoked_at FROM sessions s, since
            WHERE s.revoked_at > since.t
            UNION ALL
            SELECT 'user', NULL, u.id, 'banned', u.banned_at FROM users u, since WHERE u.banned_at > since.t
            UNION ALL
            SELECT 'user', NULL, u.id, 'erased', u.deleted_at FROM users u, since WHERE u.deleted_at > since.t""";

    private final Database db;
    private final SessionEnds ends;
    /** What was done, by key, with the time of its revocation: forgotten once that falls before the look. */
    private final Map<String, OffsetDateTime> done = new HashMap<>();
    private OffsetDateTime since;
    private boolean looking;

    RevocationWatch(Database db, SessionEnds ends) {
        this.db = db;
        this.ends = ends;
    }

    void start(Vertx vertx) {
        vertx.setPeriodic(INTERVAL.toMillis(), id -> look());
    }

    private void look() {
        if (looking || !db.isUp()) {
            return;
        }
        looking = true;
        db.pool().preparedQuery(SINCE).execute(Tuple.of(since))
                .onComplete(ar -> looking = false)
                .onSuccess(rows -> {
                    List<Row> all = new ArrayList<>();
                    rows.forEach(all::add);
                    apply(all);
                })
                // the database's own probe reports an outage; a closed pool at shutdown is no news either
                .onFailure(t -> log.atLevel(db.isUp() && !String.valueOf(t.getMessage()).contains("closed")
                        ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.DEBUG)
                        .log("looking for revoked sessions failed: {}", t.toString()));
    }

    private void apply(List<Row> rows) {
        OffsetDateTime now = null;
        List<Row> sessions = new ArrayList<>();
        for (Row r : rows) {
            switch (r.getString("kind")) {
                case "now" -> now = r.getOffsetDateTime("at");
                case "user" -> endUser(r, "erased".equals(r.getString("reason")) ? CloseCode.SESSION_ENDED : CloseCode.BANNED);
                default -> sessions.add(r);
            }
        }
        // a ban's sessions close as a ban (4503), before any of its sessions could close as a logout (4500)
        for (Row r : sessions) {
            String reason = r.getString("reason");
            if ("banned".equals(reason) || "disabled".equals(reason)) {
                endUser(r, CloseCode.BANNED);
            } else if ("erased".equals(reason)) {
                endUser(r, CloseCode.SESSION_ENDED);
            }
        }
        for (Row r : sessions) {
            String reason = reason(r);
            if (!"banned".equals(reason) && !"disabled".equals(reason) && !"erased".equals(reason)
                    && firstTime("s" + r.getLong("session_id"), r)) {
                if (reason.startsWith("password_")) {
                    ends.forgetUserHere(r.getLong("user_id"), null);
                }
                ends.sessionEndedElsewhere(r.getLong("session_id"));
            }
        }
        if (now != null) {
            since = now.minus(OVERLAP);
            OffsetDateTime horizon = since;
            done.values().removeIf(at -> at.isBefore(horizon));
        }
    }

    private static String reason(Row r) {
        String reason = r.getString("reason");
        return reason == null ? "" : reason;
    }

    private void endUser(Row r, CloseCode code) {
        long userId = r.getLong("user_id");
        if (firstTime("u" + userId + code.name(), r)) {
            ends.forgetUserHere(userId, code);
        }
    }

    private boolean firstTime(String key, Row r) {
        return done.putIfAbsent(key, r.getOffsetDateTime("at")) == null;
    }
}
