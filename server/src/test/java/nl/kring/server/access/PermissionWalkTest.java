package nl.kring.server.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import nl.kring.server.shared.Actor;
import nl.kring.server.shared.RoomKind;

/**
 * Walks the permission table through a running server: every actor, every room kind an admin
 * can create, every action, each done for real (WebSocket requests, admin calls), and the
 * outcome compared with {@link Permissions}. Spreekuur and private rooms come with their own
 * feature; their cells are covered by {@link PermissionsTest} until then.
 */
class PermissionWalkTest extends OneServer {

    static String slug;
    static final Map<RoomKind, String> rooms = new EnumMap<>(RoomKind.class);
    static final Map<Actor, String> tokens = new EnumMap<>(Actor.class);

    @BeforeAll
    static void start() {
        slug = server.community();
        rooms.put(RoomKind.COMMUNITY, server.room(slug));
        rooms.put(RoomKind.NAASTEN, createRoom(new JsonObject().put("name", "Naasten").put("kind", "naasten")));
        rooms.put(RoomKind.AGE_BANDED, createRoom(new JsonObject().put("name", "16-17").put("kind", "age_banded")
                .put("ageBands", new JsonArray(List.of("16-17")))));
        tokens.put(Actor.MEMBER, server.member(slug));
        String naasteCode = http.post("/api/v1/admin/communities/" + slug + "/invites", api.adminToken(),
                new JsonObject().put("count", 1).put("audience", "naaste").put("label", "Familievereniging")).body()
                .getJsonArray("codes").getString(0);
        tokens.put(Actor.NAASTE, api.signUp(slug, naasteCode, ApiClient.pseudonym(), "26+", null).body().getString("token"));
        tokens.put(Actor.PEER_EXPERT, api.staff("peer_expert", slug));
        tokens.put(Actor.PROFESSIONAL, api.staff("professional", slug));
        tokens.put(Actor.MODERATOR, api.staff("moderator", slug));
        tokens.put(Actor.ADMIN, api.staff("admin", slug));
        tokens.put(Actor.OPERATOR, api.staff("operator"));
        // a message in every room, so that there is something to report
        try (WsClient admin = server.connect(api.adminToken())) {
            for (String room : rooms.values()) {
                assertThat(TestServer.sendMessage(admin, room, "seed-" + room, "Welkom").getBoolean("ok")).isTrue();
            }
        }
    }

    static String createRoom(JsonObject body) {
        Http.Response r = http.post("/api/v1/admin/communities/" + slug + "/rooms", api.adminToken(), body);
        assertThat(r.status()).as("room: %s", r.body()).isEqualTo(201);
        return r.body().getString("id");
    }

    /** Does one room action over the WebSocket; whether the server allowed it. */
    static boolean roomAction(WsClient c, Action action, String room, int n) {
        JsonObject fields = new JsonObject().put("room", room);
        String type;
        switch (action) {
            case JOIN:
                type = "join";
                break;
            case READ_HISTORY:
                type = "history";
                break;
            case SEND:
                type = "send";
                fields.put("clientMsgId", "walk-" + room + "-" + n).put("body", "Hallo");
                break;
            default:
                type = "report";
                fields.put("seq", 1).put("category", "other");
        }
        JsonObject reply = c.request(type, fields);
        if (!reply.getBoolean("ok")) {
            assertThat(reply.getJsonObject("error").getString("code")).as("%s %s", action, reply).isIn("forbidden", "not_found");
        }
        return reply.getBoolean("ok");
    }

