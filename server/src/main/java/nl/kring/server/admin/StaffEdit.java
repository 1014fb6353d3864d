package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;

/**
 * Changing a staff account through the admin API (the back office, issue 27): display name,
 * badge, communities and whether a second factor is required; and enabling a disabled account
 * again. The role is not editable. The same permission as the other staff calls ("manage staff",
 * for staff this admin may manage: {@link StaffAdmin#manageable}); widening an admin's communities
 * is for installation admins only, as making one is. Every change is audited. Stateless.
 */
public final class StaffEdit {

    static final Set<String> EDITABLE = Set.of("displayName", "badge", "communities", "totpRequired");
    static final String SET_NAME = "UPDATE users SET pseudonym = $2 WHERE id = $1";
    static final String SET_ACCOUNT = "UPDATE staff_accounts SET badge = $2, totp_required = $3 WHERE user_id = $1";
    static final String CLEAR_COMMUNITIES = "DELETE FROM staff_communities WHERE user_id = $1";
    static final String ADD_COMMUNITIES = "INSERT INTO staff_communities (user_id, community_id) SELECT $1, unnest($2::bigint[])";
    static final String ENABLE = "UPDATE users SET banned_at = NULL WHERE id = $1";

    private final Database db;
    private final AuthService auth;
    private final StaffAdmin staff;

    public StaffEdit(Database db, AuthService auth, StaffAdmin staff) {
        this.db = db;
        this.auth = auth;
        this.staff = staff;
    }

    /** Changes the fields present in {@code body}; 200 with the Staff object. */
    public Future<JsonObject> edit(Principal p, String staffId, JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!EDITABLE.contains(field)) {
                throw KringException.badRequest(field.equals("role") ? "the role of an account is not editable"
                        : "only displayName, badge, communities and totpRequired may be changed, not " + field);
            }
        }
        return staff.manageable(p, staffId).compose(before -> {
            long id = before.getLong("id");
            String name = Fields.string(body, "displayName", 1, 60, before.getString("pseudonym"));
            String badge = Fields.nullableString(body, "badge", 1, 40, before.getString("badge"));
            boolean totpRequired = Fields.bool(body, "totpRequired", before.getBoolean("totp_required"));
            Future<Long[]> communities = body.containsKey("communities") ? communities(p, before, body) : Future.succeededFuture(null);
            return communities.compose(ids -> db.pool().withTransaction(conn -> conn.preparedQuery(SET_NAME).execute(Tuple.of(id, name))
                            .compose(v -> conn.preparedQuery(SET_ACCOUNT).execute(Tuple.of(id, badge, totpRequired)))
                            .compose(v -> ids == null ? Future.succeededFuture() : replaceCommunities(conn, id, ids))
                            .compose(v -> conn.preparedQuery(StaffAdmin.STAFF_BY_ID).execute(Tuple.of(id)))
                            .compose(rows -> {
                                Row after = rows.iterator().next();
                                return AuditLog.record(conn, p.userId(), "staff.updated", null, id, null, null, audited(before),
                                        audited(after)).map(after);
                            }))
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .map(after -> {
                        // a narrower reach or a newly required factor applies at once: the sockets close and sign-in starts again
                        boolean narrower = ids != null || (totpRequired && !before.getBoolean("totp_required"));
                        auth.forgetUser(id, narrower ? CloseCode.SESSION_ENDED : null);
                        return StaffAdmin.toJson(after);
                    }));
        });
    }

    /** Enables a disabled account again (undoes {@link StaffAdmin#disable}); 200 with the Staff object. */
    public Future<JsonObject> enable(Principal p, String staffId) {
        return staff.manageable(p, staffId).compose(before -> {
            long id = before.getLong("id");
            return db.pool().withTransaction(conn -> conn.preparedQuery(ENABLE).execute(Tuple.of(id))
                            .compose(v -> AuditLog.record(conn, p.userId(), "staff.enabled", null, id, null, null,
                                    new JsonObject().put("disabled", before.getOffsetDateTime("banned_at") != null),
                                    new JsonObject().put("disabled", false))))
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .compose(v -> staff.byUserId(id))
                    .map(StaffAdmin::toJson);
        });
    }

    /** The new communities' ids, each one this admin may manage staff in. */
    private Future<Long[]> communities(Principal p, Row target, JsonObject body) {
        Set<String> slugs = new LinkedHashSet<>(Fields.strings(body, "communities", 100));
        if (target.getBoolean("all_communities")) {
            throw KringException.badRequest("this account works in every community");
        }
        if (slugs.isEmpty()) {
            throw KringException.badRequest("communities must name at least one community");
        }
        if (Role.fromWireName(target.getString("role")).orElseThrow() == Role.ADMIN) {
            // an admin reads conversations: widening where, like making one, is for installation admins
            Access.checkInstallation(p, Action.CREATE_ADMINS);
        }
        return db.pool().preparedQuery(StaffAdmin.COMMUNITY_IDS).execute(Tuple.of((Object) slugs.toArray(new String[0])))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() != slugs.size()) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "unknown community in communities"));
                    }
                    Long[] ids = new Long[rows.size()];
                    int i = 0;
                    for (Row r : rows) {
                        Access.checkCommunity(p, r.getLong(0), Action.MANAGE_STAFF);
                        ids[i++] = r.getLong(0);
                    }
                    return Future.succeededFuture(ids);
                });
    }

    private static Future<Void> replaceCommunities(SqlConnection conn, long id, Long[] ids) {
        return conn.preparedQuery(CLEAR_COMMUNITIES).execute(Tuple.of(id))
                .compose(v -> conn.preparedQuery(ADD_COMMUNITIES).execute(Tuple.of(id, (Object) ids)))
                .mapEmpty();
    }

    private static JsonObject audited(Row r) {
        return new JsonObject().put("displayName", r.getString("pseudonym")).put("badge", r.getString("badge"))
                .put("communities", new JsonArray(List.of(r.getArrayOfStrings("slugs"))))
                .put("totpRequired", r.getBoolean("totp_required"));
    }
}
