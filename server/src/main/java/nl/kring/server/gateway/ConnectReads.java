package nl.kring.server.gateway;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import nl.kring.server.db.Database;
import nl.kring.server.moderation.MemberNotices;
import nl.kring.server.spreekuur.TalkQueue;

/**
 * What a member's new connection reads, in one statement: their unseen moderation notices
 * ({@link MemberNotices#UNSEEN}) and their places in consultation-hour queues and running talks
 * ({@link TalkQueue#PENDING_FOR}), each owner's statement unchanged inside. Two statements per connect used to be most of
 * the database work of a connect ramp (docs/benchmarks.md); one round trip is half of it.
 */
final class ConnectReads {

    /** The two owners' statements (both take the user id as $1) as one: notices keep their columns, places and talks fill the rest with nulls. */
    static final String FOR_MEMBER = "SELECT 'notice' AS what, u.id, u.kind, u.room_id, u.detail, u.created_at FROM ("
            + MemberNotices.UNSEEN + ") u UNION ALL SELECT p.what, p.id, NULL, NULL, NULL, NULL FROM ("
            + TalkQueue.PENDING_FOR + ") p";

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
