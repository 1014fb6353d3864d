package nl.kring.server.rooms;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.kring.server.shared.RoomKind;
import nl.kring.server.shared.AgeBand;
import nl.kring.server.shared.RoomSettings;

/** SQL for rooms. */
public final class RoomRepository {

    static final String COLUMNS = """
            r.id, r.community_id, r.name, r.kind, r.age_bands, r.region, r.capacity, r.slow_mode_seconds,
            r.read_only, r.pinned_notice, r.archived_at IS NOT NULL AS archived, c.slug""";

    static final String BY_ID = "SELECT " + COLUMNS + ", r.epoch, r.last_seq, r.retained_from_seq,"
            + " ARRAY(SELECT p.user_id FROM room_participants p WHERE p.room_id = r.id) AS participants"
            + " FROM rooms r JOIN communities c ON c.id = r.community_id WHERE r.id = $1";

    static final String LIST_FOR_COMMUNITIES = "SELECT " + COLUMNS
            + " FROM rooms r JOIN communities c ON c.id = r.community_id"
            + " WHERE ($1 OR r.community_id = ANY($2)) AND ($3 OR r.archived_at IS NULL) ORDER BY r.id";

    static final String INSERT = """
            INSERT INTO rooms (community_id, name, kind, age_bands, region, capacity, slow_mode_seconds, read_only, pinned_notice)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id""";

    static final String UPDATE = """
            UPDATE rooms SET name = $2, age_bands = $3, region = $4, capacity = $5, slow_mode_seconds = $6,
                   read_only = $7, pinned_notice = $8,
                   archived_at = CASE WHEN $9 THEN coalesce(archived_at, now()) ELSE NULL END
            WHERE id = $1""";

    static final String LAST_SEQS = "SELECT id, last_seq FROM rooms WHERE id = ANY($1)";

    private final Pool pool;

    public RoomRepository(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<Room>> load(long id) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            Room room = new Room(r.getLong("id"), r.getLong("community_id"), settings(r),
                    r.getInteger("epoch"), r.getLong("last_seq"), r.getLong("retained_from_seq"));
            room.participants(Set.of(r.getArrayOfLongs("participants")));
            return Optional.of(room);
        });
    }

    /** The stored last seq of each given room (the counter rows), in one statement. */
    public Future<java.util.Map<Long, Long>> lastSeqs(Long[] ids) {
        return pool.preparedQuery(LAST_SEQS).execute(Tuple.of(ids)).map(rows -> {
            java.util.Map<Long, Long> out = new java.util.HashMap<>();
            for (Row r : rows) {
                out.put(r.getLong("id"), r.getLong("last_seq"));
            }
            return out;
        });
    }

    /** One room as the admin API shows it, or empty. */
    public Future<Optional<RoomSummary>> summary(long id) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(summary(rows.iterator().next())));
    }

    /** Rooms of the given communities, or of all of them; archived ones only when asked. */
    public Future<List<RoomSummary>> list(boolean all, Long[] communityIds, boolean withArchived) {
        return pool.preparedQuery(LIST_FOR_COMMUNITIES).execute(Tuple.of(all, communityIds, withArchived))
                .map(RoomRepository::summaries);
    }

    public Future<Long> insert(long communityId, RoomSettings s) {
        return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {communityId, s.name(), s.kind().wireName(),
                        bands(s), s.region(), s.capacity(), s.slowModeSeconds(), s.readOnly(), s.pinnedNotice()}))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<Void> update(long id, RoomSettings s) {
        return pool.preparedQuery(UPDATE).execute(Tuple.from(new Object[] {id, s.name(), bands(s), s.region(),
                s.capacity(), s.slowModeSeconds(), s.readOnly(), s.pinnedNotice(), s.archived()})).mapEmpty();
    }

    /** Makes a room read-only or writable again (a consultation hour closes or opens, a talk ends). */
    public Future<Void> setReadOnly(io.vertx.sqlclient.SqlClient client, long id, boolean readOnly) {
        return client.preparedQuery("UPDATE rooms SET read_only = $2 WHERE id = $1").execute(Tuple.of(id, readOnly)).mapEmpty();
    }

    private static String[] bands(RoomSettings s) {
        if (s.ageBands().isEmpty()) {
            return null;
        }
        return s.ageBands().stream().sorted().map(AgeBand::wireName).toArray(String[]::new);
    }

    static RoomSettings settings(Row r) {
        Set<AgeBand> bands = EnumSet.noneOf(AgeBand.class);
        String[] raw = r.getArrayOfStrings("age_bands");
        if (raw != null) {
            for (String b : raw) {
                AgeBand.fromWireName(b).ifPresent(bands::add);
            }
        }
        return new RoomSettings(r.getString("name"), RoomKind.fromWireName(r.getString("kind")).orElseThrow(), bands,
                r.getString("region"), r.getInteger("capacity"), r.getInteger("slow_mode_seconds"),
                r.getBoolean("read_only"), r.getString("pinned_notice"), r.getBoolean("archived"));
    }

    private static RoomSummary summary(Row r) {
        return new RoomSummary(r.getLong("id"), r.getLong("community_id"), r.getString("slug"), settings(r));
    }

    private static List<RoomSummary> summaries(RowSet<Row> rows) {
        List<RoomSummary> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(summary(r));
        }
        return out;
    }

    /** A room as the API lists it. */
    public record RoomSummary(long id, long communityId, String community, RoomSettings settings) {

        public io.vertx.core.json.JsonObject toJson() {
            return settings.toJson().put("id", Long.toString(id)).put("community", community);
        }
    }
}
