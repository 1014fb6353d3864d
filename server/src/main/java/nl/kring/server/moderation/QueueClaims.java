package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import nl.kring.moderation.Severity;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

/**
 * Claims on queue items: a moderator claims an item (or renews their claim) for the lease
 * ({@code KRING_CLAIM_LEASE_SECONDS}); it runs out without activity and the sweep frees it.
 * Every change is announced ({@link QueueEvents}); the first action on an item is timed.
 * Thread-safe.
 */
final class QueueClaims {

    static final String CLAIM = """
            UPDATE mod_items SET claimed_by = $2, claim_expires_at = now() + make_interval(secs => $3),
                   first_action_at = coalesce(first_action_at, now())
            WHERE id = $1 AND status = 'open' AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at < now())
            RETURNING created_at, severity, first_action_at = now() AS first""";
    static final String UNCLAIM = """
            UPDATE mod_items SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'open'
            RETURNING id""";
    static final String EXPIRED_CLAIMS = """
            UPDATE mod_items SET claimed_by = NULL, claim_expires_at = NULL
            WHERE status = 'open' AND claimed_by IS NOT NULL AND claim_expires_at < now() RETURNING id""";

    private final Database db;
    private final QueueReads reads;
    private final QueueEvents events;
    private final KringMetrics metrics;
    private final Duration lease;

    QueueClaims(Database db, QueueReads reads, QueueEvents events, KringMetrics metrics, Duration lease) {
        this.db = db;
        this.reads = reads;
        this.events = events;
        this.metrics = metrics;
        this.lease = lease;
    }

    Duration lease() {
        return lease;
    }

    /**
     * Claims an item for this moderator (or renews their claim) for the lease; {@code conflict}
     * when another moderator holds it or it is resolved. Two claims at the same moment: the row
     * lock lets exactly one through.
     */
    Future<JsonObject> claim(Principal p, String id) {
        return reads.item(p, id).compose(r -> claimRow(p, r.getLong("id"))).compose(itemId -> {
            metrics.moderationAction("claim");
            return events.announce(itemId, "claimed");
        });
    }

    /** Takes or renews the claim of an item the caller may handle; the item id. */
    Future<Long> claimRow(Principal p, long itemId) {
        return db.pool().preparedQuery(CLAIM).execute(Tuple.of(itemId, p.userId(), (double) lease.toSeconds()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new KringException(ErrorCode.CONFLICT,
                                "another moderator is working on this item, or it is resolved"));
                    }
                    Row r = rows.iterator().next();
                    if (r.getBoolean("first")) {
                        metrics.moderationFirstAction(Duration.between(r.getOffsetDateTime("created_at").toInstant(), Instant.now()),
                                Severity.IMMINENT.wireName().equals(r.getString("severity")));
                    }
                    return Future.succeededFuture(itemId);
                });
    }

    /** Gives a claimed item back to the queue. */
    Future<JsonObject> unclaim(Principal p, String id) {
        return reads.item(p, id).compose(r -> db.pool().preparedQuery(UNCLAIM).execute(Tuple.of(r.getLong("id"), p.userId()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(new KringException(ErrorCode.CONFLICT, "you do not hold this item"))
                        : events.announce(r.getLong("id"), "released")));
    }

    /** Frees lapsed claims, a {@code released} event each (not awaited). */
    Future<Void> freeLapsed() {
        return db.pool().query(EXPIRED_CLAIMS).execute()
                .map(rows -> {
                    for (Row r : rows) {
                        events.announce(r.getLong("id"), "released");
                    }
                    return null;
                });
    }
}