    @Test
    void everyRoomActionOfEveryActorInEveryKindOfRoomIsAsTheTableSays() {
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (Actor actor : Actor.values()) {
            try (WsClient c = server.connect(tokens.get(actor))) {
                for (Map.Entry<RoomKind, String> room : rooms.entrySet()) {
                    for (Action action : List.of(Action.JOIN, Action.READ_HISTORY, Action.SEND, Action.REPORT)) {
                        boolean expected = Permissions.rule(actor, action, room.getKey()) == Rule.YES;
                        boolean actual = roomAction(c, action, room.getValue(), n++);
                        if (expected != actual) {
                            mismatches.add(actor + " " + action + " " + room.getKey() + ": expected " + expected + ", got " + actual);
                        }
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyManagementActionOfEveryActorIsAsTheTableSays() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        // an open consultation hour, for "host one-to-one talks"
        java.time.LocalDate day = java.time.LocalDate.of(2031, 6, 3);
        String hour = http.post("/api/v1/admin/communities/" + slug + "/spreekuren", server.adminToken(), new JsonObject()
                .put("topic", "Walk").put("firstDay", day.toString()).put("start", "10:00").put("durationMinutes", 60))
                .body().getString("spreekuur");
        server.server().spreekuren().tick(java.time.ZonedDateTime.of(day, java.time.LocalTime.of(10, 1),
                java.time.ZoneId.of("Europe/Amsterdam")).toInstant()).toCompletionStage().toCompletableFuture().get();
        for (Actor actor : Actor.values()) {
            String token = tokens.get(actor);
            // moderate: ban a member of the community
            String target = http.post("/api/v1/auth/anonymous", null, new JsonObject().put("community", slug)
                    .put("inviteCode", server.invites(slug, 1).get(0)).put("pseudonym", ApiClient.pseudonym()).put("ageBand", "18-21"))
                    .body().getJsonObject("user").getString("id");
            check(mismatches, actor + " moderate", Permissions.rule(actor, Action.MODERATE, RoomKind.COMMUNITY) == Rule.YES,
                    http.post("/api/v1/mod/members/" + target + "/ban", token, new JsonObject().put("reason", "walk")));
            for (Map.Entry<RoomKind, String> room : rooms.entrySet()) {
                check(mismatches, actor + " manage rooms " + room.getKey(),
                        Permissions.rule(actor, Action.MANAGE_ROOMS, room.getKey()) == Rule.YES,
                        http.patch("/api/v1/admin/rooms/" + room.getValue(), token, new JsonObject().put("pinnedNotice", "Notice " + n++)));
            }
            // the back office (issue 27): the moderators' room controls, live numbers, the audit trail
            for (Map.Entry<RoomKind, String> room : rooms.entrySet()) {
                check(mismatches, actor + " set room controls " + room.getKey(),
                        Permissions.rule(actor, Action.SET_ROOM_CONTROLS, room.getKey()) == Rule.YES,
                        http.patch("/api/v1/moderation/rooms/" + room.getValue(), token, new JsonObject().put("pinnedNotice", "Let op " + n++)));
            }
            check(mismatches, actor + " see live numbers", Permissions.allows(actor, Action.SEE_LIVE_NUMBERS),
                    http.get("/api/v1/admin/communities/" + slug + "/live", token));
            check(mismatches, actor + " read the audit trail", Permissions.allows(actor, Action.READ_AUDIT),
                    http.get("/api/v1/admin/audit?community=" + slug, token));
            // the installation's status: installation-wide staff only, so the walk's admin here is the installation admin
            check(mismatches, actor + " see installation status", Permissions.allows(actor, Action.SEE_INSTALLATION_STATUS),
                    http.get("/api/v1/ops/status", actor == Actor.ADMIN ? server.adminToken() : token));
            check(mismatches, actor + " issue invites", Permissions.allows(actor, Action.ISSUE_INVITES),
                    http.post("/api/v1/admin/communities/" + slug + "/invites", token, new JsonObject().put("count", 1)));
            check(mismatches, actor + " manage staff", Permissions.allows(actor, Action.MANAGE_STAFF),
                    http.post("/api/v1/admin/staff", token, new JsonObject().put("email", "walk" + n++ + "-" + actor.ordinal() + "@kring.test")
                            .put("password", "walk-password-1").put("role", "peer_expert").put("displayName", "Walk")
                            .put("communities", new JsonArray(List.of(slug)))));
            // create admins: installation-wide, so the walk's admin here is the installation admin
            check(mismatches, actor + " create admins", Permissions.allows(actor, Action.CREATE_ADMINS),
                    http.post("/api/v1/admin/staff", actor == Actor.ADMIN ? server.adminToken() : token, new JsonObject()
                            .put("email", "walk-admin" + n++ + "-" + actor.ordinal() + "@kring.test").put("password", "walk-password-1")
                            .put("role", "admin").put("displayName", "Walk").put("communities", new JsonArray(List.of(slug)))));
            check(mismatches, actor + " manage community", Permissions.allows(actor, Action.MANAGE_COMMUNITY),
                    http.patch("/api/v1/admin/communities/" + slug, token, new JsonObject().put("welcomeText", "Welkom " + n++)));
            check(mismatches, actor + " go on duty", Permissions.allows(actor, Action.GO_ON_DUTY),
                    http.put("/api/v1/moderation/duty", token, new JsonObject().put("onDuty", true).put("communities", new JsonArray(List.of(slug)))));
            // the queue: moderators and admins all of it, professionals what is escalated to them
            check(mismatches, actor + " handle escalations", Permissions.allows(actor, Action.HANDLE_ESCALATIONS)
                            || Permissions.rule(actor, Action.MODERATE, RoomKind.COMMUNITY) == Rule.YES,
                    http.get("/api/v1/moderation/communities/" + slug + "/queue", token));
            // host one-to-one talks: a member asks, the actor takes the next member
            String asker = http.post("/api/v1/auth/anonymous", null, new JsonObject().put("community", slug)
                    .put("inviteCode", server.invites(slug, 1).get(0)).put("pseudonym", ApiClient.pseudonym()).put("ageBand", "18-21"))
                    .body().getString("token");
            assertThat(http.post("/api/v1/spreekuren/" + hour + "/queue", asker, new JsonObject()).status()).isEqualTo(200);
            check(mismatches, actor + " host one-to-one talks", Permissions.allows(actor, Action.HOST_TALKS),
                    http.post("/api/v1/spreekuren/" + hour + "/take", token, null));
            // VraagBaak (issue 28): ask in the community, the answerers' "assigned to me", the editors' list
            check(mismatches, actor + " ask questions", Permissions.allows(actor, Action.ASK_QUESTIONS),
                    http.post("/api/v1/communities/" + slug + "/questions", token, new JsonObject().put("title", "Vraag " + n++)
                            .put("body", "Hoe gaat dat?")));
            check(mismatches, actor + " answer questions", Permissions.allows(actor, Action.ANSWER_QUESTIONS),
                    http.get("/api/v1/vraagbaak/assigned", token));
            check(mismatches, actor + " edit questions", Permissions.allows(actor, Action.EDIT_QUESTIONS),
                    http.get("/api/v1/vraagbaak/communities/" + slug + "/answerers", token));
        }
        assertThat(mismatches).isEmpty();
    }

    static void check(List<String> mismatches, String what, boolean expected, Http.Response r) {
        boolean actual = r.status() / 100 == 2;
        if (!actual) {
            assertThat(r.status()).as("%s: %s", what, r.body()).isEqualTo(403);
        }
        if (expected != actual) {
            mismatches.add(what + ": expected " + expected + ", got " + r.status() + " " + r.body());
        }
    }
}
