package nl.kring.server.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

/**
 * Reading the audit trail (the back office, issue 27): newest first, filtered by community, staff
 * member and action, paged with a cursor (the last entry's id). Installation-wide staff see every
 * entry; a community admin those of their communities and those about the staff of their
 * communities. An entry never names a member: a member acted on is shown as {@code "member"},
 * never with an id, and nothing in the table holds a message body. Stateless.
 */
public final class AuditTrail {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    static final String PAGE = """
            SELECT e.id, e.at, e.action, e.target, e.reason, e.before, e.after,
                   a.public_id AS actor_id, a.pseudonym AS actor_name, a.role AS actor_role, c.slug AS community,
                   t.public_id AS target_id, t.role AS target_role
            FROM audit_events e
            LEFT JOIN users a ON a.id = e.actor_id
            LEFT JOIN communities c ON c.id = e.community_id
            LEFT JOIN users t ON t.id = e.target_user_id
            WHERE ($1 OR e.community_id = ANY($2)
                   OR (e.community_id IS NULL AND e.target_user_id IN
                       (SELECT sc.user_id FROM staff_communities sc WHERE sc.community_id = ANY($2))))
              AND ($3::text IS NULL OR c.slug = $3)
              AND ($4::text IS NULL OR a.public_id = $4)
              AND ($5::text IS NULL OR e.action = $5)
              AND ($6::bigint IS NULL OR e.id < $6)
            ORDER BY e.id DESC LIMIT $7""";
    static final String ACTIONS = "SELECT DISTINCT action FROM audit_events ORDER BY action";

    private final Database db;

    public AuditTrail(Database db) {
        this.db = db;
    }

    /**
     * One page of entries. Every argument but the principal may be {@code null}: no filter, the
     * newest page, {@link #DEFAULT_LIMIT} entries.
     */
    public Future<JsonObject> page(Principal p, String community, String staff, String action, String before, String limit) {
        Access.checkRole(p, Action.READ_AUDIT);
        if (community != null && !p.allCommunities() && !p.staffCommunitySlugs().contains(community)) {
            throw new KringException(ErrorCode.FORBIDDEN, "not a community you work in");
        }
        int n = limit(limit);
        Long cursor = cursor(before);
        Tuple args = Tuple.from(new Object[] {p.allCommunities(), p.staffCommunities().toArray(new Long[0]), community, staff,
                action, cursor, n + 1});
        return db.pool().preparedQuery(PAGE).execute(args)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> toPage(rows, n));
    }

    /** The action names that occur in the trail, for the filter. */
    public Future<JsonObject> actions(Principal p) {
        Access.checkRole(p, Action.READ_AUDIT);
        return db.pool().query(ACTIONS).execute()
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return new JsonObject().put("actions", out);
                });
    }

    private static JsonObject toPage(RowSet<Row> rows, int n) {
        JsonArray entries = new JsonArray();
        String next = null;
        for (Row r : rows) {
            if (entries.size() == n) {
                next = entries.getJsonObject(n - 1).getString("id");
                break;
            }
            entries.add(entry(r));
        }
        return new JsonObject().put("entries", entries).put("next", next);
    }

    static JsonObject entry(Row r) {
        JsonObject actor = r.getString("actor_id") == null || "member".equals(r.getString("actor_role")) ? null
                : new JsonObject().put("id", r.getString("actor_id")).put("displayName", r.getString("actor_name"));
        String target = r.getString("target");
        if (target == null && r.getString("target_id") != null) {
            target = "member".equals(r.getString("target_role")) ? "member" : "staff:" + r.getString("target_id");
        }
        JsonObject details = new JsonObject();
        putIfPresent(details, "reason", r.getString("reason"));
        putIfPresent(details, "before", r.getValue("before"));
        putIfPresent(details, "after", r.getValue("after"));
        return new JsonObject().put("id", Long.toString(r.getLong("id"))).put("at", r.getOffsetDateTime("at").toInstant().toString())
                .put("actor", actor).put("action", r.getString("action")).put("community", r.getString("community"))
                .put("target", target).put("details", details);
    }

    private static void putIfPresent(JsonObject json, String field, Object value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw KringException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static Long cursor(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw KringException.badRequest("before must be the next cursor of an earlier page");
        }
    }
}
