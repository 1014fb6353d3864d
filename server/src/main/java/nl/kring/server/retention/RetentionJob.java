package nl.kring.server.retention;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import nl.kring.server.db.Database;
import nl.kring.server.rooms.RoomRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is kept no longer: each community's messages older than its
 * {@code policy.retention.messageDays} (default 90), the texts of held messages as old, its
 * members' room visits and #chatsafe prompts as old (the figures' raw rows), its reports,
 * resolved queue items, consultation-hour queue rows and talks as old and the words of its
 * feedback ({@link OldRows}), members' notices after 90 days, sessions 30 days after they ended,
 * and audit rows older than {@code KRING_AUDIT_RETENTION_DAYS}. Runs every
 * {@code KRING_RETENTION_INTERVAL_MINUTES} in small batches, one short transaction each with a
 * pause between them, so that live sends never wait long on it. A room's cut-off seq is found
 * by a binary search on its {@code (room_id, seq)} index (no index on the hot table's
 * timestamps); {@code rooms.retained_from_seq} moves up in the same transaction as each
 * deletion, so a client resuming from below it gets {@code reset}, never a silent gap.
 * {@link #runOnce} takes the time as an argument: tests move it forward instead of waiting.
 * Not reentrant: a run is skipped while the previous one is still going.
 */
public final class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** Messages deleted per transaction; small enough that a batch takes milliseconds. */
    static final int BATCH = 1000;
    static final long PAUSE_MS = 20;

    static final String COMMUNITIES = "SELECT id, policy FROM communities";
    static final String ROOMS = "SELECT id, retained_from_seq, last_seq FROM rooms WHERE community_id = $1";
    static final String CREATED = "SELECT created_at FROM messages WHERE room_id = $1 AND seq = $2";
    static final String DELETE_MESSAGES = """
            WITH moved AS (UPDATE rooms SET retained_from_seq = $3 WHERE id = $1 AND retained_from_seq < $3 RETURNING id)
            DELETE FROM messages WHERE room_id = $1 AND seq >= $2 AND seq < $3""";
    static final String CLEAR_HELD = """
            WITH items AS (
                UPDATE mod_items SET why = '{}' WHERE community_id = $1 AND created_at < $2 AND why <> '{}'
            )
            UPDATE held_messages SET body = '' WHERE community_id = $1 AND created_at < $2 AND body <> ''""";
    /** Visits and prompts go with the messages of their community: the same member in the same room. */
    static final String DELETE_VISITS = """
            DELETE FROM room_visits WHERE (room_id, day, member_id) IN (SELECT room_id, day, member_id FROM room_visits
            WHERE room_id IN (SELECT id FROM rooms WHERE community_id = $1) AND day < $2 LIMIT 1000)""";
    static final String DELETE_PROMPTS = """
            DELETE FROM chatsafe_prompts WHERE id IN (SELECT id FROM chatsafe_prompts
            WHERE room_id IN (SELECT id FROM rooms WHERE community_id = $1) AND created_at < $2 LIMIT 1000)""";
    static final String DELETE_NOTICES = """
            DELETE FROM member_notices WHERE id IN (SELECT id FROM member_notices WHERE created_at < $1 LIMIT 1000)""";
    static final String DELETE_AUDIT = """
            DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < $1 ORDER BY id LIMIT 1000)""";

    private final Vertx vertx;
    private final Database db;
    private final RoomRegistry rooms;
    private final Clock clock;
    private final Duration auditRetention;
    private final Duration interval;
    private boolean running;
    private long timer = -1;

    public RetentionJob(Vertx vertx, Database db, RoomRegistry rooms, Clock clock, Duration auditRetention, Duration interval) {
        this.vertx = vertx;
        this.db = db;
        this.rooms = rooms;
        this.clock = clock;
        this.auditRetention = auditRetention;
        this.interval = interval;
    }

    public void start() {
        timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (db.isUp()) {
                runOnce(clock.instant());
            }
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The messages' retention of a community's policy, in days; validated when an admin saves the policy. */
    public static int messageDays(JsonObject policy) {
        Object retention = policy.getValue("retention");
        if (retention == null) {
            return 90;
        }
        if (!(retention instanceof JsonObject r) || !(r.getValue("messageDays", 90) instanceof Integer days) || days < 1 || days > 3650) {
            throw new IllegalArgumentException("policy.retention.messageDays must be a whole number of 1 to 3650");
        }
        return days;
    }

    /** What one run deleted. */
    public record Result(long messages, long auditRows) {
    }

    /** One run as of {@code now}; completes when everything older than the retention is gone. */
    public synchronized Future<Result> runOnce(Instant now) {
        if (running) {
            return Future.succeededFuture(new Result(0, 0));
        }
        running = true;
        long[] deleted = {0, 0};
        return db.pool().query(COMMUNITIES).execute()
                .compose(rows -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (Row c : rows) {
                        long communityId = c.getLong("id");
                        int days;
                        try {
                            days = messageDays((JsonObject) c.getJson("policy"));
                        } catch (IllegalArgumentException e) {
                            days = 90;
                        }
                        Instant cutoff = now.minus(Duration.ofDays(days));
                        chain = chain.compose(v -> community(communityId, cutoff, deleted));
                    }
                    return chain;
                })
                .compose(v -> inBatches(DELETE_NOTICES, Tuple.of(now.minus(Duration.ofDays(90)).atOffset(ZoneOffset.UTC))))
                .compose(v -> inBatches(OldRows.DELETE_SESSIONS,
                        Tuple.of(now.minus(Duration.ofDays(OldRows.ENDED_SESSION_DAYS)).atOffset(ZoneOffset.UTC))))
                .compose(v -> audit(now.minus(auditRetention), deleted))
                .map(v -> {
                    if (deleted[0] + deleted[1] > 0) {
                        log.info("retention run [messages deleted: {}, audit rows deleted: {}]", deleted[0], deleted[1]);
                    }
                    return new Result(deleted[0], deleted[1]);
                })
                .onFailure(t -> log.warn("retention run failed: {}", t.getMessage()))
                .onComplete(ar -> {
                    synchronized (this) {
                        running = false;
                    }
                });
    }

    private Future<Void> community(long communityId, Instant cutoff, long[] deleted) {
        return db.pool().preparedQuery(ROOMS).execute(Tuple.of(communityId)).compose(rows -> {
            Future<Void> chain = Future.succeededFuture();
            for (Row r : rows) {
                long roomId = r.getLong("id");
                long from = r.getLong("retained_from_seq");
                long last = r.getLong("last_seq");
                chain = chain.compose(v -> firstKept(roomId, from, last, cutoff))
                        .compose(keep -> deleteBelow(roomId, from, keep, deleted));
            }
            Tuple before = Tuple.of(communityId, cutoff.atOffset(ZoneOffset.UTC));
            Tuple beforeDay = Tuple.of(communityId, cutoff.atZone(nl.kring.server.config.Amsterdam.ZONE).toLocalDate());
            return chain.compose(v -> db.pool().preparedQuery(CLEAR_HELD).execute(before))
                    .compose(v -> inBatches(DELETE_VISITS, beforeDay))
                    .compose(v -> inBatches(DELETE_PROMPTS, before))
                    .compose(v -> inBatches(OldRows.DELETE_REPORTS, before))
                    .compose(v -> inBatches(OldRows.DELETE_ITEMS, before))
                    .compose(v -> inBatches(OldRows.DELETE_REQUESTS, before))
                    .compose(v -> inBatches(OldRows.DELETE_TALKS, before))
                    .compose(v -> inBatches(OldRows.DELETE_QUESTIONS, before))
                    .compose(v -> inBatches(OldRows.BLANK_FEEDBACK, beforeDay));
        });
    }

    /** The lowest seq in {@code [from, last]} created at or after the cut-off ({@code last + 1}: none), by binary search. */
    Future<Long> firstKept(long roomId, long from, long last, Instant cutoff) {
        return search(roomId, from, last + 1, cutoff);
    }

    private Future<Long> search(long roomId, long lo, long hi, Instant cutoff) {
        if (lo >= hi) {
            return Future.succeededFuture(lo);
        }
        long mid = lo + (hi - lo) / 2;
        return db.pool().preparedQuery(CREATED).execute(Tuple.of(roomId, mid)).compose(rows -> {
            boolean old = rows.size() > 0 && rows.iterator().next().getOffsetDateTime("created_at").toInstant().isBefore(cutoff);
            return old ? search(roomId, mid + 1, hi, cutoff) : search(roomId, lo, mid, cutoff);
        });
    }

    private Future<Void> deleteBelow(long roomId, long from, long keep, long[] deleted) {
        if (from >= keep) {
            return Future.succeededFuture();
        }
        long to = Math.min(keep, from + BATCH);
        return db.pool().preparedQuery(DELETE_MESSAGES).execute(Tuple.of(roomId, from, to))
                .compose(rows -> {
                    deleted[0] += rows.rowCount();
                    rooms.ifActive(roomId).ifPresent(room -> room.retainFrom(to));
                    rooms.changed(roomId);
                    return to < keep ? vertx.timer(PAUSE_MS).compose(t -> deleteBelow(roomId, to, keep, deleted)) : Future.succeededFuture();
                });
    }

    /** Runs a deletion of at most 1000 rows until it deletes fewer, pausing between batches. */
    private Future<Void> inBatches(String delete, Tuple args) {
        return db.pool().preparedQuery(delete).execute(args).compose(rows -> rows.rowCount() == 1000
                ? vertx.timer(PAUSE_MS).compose(t -> inBatches(delete, args)) : Future.succeededFuture());
    }

    private Future<Void> audit(Instant cutoff, long[] deleted) {
        return db.pool().withTransaction(conn -> conn.query("SET LOCAL kring.retention = 'on'").execute()
                        .compose(v -> conn.preparedQuery(DELETE_AUDIT).execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC)))))
                .compose(rows -> {
                    deleted[1] += rows.rowCount();
                    return rows.rowCount() == 1000 ? vertx.timer(PAUSE_MS).compose(t -> audit(cutoff, deleted)) : Future.succeededFuture();
                });
    }

}
