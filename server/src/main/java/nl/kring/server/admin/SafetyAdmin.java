package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import nl.kring.moderation.help.HelpResource;
import nl.kring.moderation.help.OpeningHours;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.shared.Principal;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.communities.CommunityRepository;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.safety.SafetyService;

/**
 * The #chatsafe calls of the HTTP API: a community's help directory (public, and managed by its
 * admins). Held messages are worked in the moderation queue ({@code nl.kring.server.moderation}).
 */
public final class SafetyAdmin {

    static final String INSERT_HELP = """
            INSERT INTO help_resources (community_id, title, description, phone, url, hours, crisis)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""";
    static final String HELP_COMMUNITY = "SELECT community_id FROM help_resources WHERE id = $1 AND removed_at IS NULL";
    static final String REMOVE_HELP = "UPDATE help_resources SET removed_at = now() WHERE id = $1";
    private final Database db;
    private final CommunityRepository communities;
    private final CommunityAdmin admin;
    private final SafetyService safety;
    private final Clock clock;

    public SafetyAdmin(Database db, CommunityRepository communities, CommunityAdmin admin, SafetyService safety, Clock clock) {
        this.db = db;
        this.communities = communities;
        this.admin = admin;
        this.safety = safety;
        this.clock = clock;
    }

    /** Every helpline of a community with whether it is open now, crisis lines first (public). */
    public Future<JsonObject> help(String slug) {
        return communities.bySlug(slug)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(c -> c.isEmpty()
                        ? Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such community"))
                        : safety.forCommunity(c.get().id()))
                .map(cs -> {
                    java.util.List<HelpResource> open = cs.help().openAt(clock.instant());
                    JsonArray out = new JsonArray();
                    for (HelpResource r : open) {
                        out.add(SafetyService.resourceJson(r, true));
                    }
                    for (HelpResource r : cs.help().all()) {
                        if (!open.contains(r)) {
                            out.add(SafetyService.resourceJson(r, false));
                        }
                    }
                    return new JsonObject().put("resources", out);
                });
    }

    public Future<JsonObject> addHelp(Principal p, String slug, JsonObject body) {
        return admin.community(p, slug, Action.MANAGE_COMMUNITY).compose(c -> {
            String title = text(body, "name", 1, 100, true);
            String description = text(body, "description", 0, 500, false);
            String phone = text(body, "phone", 3, 30, false);
            String url = text(body, "url", 10, 300, false);
            if (url != null && (!url.startsWith("https://") || url.contains(" "))) {
                throw KringException.badRequest("url must be an https:// address");
            }
            if (phone == null && url == null) {
                throw KringException.badRequest("phone or url is required");
            }
            String hoursText = text(body, "hours", 1, 300, true);
            OpeningHours hours;
            try {
                hours = OpeningHours.parse(hoursText);
            } catch (IllegalArgumentException e) {
                throw KringException.badRequest("hours: " + e.getMessage());
            }
            Object crisisValue = body.getValue("crisis");
            if (crisisValue != null && !(crisisValue instanceof Boolean)) {
                throw KringException.badRequest("crisis must be true or false");
            }
            boolean crisis = Boolean.TRUE.equals(crisisValue);
            return db.pool().withTransaction(conn -> conn.preparedQuery(INSERT_HELP)
                            .execute(Tuple.from(new Object[] {c.id(), title, description == null ? "" : description, phone, url,
                                    hours.toString(), crisis}))
                            .map(rows -> rows.iterator().next().getLong(0))
                            .compose(id -> AuditLog.record(conn, p.userId(), "help.added", c.id(), null, "help:" + id, null, null,
                                    new JsonObject().put("name", title).put("hours", hours.toString())).map(id)))
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .map(id -> {
                        safety.invalidate(c.id());
                        return SafetyService.resourceJson(new HelpResource(Long.toString(id), title, description == null ? "" : description,
                                phone, url, hours, crisis), hours.isOpen(clock.instant()));
                    });
        });
    }

    public Future<Void> removeHelp(Principal p, String helpId) {
        long id;
        try {
            id = Long.parseLong(helpId);
        } catch (NumberFormatException e) {
            throw new KringException(ErrorCode.NOT_FOUND, "no such help entry");
        }
        return db.pool().preparedQuery(HELP_COMMUNITY).execute(Tuple.of(id))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    Long community = rows.size() == 0 ? null : rows.iterator().next().getLong(0);
                    if (community == null || !p.mayEnter(community)) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such help entry"));
                    }
                    Access.checkCommunity(p, community, Action.MANAGE_COMMUNITY);
                    return db.pool().withTransaction(conn -> conn.preparedQuery(REMOVE_HELP).execute(Tuple.of(id))
                                    .compose(v -> AuditLog.record(conn, p.userId(), "help.removed", community, null, "help:" + id,
                                            null, null, null)))
                            .recover(t -> Future.failedFuture(db.failure(t)))
                            .onSuccess(v -> safety.invalidate(community));
                });
    }

    /** Held messages of a community, most serious and oldest first, for moderators. */
    private static String text(JsonObject body, String field, int min, int max, boolean required) {
        Object v = body.getValue(field);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s) || s.strip().length() < min || s.length() > max) {
            throw KringException.badRequest(field + " must be a string of " + min + " to " + max + " characters");
        }
        return s.strip();
    }
}
