package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import nl.kring.server.db.Database;
import nl.kring.server.rooms.RoomRepository;

/**
 * The SQL of the consultation-hour clock: the sessions as they stand ({@code spreekuren} with the
 * open occurrence and the scheduled hosts), and opening and closing a session as conditional
 * writes on its row in {@code spreekuur_occurrences}, each with its group room in one
 * transaction. Thread-safe (stateless over the pool).
 */
final class SpreekuurRepository {

    static final String ACTIVE = """
            SELECT s.id, s.community_id, s.room_id, s.topic, s.description, s.first_day, s.start_time, s.duration_minutes,
                   s.weekly, s.last_day, s.capacity, s.one_to_one, s.closing_text, c.slug,
                   o.starts_at AS open_start, o.ends_at AS open_end,
                   coalesce((SELECT json_agg(json_build_object('id', u.public_id, 'displayName', u.pseudonym, 'role', u.role)
                                             ORDER BY u.pseudonym)
                             FROM spreekuur_hosts h JOIN users u ON u.id = h.user_id WHERE h.spreekuur_id = s.id), '[]')::text AS hosts
            FROM spreekuren s JOIN communities c ON c.id = s.community_id
            LEFT JOIN spreekuur_occurrences o ON o.spreekuur_id = s.id AND o.closed_at IS NULL
            WHERE s.cancelled_at IS NULL
            ORDER BY s.id""";

    static final String OPEN = """
            INSERT INTO spreekuur_occurrences (spreekuur_id, starts_at, ends_at) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING RETURNING spreekuur_id""";

    static final String DUE = "SELECT spreekuur_id, starts_at FROM spreekuur_occurrences WHERE closed_at IS NULL AND ends_at <= $1";

    /** Closes one session ($2) or, for a cancellation, whichever is open ($2 null); the group room's id. */
    static final String CLOSE = """
            UPDATE spreekuur_occurrences o SET closed_at = now() FROM spreekuren s
            WHERE o.spreekuur_id = $1 AND ($2::timestamptz IS NULL OR o.starts_at = $2) AND o.closed_at IS NULL AND s.id = o.spreekuur_id
            RETURNING s.room_id""";

    /** An open session whose end has come. */
    record Due(long spreekuurId, OffsetDateTime startsAt) {
    }

    private final Database db;
    private final RoomRepository roomRepository;

    SpreekuurRepository(Database db, RoomRepository roomRepository) {
        this.db = db;
        this.roomRepository = roomRepository;
    }

    /** The sessions not cancelled, by id. */
    Future<List<Spreekuren.Info>> active() {
        return db.pool().query(ACTIVE).execute().map(rows -> TalkRepository.each(rows, SpreekuurRepository::info));
    }

    /** The open sessions whose end is at or before {@code now}. */
    Future<List<Due>> due(Instant now) {
        return db.pool().preparedQuery(DUE).execute(Tuple.of(now.atOffset(ZoneOffset.UTC)))
                .map(rows -> TalkRepository.each(rows, r -> new Due(r.getLong("spreekuur_id"), r.getOffsetDateTime("starts_at"))));
    }

    /** In one transaction: the occurrence opens and the group room can be written in. False when it was opened already. */
    Future<Boolean> open(Spreekuren.Info info, Schedule.Occurrence o) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(OPEN).execute(Tuple.of(info.id(),
                        o.start().atOffset(ZoneOffset.UTC), o.end().atOffset(ZoneOffset.UTC)))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
                        : roomRepository.setReadOnly(conn, info.roomId(), false).map(true)));
    }

    /**
     * In one transaction: the occurrence that started at {@code start} (any open one when null)
     * closes, the group room becomes read-only and the listener closes what hangs on the session.
     * The listener's step for after the commit; null when nothing was open.
     */
    Future<SessionListener.AfterClose> close(long spreekuurId, OffsetDateTime start, SessionListener listener) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(CLOSE).execute(Tuple.of(spreekuurId, start))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture((SessionListener.AfterClose) null)
                        : roomRepository.setReadOnly(conn, rows.iterator().next().getLong("room_id"), true)
                                .compose(v -> listener.closing(conn, spreekuurId))));
    }

    private static Spreekuren.Info info(Row r) {
        Schedule schedule = new Schedule(r.getLocalDate("first_day"), r.getLocalTime("start_time"),
                Duration.ofMinutes(r.getInteger("duration_minutes")), r.getBoolean("weekly"), r.getLocalDate("last_day"));
        OffsetDateTime openStart = r.getOffsetDateTime("open_start");
        Schedule.Occurrence open = openStart == null ? null
                : new Schedule.Occurrence(openStart.toInstant(), r.getOffsetDateTime("open_end").toInstant());
        return new Spreekuren.Info(r.getLong("id"), r.getLong("community_id"), r.getString("slug"), r.getLong("room_id"),
                r.getString("topic"), r.getString("description"), schedule, r.getInteger("capacity"), r.getBoolean("one_to_one"),
                r.getString("closing_text"), new JsonArray(r.getString("hosts")), open);
    }
}
