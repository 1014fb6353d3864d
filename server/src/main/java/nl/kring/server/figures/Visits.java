package nl.kring.server.figures;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import nl.kring.server.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link VisitCounter}'s visits to {@code room_visits} (V008) every minute in one
 * statement, adding to what other nodes and earlier minutes wrote; never on a join's path. When
 * the database is away the visits wait for the next flush. A node that dies loses at most its
 * last minute of visits (figures, not messages). Thread-safe.
 */
public final class Visits {

    private static final Logger log = LoggerFactory.getLogger(Visits.class);

    static final String UPSERT = """
            INSERT INTO room_visits (room_id, day, member_id, sessions)
            SELECT * FROM unnest($1::bigint[], $2::date[], $3::bigint[], $4::int[])
            ON CONFLICT (room_id, day, member_id) DO UPDATE SET sessions = room_visits.sessions + EXCLUDED.sessions""";

    private final Vertx vertx;
    private final Database db;
    private final Clock clock;
    private final VisitCounter counter = new VisitCounter();
    private long timer = -1;

    public Visits(Vertx vertx, Database db, Clock clock) {
        this.vertx = vertx;
        this.db = db;
        this.clock = clock;
    }

    /** A member (never staff) joined a room. */
    public void joined(long roomId, long memberId) {
        counter.joined(roomId, memberId, clock.instant());
    }

    public void start(Duration every) {
        timer = vertx.setPeriodic(every.toMillis(), id -> flush());
    }

    /** Writes what was counted so far; tests call it instead of waiting for the timer. */
    public Future<Void> flush() {
        List<VisitCounter.Visit> visits = counter.drain(clock.instant());
        if (visits.isEmpty()) {
            return Future.succeededFuture();
        }
        int n = visits.size();
        Long[] rooms = new Long[n];
        LocalDate[] days = new LocalDate[n];
        Long[] members = new Long[n];
        Integer[] sessions = new Integer[n];
        for (int i = 0; i < n; i++) {
            VisitCounter.Visit v = visits.get(i);
            rooms[i] = v.roomId();
            days[i] = v.day();
            members[i] = v.memberId();
            sessions[i] = v.sessions();
        }
        return db.pool().preparedQuery(UPSERT).execute(Tuple.of(rooms, days, members, sessions))
                .<Void>mapEmpty()
                .onFailure(t -> {
                    counter.restore(visits);
                    log.warn("room visits not written, kept for the next flush [visits: {}]: {}", n, t.getMessage());
                });
    }

    /** Stops the timer and writes what is left. */
    public Future<Void> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return flush().recover(t -> Future.succeededFuture());
    }
}
