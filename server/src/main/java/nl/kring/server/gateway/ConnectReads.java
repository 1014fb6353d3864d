package nl.kring.server.gateway;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import nl.kring.server.db.Database;

/**
 * What a member's new connection reads, in one statement: their unseen moderation notices (the
 * columns of {@code MemberNotices.UNSEEN}) and their places in consultation-hour queues and
 * running talks ({@code TalkQueue.PENDING_FOR}). Two statements per connect used to be most of
 * the database work of a connect ramp (docs/benchmarks.md); one round trip is half of it.
 */
final class ConnectReads {

    static final String FOR_MEMBER = """
            (SELECT 'notice' AS what, n.id, n.kind, n.room_id, n.detail, n.created_at FROM member_notices n
             WHERE n.user_id = $1 AND n.seen_at IS NULL ORDER BY n.id LIMIT 50)
            UNION ALL
            SELECT 'wait', spreekuur_id, NULL, NULL, NULL, NULL FROM spreekuur_requests WHERE user_id = $1 AND status = 'waiting'
            UNION ALL
            SELECT 'talk', id, NULL, NULL, NULL, NULL FROM spreekuur_talks WHERE ended_at IS NULL AND member_id = $1
            UNION ALL
            SELECT 'talk', id, NULL, NULL, NULL, NULL FROM spreekuur_talks WHERE ended_at IS NULL AND host_id = $1""";

    /** The rows for one member, split: notices, and places or talks ({@code what} {@code wait} or {@code talk}). */
    record Found(List<Row> notices, List<Row> pending) {
    }

    private ConnectReads() {
    }

    static Future<Found> forMember(Database db, long userId) {
        return db.pool().preparedQuery(FOR_MEMBER).execute(Tuple.of(userId)).map(rows -> {
            List<Row> notices = new ArrayList<>();
            List<Row> pending = new ArrayList<>();
            for (Row r : rows) {
                ("notice".equals(r.getString("what")) ? notices : pending).add(r);
            }
            return new Found(notices, pending);
        });
    }
}
