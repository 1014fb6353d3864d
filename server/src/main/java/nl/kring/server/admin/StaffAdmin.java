package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.accounts.AccountRepository;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.accounts.PasswordPolicy;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;

/**
 * Staff accounts through the admin API. In rooms staff appear only with their display name and
 * a verified badge; their e-mail address and real name are shown to admins on request, and
 * every such view is written to the audit table.
 */
public final class StaffAdmin {

    static final String COMMUNITY_IDS = "SELECT id FROM communities WHERE slug = ANY($1)";
    static final String STAFF_COLUMNS = """
            u.id, u.public_id, u.role, u.pseudonym, u.all_communities, u.banned_at,
            sa.totp_enabled_at IS NOT NULL AS totp_enabled, sa.totp_required, sa.badge,
            ARRAY(SELECT sc.community_id FROM staff_communities sc WHERE sc.user_id = u.id) AS community_ids,
            ARRAY(SELECT c.slug FROM staff_communities sc JOIN communities c ON c.id = sc.community_id
                  WHERE sc.user_id = u.id ORDER BY c.slug) AS slugs""";
    static final String LIST_STAFF = "SELECT " + STAFF_COLUMNS + """
             FROM users u JOIN staff_accounts sa ON sa.user_id = u.id
            WHERE $1 OR EXISTS (SELECT 1 FROM staff_communities sc WHERE sc.user_id = u.id AND sc.community_id = ANY($2))
            ORDER BY u.id""";
    static final String STAFF_BY_PUBLIC_ID = "SELECT " + STAFF_COLUMNS
            + " FROM users u JOIN staff_accounts sa ON sa.user_id = u.id WHERE u.public_id = $1";
    static final String STAFF_BY_ID = "SELECT " + STAFF_COLUMNS
            + " FROM users u JOIN staff_accounts sa ON sa.user_id = u.id WHERE u.id = $1";
    static final String IDENTITY = "SELECT email, real_name FROM staff_accounts WHERE user_id = $1";
    static final String DISABLE = "UPDATE users SET banned_at = coalesce(banned_at, now()) WHERE id = $1";

    private final Database db;
    private final KringMetrics metrics;
    private final AuthService auth;

    public StaffAdmin(Database db, AuthService auth, KringMetrics metrics) {
        this.metrics = metrics;
        this.db = db;
        this.auth = auth;
    }

