package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.access.Permissions;
import nl.kring.server.shared.RoomKind;
import nl.kring.server.access.Rule;
import nl.kring.server.shared.AgeBand;
import nl.kring.server.shared.Principal;
import nl.kring.server.accounts.Regions;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.communities.Community;
import nl.kring.server.communities.CommunityRepository;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.rooms.RoomRepository;
import nl.kring.server.shared.RoomSettings;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.safety.SafetySettings;

/**
 * Communities and their rooms through the admin API: front door, policy, room kinds and
 * settings. Every change is audited; a changed room takes effect at once on this node.
 */
public final class CommunityAdmin {

    static final String SLUG = "[a-z0-9][a-z0-9_-]{1,62}";
    static final String COLOUR = "#[0-9a-f]{6}";
    static final String LOGO = "data:image/(png|webp|svg\\+xml);base64,[A-Za-z0-9+/=]+";

    private final Database db;
    private final CommunityRepository communities;
    private final RoomRepository rooms;
    private final RoomRegistry active;
    private final SafetyService safety;

    public CommunityAdmin(Database db, CommunityRepository communities, RoomRepository rooms, RoomRegistry active,
                          SafetyService safety) {
        this.safety = safety;
        this.db = db;
        this.communities = communities;
        this.rooms = rooms;
        this.active = active;
    }

