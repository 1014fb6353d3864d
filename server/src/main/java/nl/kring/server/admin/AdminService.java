package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.accounts.PasswordPolicy;
import nl.kring.server.accounts.Principal;
import nl.kring.server.accounts.Role;
import nl.kring.server.accounts.Secrets;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;

/**
 * The admin calls of the HTTP API: communities, rooms, invite codes and staff accounts.
 * Installation-wide admins may do everything; a community admin only within their communities.
 */
public final class AdminService {

    static final String INSERT_COMMUNITY = "INSERT INTO communities (slug, name) VALUES ($1, $2) RETURNING id";
    static final String COMMUNITY_BY_SLUG = "SELECT id FROM communities WHERE slug = $1";
    static final String INSERT_ROOM = "INSERT INTO rooms (community_id, name, kind) VALUES ($1, $2, $3) RETURNING id";
    static final String INSERT_INVITE = "INSERT INTO invites (community_id, code_hash, uses_left, expires_at) VALUES ($1, $2, $3, $4)";
    static final String COUNT_COMMUNITIES = "SELECT count(*) FROM communities WHERE slug = ANY($1)";

    private final Database db;
    private final AuthService auth;

    public AdminService(Database db, AuthService auth) {
        this.db = db;
        this.auth = auth;
    }

    public Future<JsonObject> createCommunity(Principal admin, JsonObject body) {
        requireAdmin(admin);
        if (!admin.allCommunities()) {
            throw new KringException(ErrorCode.FORBIDDEN, "only an installation admin creates communities");
        }
        String slug = string(body, "slug", 2, 63);
        String name = string(body, "name", 1, 100);
        if (!slug.matches("[a-z0-9][a-z0-9_-]{1,62}")) {
            throw KringException.badRequest("slug must be 2 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
        return db.pool().preparedQuery(INSERT_COMMUNITY).execute(Tuple.of(slug, name))
                .map(rows -> new JsonObject().put("id", Long.toString(rows.iterator().next().getLong(0)))
                        .put("slug", slug).put("name", name))
                .recover(t -> Future.failedFuture(Database.isUniqueViolation(t)
                        ? new KringException(ErrorCode.CONFLICT, "a community with this slug exists")
                        : db.failure(t)));
    }

    public Future<JsonObject> createRoom(Principal admin, String slug, JsonObject body) {
        requireAdmin(admin);
        String name = string(body, "name", 1, 100);
        String kind = body.getValue("kind") == null ? "community" : string(body, "kind", 1, 40);
        if (!kind.equals("community")) {
            throw KringException.badRequest("kind must be community");
        }
        return community(admin, slug).compose(communityId -> db.pool().preparedQuery(INSERT_ROOM)
                        .execute(Tuple.of(communityId, name, kind))
                        .map(rows -> new JsonObject().put("id", Long.toString(rows.iterator().next().getLong(0)))
                                .put("name", name).put("kind", kind).put("community", slug)))
                .recover(t -> Future.failedFuture(db.failure(t)));
    }

    public Future<JsonObject> createInvites(Principal admin, String slug, JsonObject body) {
        requireAdmin(admin);
        int count = integer(body, "count", 1, 1000, null);
        int uses = integer(body, "uses", 1, 10_000, 1);
        int days = integer(body, "expiresInDays", 1, 365, 30);
        Instant expires = Instant.now().plus(days, ChronoUnit.DAYS);
        List<String> codes = new ArrayList<>(count);
        List<Tuple> batch = new ArrayList<>(count);
        return community(admin, slug).compose(communityId -> {
            for (int i = 0; i < count; i++) {
                String code = Secrets.newInviteCode();
                codes.add(code);
                batch.add(Tuple.of(communityId, io.vertx.core.buffer.Buffer.buffer(Secrets.sha256(Secrets.normaliseInviteCode(code))),
                        uses, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC)));
            }
            return db.pool().preparedQuery(INSERT_INVITE).executeBatch(batch)
                    .recover(t -> Future.failedFuture(db.failure(t)));
        }).map(v -> new JsonObject().put("codes", new JsonArray(codes)).put("uses", uses)
                .put("expiresAt", expires.truncatedTo(ChronoUnit.SECONDS).toString()));
    }

    public Future<JsonObject> createStaff(Principal admin, JsonObject body) {
        requireAdmin(admin);
        String email = string(body, "email", 3, 254).toLowerCase(java.util.Locale.ROOT);
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw KringException.badRequest("email is not an e-mail address");
        }
        String password = string(body, "password", PasswordPolicy.MIN_LENGTH, 1024);
        String displayName = string(body, "displayName", 1, 60);
        Optional<Role> role = Role.fromWireName(string(body, "role", 1, 40)).filter(Role::isStaff);
        if (role.isEmpty()) {
            throw KringException.badRequest("role must be peer_expert, professional, moderator or admin");
        }
        Set<String> communities = new LinkedHashSet<>();
        Object raw = body.getValue("communities");
        if (raw != null) {
            if (!(raw instanceof JsonArray list)) {
                throw KringException.badRequest("communities must be a list of slugs");
            }
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw KringException.badRequest("communities must be a list of slugs");
                }
                communities.add(s);
            }
        }
        if (!admin.allCommunities()) {
            if (role.get() == Role.ADMIN) {
                throw new KringException(ErrorCode.FORBIDDEN, "only an installation admin creates admins");
            }
            if (!admin.staffCommunitySlugs().containsAll(communities)) {
                throw new KringException(ErrorCode.FORBIDDEN, "you can only add staff to your own communities");
            }
        }
        return db.pool().preparedQuery(COUNT_COMMUNITIES).execute(Tuple.of((Object) communities.toArray(new String[0])))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> rows.iterator().next().getLong(0) == communities.size()
                        ? auth.createStaff(role.get(), displayName, email, password, communities)
                        : Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "unknown community in communities")))
                .map(id -> new JsonObject().put("email", email).put("role", role.get().wireName())
                        .put("displayName", displayName).put("communities", new JsonArray(new ArrayList<>(communities))));
    }

    /** The community's id, if it exists and this admin administers it (404 either way, 403 for other admins' ones). */
    private Future<Long> community(Principal admin, String slug) {
        return db.pool().preparedQuery(COMMUNITY_BY_SLUG).execute(Tuple.of(slug))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such community"));
                    }
                    Row row = rows.iterator().next();
                    long id = row.getLong("id");
                    return admin.mayEnter(id)
                            ? Future.succeededFuture(id)
                            : Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "not your community"));
                });
    }

    private static void requireAdmin(Principal p) {
        if (!p.isAdmin()) {
            throw new KringException(ErrorCode.FORBIDDEN, "this needs the admin role");
        }
    }

    static String string(JsonObject body, String field, int min, int max) {
        Object v = body.getValue(field);
        if (!(v instanceof String s) || s.trim().length() < min || s.length() > max) {
            throw KringException.badRequest(field + " must be a string of " + min + " to " + max + " characters");
        }
        return s.trim();
    }

    static int integer(JsonObject body, String field, int min, int max, Integer def) {
        Object v = body.getValue(field);
        if (v == null && def != null) {
            return def;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.intValue() < min || n.intValue() > max) {
            throw KringException.badRequest(field + " must be a whole number from " + min + " to " + max);
        }
        return n.intValue();
    }
}
