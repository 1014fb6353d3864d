package nl.kring.server.rooms;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for rooms. */
public final class RoomRepository {

    static final String BY_ID = """
            SELECT r.id, r.community_id, r.name, r.kind, r.epoch, r.last_seq, r.retained_from_seq, c.slug
            FROM rooms r JOIN communities c ON c.id = r.community_id WHERE r.id = $1""";

    static final String LIST_FOR_MEMBER = """
            SELECT r.id, r.name, r.kind, c.slug FROM rooms r JOIN communities c ON c.id = r.community_id
            WHERE r.community_id = $1 ORDER BY r.id""";

    static final String LIST_FOR_STAFF = """
            SELECT r.id, r.name, r.kind, c.slug FROM rooms r JOIN communities c ON c.id = r.community_id
            WHERE $1 OR r.community_id = ANY($2) ORDER BY r.id""";

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
            return Optional.of(new Room(r.getLong("id"), r.getLong("community_id"), r.getString("name"),
                    r.getString("kind"), r.getInteger("epoch"), r.getLong("last_seq"), r.getLong("retained_from_seq")));
        });
    }

    /** Rooms of one community (a member's). */
    public Future<List<RoomSummary>> listForCommunity(long communityId) {
        return pool.preparedQuery(LIST_FOR_MEMBER).execute(Tuple.of(communityId)).map(RoomRepository::summaries);
    }

    /** Rooms of the given communities, or of all of them. */
    public Future<List<RoomSummary>> listForStaff(boolean all, Long[] communityIds) {
        return pool.preparedQuery(LIST_FOR_STAFF).execute(Tuple.of(all, (Object) communityIds)).map(RoomRepository::summaries);
    }

    private static List<RoomSummary> summaries(io.vertx.sqlclient.RowSet<Row> rows) {
        List<RoomSummary> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new RoomSummary(Long.toString(r.getLong("id")), r.getString("name"), r.getString("kind"), r.getString("slug")));
        }
        return out;
    }

    /** A room as {@code GET /api/v1/rooms} lists it. */
    public record RoomSummary(String id, String name, String kind, String community) {
    }
}
