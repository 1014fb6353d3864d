package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.kring.moderation.Severity;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.MetricNames;

/**
 * The queue's gauges: open items by severity, the age of the oldest, how many are past their due
 * time. Registered once; {@link #refresh} reads them from PostgreSQL (the queue's sweep).
 * Thread-safe.
 */
final class QueueGauges {

    static final String DEPTH = """
            SELECT severity, count(*) AS n, min(created_at) AS oldest, count(*) FILTER (WHERE due_at < now()) AS overdue
            FROM mod_items WHERE status = 'open' GROUP BY severity""";

    private final Database db;
    private final Map<String, Number> depth = new ConcurrentHashMap<>();
    private volatile double oldestSeconds;
    private volatile int overdue;

    QueueGauges(Database db, KringMetrics metrics) {
        this.db = db;
        for (Severity s : Severity.values()) {
            depth.put(s.wireName(), 0);
            metrics.gauge(MetricNames.MOD_QUEUE_DEPTH, "open moderation queue items", "severity", s.wireName(),
                    () -> depth.get(s.wireName()));
        }
        metrics.gauge(MetricNames.MOD_QUEUE_OLDEST, "age of the oldest open moderation queue item", () -> oldestSeconds);
        metrics.gauge(MetricNames.MOD_QUEUE_OVERDUE, "open moderation queue items past their due time", () -> overdue);
    }

    /** Reads the gauges' values. */
    Future<Void> refresh() {
        return db.pool().query(DEPTH).execute()
                .map(rows -> {
                    Map<String, Integer> now = new HashMap<>();
                    Instant oldest = null;
                    int late = 0;
                    for (Row r : rows) {
                        now.put(r.getString("severity"), r.getLong("n").intValue());
                        Instant o = r.getOffsetDateTime("oldest").toInstant();
                        oldest = oldest == null || o.isBefore(oldest) ? o : oldest;
                        late += r.getLong("overdue").intValue();
                    }
                    for (Severity s : Severity.values()) {
                        depth.put(s.wireName(), now.getOrDefault(s.wireName(), 0));
                    }
                    oldestSeconds = oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
                    overdue = late;
                    return (Void) null;
                });
    }
}
