package nl.kring.server.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The append-only audit table ({@code audit_events}): who did what, when, to what, why, with
 * the state before and after. Staff actions and every view of a staff member's real identity
 * land here, never in the log. A trigger refuses updates and deletes.
 */
public final class AuditLog {

    static final String INSERT = """
            INSERT INTO audit_events (actor_id, action, community_id, target_user_id, target, reason, before, after)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

    private AuditLog() {
    }

    /**
     * One event. Pass the transaction's connection when the audited change is in a transaction,
     * so that both land or neither.
     *
     * @param actorId      the staff member (or {@code null} for the system)
     * @param action       a dotted name such as {@code member.banned}
     * @param target       the object acted on, for example {@code room:12}; may be {@code null}
     */
    public static Future<Void> record(SqlClient client, Long actorId, String action, Long communityId, Long targetUserId,
                                      String target, String reason, JsonObject before, JsonObject after) {
        return client.preparedQuery(INSERT)
                .execute(Tuple.from(new Object[] {actorId, action, communityId, targetUserId, target, reason, before, after}))
                .mapEmpty();
    }
}