    /** The community if it exists (404) and this user may do {@code action} there (403). */
    public Future<Community> community(Principal p, String slug, Action action) {
        return communities.bySlug(slug)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(found -> {
                    if (found.isEmpty()) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such community"));
                    }
                    Access.checkCommunity(p, found.get().id(), action);
                    return Future.succeededFuture(found.get());
                });
    }

    /** The community if it exists and this user belongs to it or works in it ({@code not_found} otherwise: nothing leaks). */
    public Future<Community> visible(Principal p, String slug) {
        return communities.bySlug(slug)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(found -> found.isEmpty() || !p.mayEnter(found.get().id())
                        ? Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such community"))
                        : Future.succeededFuture(found.get()));
    }

    /** The public front door of a community (no sign-in needed). */
    public Future<JsonObject> frontDoor(String slug) {
        return communities.bySlug(slug)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(found -> found.isEmpty()
                        ? Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such community"))
                        : Future.succeededFuture(found.get().frontDoor()));
    }

    public Future<JsonObject> createCommunity(Principal p, JsonObject body) {
        Access.checkInstallation(p, Action.MANAGE_COMMUNITY);
        String slug = Fields.string(body, "slug", 2, 63);
        String name = Fields.string(body, "name", 1, 100);
        if (!slug.matches(SLUG)) {
            throw KringException.badRequest("slug must be 2 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
        return communities.insert(slug, name)
                .recover(t -> Future.failedFuture(Database.isUniqueViolation(t)
                        ? new KringException(ErrorCode.CONFLICT, "a community with this slug exists")
                        : db.failure(t)))
                .compose(created -> {
                    Community updated = apply(created, body);
                    return (updated.equals(created) ? Future.succeededFuture(created) : communities.update(updated))
                            .recover(t -> Future.failedFuture(db.failure(t)));
                })
                .compose(c -> AuditLog.record(db.pool(), p.userId(), "community.created", c.id(), null, "community:" + c.id(),
                        null, null, c.toAdminJson()).map(v -> c))
                .map(c -> c.toAdminJson().put("id", Long.toString(c.id())));
    }

    /** The communities this staff member works in (all for installation-wide staff). */
    public Future<JsonObject> listCommunities(Principal p) {
        if (p.isMember()) {
            throw new KringException(ErrorCode.FORBIDDEN, "members see their own community's front door");
        }
        return communities.list(p.allCommunities(), p.staffCommunities().toArray(new Long[0]))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(list -> {
                    JsonArray out = new JsonArray();
                    for (Community c : list) {
                        out.add(c.frontDoor());
                    }
                    return new JsonObject().put("communities", out);
                });
    }

    public Future<JsonObject> getCommunity(Principal p, String slug) {
        return community(p, slug, Action.MANAGE_COMMUNITY).map(Community::toAdminJson);
    }

    public Future<JsonObject> updateCommunity(Principal p, String slug, JsonObject body) {
        return community(p, slug, Action.MANAGE_COMMUNITY).compose(before -> {
            Community after = apply(before, body);
            return communities.update(after)
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .onSuccess(saved -> safety.invalidate(saved.id()))
                    .compose(saved -> AuditLog.record(db.pool(), p.userId(), "community.updated", saved.id(), null,
                            "community:" + saved.id(), null, before.toAdminJson(), saved.toAdminJson()).map(v -> saved));
        }).map(Community::toAdminJson);
    }

    /** The community with the fields present in {@code body} changed; bad_request names a bad field. */
    public static Community apply(Community c, JsonObject body) {
        String name = Fields.string(body, "name", 1, 100, c.name());
        String primary = Fields.string(body, "primaryColour", 7, 7, c.primaryColour()).toLowerCase(java.util.Locale.ROOT);
        String accent = Fields.string(body, "accentColour", 7, 7, c.accentColour()).toLowerCase(java.util.Locale.ROOT);
        if (!primary.matches(COLOUR) || !accent.matches(COLOUR)) {
            throw KringException.badRequest("primaryColour and accentColour must be colours like #2f6f73");
        }
        String logo = Fields.nullableString(body, "logo", 20, 49152, c.logo());
        if (logo != null && !logo.matches(LOGO)) {
            throw KringException.badRequest("logo must be a data:image/png, image/webp or image/svg+xml base64 URI of at most 48 KiB");
        }
        String welcome = Fields.string(body, "welcomeText", 0, 4000, c.welcomeText());
        String rules = Fields.string(body, "houseRules", 0, 8000, c.houseRules());
        Set<AgeBand> current = EnumSet.noneOf(AgeBand.class);
        c.ageBands().forEach(b -> AgeBand.fromWireName(b).ifPresent(current::add));
        List<String> bands = Fields.wireNames(Fields.ageBands(body, "ageBands", current));
        JsonObject policy = c.policy();
        if (body.containsKey("policy")) {
            if (!(body.getValue("policy") instanceof JsonObject o) || o.encode().length() > 16_384) {
                throw KringException.badRequest("policy must be a JSON object of at most 16 KiB");
            }
            try {
                SafetySettings.validate(o, c.slug());
                nl.kring.server.retention.RetentionJob.messageDays(o);
            } catch (IllegalArgumentException e) {
                throw KringException.badRequest("policy: " + e.getMessage());
            }
            policy = o;
        }
        return new Community(c.id(), c.slug(), name, primary, accent, logo, welcome, rules, bands, policy, c.logoVersion());
    }

    // ---- rooms -------------------------------------------------------------------------------

    public Future<JsonObject> createRoom(Principal p, String slug, JsonObject body) {
        return community(p, slug, Action.MANAGE_ROOMS).compose(c -> {
            String kindName = Fields.string(body, "kind", 1, 40, "community");
            RoomKind kind = RoomKind.fromWireName(kindName).filter(RoomKind::createdByAdmins).orElseThrow(() ->
                    KringException.badRequest("kind must be community, naasten or age_banded (spreekuur and private rooms open by themselves)"));
            RoomSettings settings = roomSettings(RoomSettings.community(Fields.string(body, "name", 1, 100)), kind, body);
            return insertRoom(p, c, slug, settings);
        });
    }

    private Future<JsonObject> insertRoom(Principal p, Community c, String slug, RoomSettings settings) {
        return rooms.insert(c.id(), settings)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(id -> AuditLog.record(db.pool(), p.userId(), "room.created", c.id(), null, "room:" + id, null,
                        null, settings.toJson()).map(v -> settings.toJson().put("id", Long.toString(id)).put("community", slug)));
    }

    public Future<JsonObject> updateRoom(Principal p, String roomId, JsonObject body) {
        return changeRoom(p, roomId, body, Action.MANAGE_ROOMS, "room.updated");
    }

    /** The room controls a moderator may set (slow mode, read-only, pinned notice); nothing else of a room. */
    static final Set<String> ROOM_CONTROLS = Set.of("slowModeSeconds", "readOnly", "pinnedNotice");

    /**
     * The moderators' room controls: slow mode, read-only and pinned notice, for staff whom the table
     * lets "set room controls" in the room's community; applied live exactly as {@link #updateRoom}
     * does, audited as {@code room.controls_set}. Any other field is {@code bad_request}.
     */
    public Future<JsonObject> setRoomControls(Principal p, String roomId, JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!ROOM_CONTROLS.contains(field)) {
                throw KringException.badRequest("only slowModeSeconds, readOnly and pinnedNotice may be set here, not " + field);
            }
        }
        return changeRoom(p, roomId, body, Action.SET_ROOM_CONTROLS, "room.controls_set");
    }

    private Future<JsonObject> changeRoom(Principal p, String roomId, JsonObject body, Action action, String auditAction) {
        long id = Fields.id(roomId, "room");
        return rooms.summary(id)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(found -> {
                    if (found.isEmpty() || !p.mayEnter(found.get().communityId())) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such room"));
                    }
                    RoomRepository.RoomSummary before = found.get();
                    Access.checkCommunity(p, before.communityId(), action);
                    if (Permissions.rule(p.actor(), action, before.settings().kind()) != Rule.YES) {
                        throw new KringException(ErrorCode.FORBIDDEN, "your role may not " + action.label() + " in "
                                + before.settings().kind().wireName() + " rooms");
                    }
                    RoomSettings after = roomSettings(before.settings(), before.settings().kind(), body);
                    return rooms.update(id, after)
                            .recover(t -> Future.failedFuture(db.failure(t)))
                            .compose(v -> AuditLog.record(db.pool(), p.userId(), auditAction, before.communityId(), null,
                                    "room:" + id, null, before.settings().toJson(), after.toJson()))
                            .map(v -> {
                                active.ifActive(id).ifPresent(room -> room.update(after));
                                active.changed(id);
                                return new RoomRepository.RoomSummary(id, before.communityId(), before.community(), after).toJson();
                            });
                });
    }

    public Future<JsonObject> listRooms(Principal p, String slug) {
        return community(p, slug, Action.MANAGE_ROOMS).compose(c -> rooms.list(false, new Long[] {c.id()}, true)
                .recover(t -> Future.failedFuture(db.failure(t))))
                .map(list -> {
                    JsonArray out = new JsonArray();
                    list.forEach(r -> out.add(r.toJson()));
                    return new JsonObject().put("rooms", out);
                });
    }

    /** Room settings with the fields present in {@code body} changed. */
    public static RoomSettings roomSettings(RoomSettings c, RoomKind kind, JsonObject body) {
        String name = Fields.string(body, "name", 1, 100, c.name());
        Set<AgeBand> bands = c.ageBands();
        if (kind == RoomKind.AGE_BANDED) {
            bands = Fields.ageBands(body, "ageBands", bands.isEmpty() ? null : bands);
            if (bands == null) {
                throw KringException.badRequest("ageBands is required for an age_banded room");
            }
        } else if (body.containsKey("ageBands")) {
            throw KringException.badRequest("ageBands is only for age_banded rooms");
        }
        String region = c.region();
        if (body.containsKey("region")) {
            region = body.getValue("region") == null ? null : Fields.oneOf(body, "region", Regions.PROVINCES, null);
        }
        int capacity = Fields.integer(body, "capacity", 2, 100_000, c.capacity());
        int slow = Fields.integer(body, "slowModeSeconds", 0, 3600, c.slowModeSeconds());
        boolean readOnly = Fields.bool(body, "readOnly", c.readOnly());
        String pinned = Fields.nullableString(body, "pinnedNotice", 1, 1000, c.pinnedNotice());
        boolean archived = Fields.bool(body, "archived", c.archived());
        return new RoomSettings(name, kind, bands, region, capacity, slow, readOnly, pinned, archived);
    }
}