    public Future<JsonObject> createStaff(Principal p, JsonObject body) {
        Access.checkRole(p, Action.MANAGE_STAFF);
        String email = Fields.string(body, "email", 3, 254).toLowerCase(Locale.ROOT);
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw KringException.badRequest("email is not an e-mail address");
        }
        String password = Fields.string(body, "password", PasswordPolicy.MIN_LENGTH, 1024);
        String displayName = Fields.string(body, "displayName", 1, 60);
        String realName = Fields.string(body, "realName", 1, 120, null);
        Optional<Role> role = Role.fromWireName(Fields.string(body, "role", 1, 40)).filter(Role::isStaff);
        if (role.isEmpty()) {
            throw KringException.badRequest("role must be peer_expert, professional, moderator, admin or operator");
        }
        Set<String> communities = new LinkedHashSet<>(Fields.strings(body, "communities", 100));
        boolean installationWide = role.get() == Role.OPERATOR;
        if (!installationWide && communities.isEmpty() && !p.allCommunities()) {
            throw KringException.badRequest("communities must name at least one community");
        }
        if (role.get() == Role.ADMIN) {
            // an admin reads conversations, which an operator may not: only an installation admin makes one
            Access.checkInstallation(p, Action.CREATE_ADMINS);
        } else if (installationWide) {
            Access.checkInstallation(p, Action.MANAGE_STAFF);
        }
        return db.pool().preparedQuery(COMMUNITY_IDS).execute(Tuple.of((Object) communities.toArray(new String[0])))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() != communities.size()) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "unknown community in communities"));
                    }
                    for (Row r : rows) {
                        Access.checkCommunity(p, r.getLong(0), Action.MANAGE_STAFF);
                    }
                    return auth.createStaff(role.get(), displayName, email, realName, password, installationWide, communities);
                })
                .compose(id -> AuditLog.record(db.pool(), p.userId(), "staff.created", null, id, null, null, null,
                        new JsonObject().put("role", role.get().wireName()).put("displayName", displayName)
                                .put("communities", new JsonArray(new ArrayList<>(communities)))).map(id))
                .compose(id -> byUserId(id))
                .map(staff -> toJson(staff).put("email", email));
    }

    /** Staff of the communities this user may manage staff in; without e-mail addresses or names. */
    public Future<JsonObject> listStaff(Principal p) {
        Access.checkRole(p, Action.MANAGE_STAFF);
        return db.pool().preparedQuery(LIST_STAFF).execute(Tuple.of(p.allCommunities(), (Object) p.staffCommunities().toArray(new Long[0])))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rows) {
                        out.add(toJson(r));
                    }
                    return new JsonObject().put("staff", out);
                });
    }

    /** A staff member's real identity, for an admin, with a reason; the view is audited. */
    public Future<JsonObject> identity(Principal p, String staffId, JsonObject body) {
        if (p.role() != Role.ADMIN) {
            throw new KringException(ErrorCode.FORBIDDEN, "only admins may see a staff member's identity");
        }
        String reason = Fields.string(body, "reason", 1, 1000);
        return manageable(p, staffId).compose(staff -> db.pool().withTransaction(conn ->
                        AuditLog.record(conn, p.userId(), "staff.identity_viewed", null, staff.getLong("id"), null, reason, null, null)
                                .compose(v -> conn.preparedQuery(IDENTITY).execute(Tuple.of(staff.getLong("id")))))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    metrics.accountEvent(KringMetrics.AccountEvent.IDENTITY_VIEWED);
                    Row r = rows.iterator().next();
                    JsonObject out = toJson(staff).put("email", r.getString("email"));
                    if (r.getString("real_name") != null) {
                        out.put("realName", r.getString("real_name"));
                    }
                    return out;
                }));
    }

    /** Disables a staff account: it can no longer sign in, and its sockets close with 4503. */
    public Future<JsonObject> disable(Principal p, String staffId, JsonObject body) {
        String reason = Fields.string(body, "reason", 1, 1000);
        return manageable(p, staffId).compose(staff -> {
            long id = staff.getLong("id");
            if (id == p.userId()) {
                return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "you cannot disable your own account"));
            }
            return db.pool().withTransaction(conn -> conn.preparedQuery(DISABLE).execute(Tuple.of(id))
                            .compose(v -> conn.preparedQuery(AccountRepository.REVOKE_USER_SESSIONS).execute(Tuple.of(id, "disabled")))
                            .compose(v -> AuditLog.record(conn, p.userId(), "staff.disabled", null, id, null, reason, null, null)))
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .map(v -> {
                        auth.forgetUser(id, CloseCode.BANNED);
                        metrics.accountEvent(KringMetrics.AccountEvent.STAFF_DISABLED);
                        return new JsonObject().put("disabled", true);
                    });
        });
    }

    /** Ends every session of a staff member (a lost laptop): sockets close with 4500, they sign in again. */
    public Future<JsonObject> revokeSessions(Principal p, String staffId, JsonObject body) {
        String reason = Fields.string(body, "reason", 1, 1000);
        return manageable(p, staffId).compose(staff -> auth.endUser(staff.getLong("id"), "revoked", CloseCode.SESSION_ENDED)
                .compose(ids -> AuditLog.record(db.pool(), p.userId(), "staff.sessions_revoked", null, staff.getLong("id"), null,
                        reason, null, new JsonObject().put("sessions", ids.size())).map(ids.size())))
                .map(n -> new JsonObject().put("revoked", n));
    }

    /**
     * Resets a staff member's password (a leaked one, a forgotten one): every session of theirs
     * ends (4500) and the reply carries a temporary password, once, for the admin to pass on; with
     * it they can only choose a new password. Audited with the reason. Not for one's own account.
     */
    public Future<JsonObject> resetPassword(Principal p, String staffId, JsonObject body) {
        String reason = Fields.string(body, "reason", 1, 1000);
        return manageable(p, staffId).compose(staff -> {
            long id = staff.getLong("id");
            if (id == p.userId()) {
                return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN,
                        "change your own password with POST /api/v1/me/password"));
            }
            return auth.resetPassword(id, conn -> AuditLog.record(conn, p.userId(), "staff.password_reset", null, id, null,
                            reason, null, null))
                    .map(password -> new JsonObject().put("temporaryPassword", password).put("passwordChangeRequired", true));
        });
    }

    /** A staff member this admin may manage: 404 when unknown or outside their communities, 403 for a wider account. */
    Future<Row> manageable(Principal p, String staffId) {
        Access.checkRole(p, Action.MANAGE_STAFF);
        return db.pool().preparedQuery(STAFF_BY_PUBLIC_ID).execute(Tuple.of(staffId))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such staff member"));
                    }
                    Row staff = rows.iterator().next();
                    if (p.allCommunities()) {
                        return Future.succeededFuture(staff);
                    }
                    List<Long> theirs = List.of(staff.getArrayOfLongs("community_ids"));
                    boolean overlaps = theirs.stream().anyMatch(p.staffCommunities()::contains);
                    if (!overlaps) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such staff member"));
                    }
                    Role role = Role.fromWireName(staff.getString("role")).orElseThrow();
                    if (role == Role.ADMIN || role == Role.OPERATOR || staff.getBoolean("all_communities")
                            || !p.staffCommunities().containsAll(theirs)) {
                        return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN,
                                "this account is managed by an operator or an installation admin"));
                    }
                    return Future.succeededFuture(staff);
                });
    }

    Future<Row> byUserId(long id) {
        return db.pool().preparedQuery(STAFF_BY_ID).execute(Tuple.of(id))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> rows.iterator().next());
    }

    static JsonObject toJson(Row r) {
        JsonObject json = new JsonObject().put("id", r.getString("public_id")).put("role", r.getString("role"))
                .put("displayName", r.getString("pseudonym"))
                .put("communities", new JsonArray(List.of(r.getArrayOfStrings("slugs"))))
                .put("totpEnabled", r.getBoolean("totp_enabled")).put("totpRequired", r.getBoolean("totp_required"))
                .put("badge", r.getString("badge")).put("disabled", r.getOffsetDateTime("banned_at") != null);
        if (r.getBoolean("all_communities")) {
            json.put("allCommunities", true);
        }
        return json;
    }
}
