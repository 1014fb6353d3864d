package nl.kring.server.rooms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Room kinds and settings, enforced over the WebSocket, and changes that take effect at once. */
class RoomSettingsTest extends OneServer {

    static String room(String slug, JsonObject body) {
        Http.Response r = http.post("/api/v1/admin/communities/" + slug + "/rooms", api.adminToken(), body);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
        return r.body().getString("id");
    }

    static Http.Response patch(String room, JsonObject body) {
        return http.patch("/api/v1/admin/rooms/" + room, api.adminToken(), body);
    }

    static String memberWith(String slug, String ageBand, String region) {
        String code = server.invites(slug, 1).get(0);
        return api.signUp(slug, code, ApiClient.pseudonym(), ageBand, region).body().getString("token");
    }

    @Test
    void anAgeBandedRoomAdmitsOnlyItsBandsAndIsListedOnlyForThem() {
        String slug = server.community();
        String room = room(slug, new JsonObject().put("name", "12-15 jaar").put("kind", "age_banded")
                .put("ageBands", new JsonArray(List.of("12-15"))));
        String young = memberWith(slug, "12-15", null);
        String older = memberWith(slug, "18-21", null);
        assertThat(http.get("/api/v1/rooms", young).body().getJsonArray("rooms").encode()).contains("\"id\":\"" + room + "\"");
        assertThat(http.get("/api/v1/rooms", older).body().getJsonArray("rooms").encode()).doesNotContain("\"id\":\"" + room + "\"");
        try (WsClient y = server.connect(young); WsClient o = server.connect(older)) {
            assertThat(y.request("join", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            JsonObject refused = o.request("join", new JsonObject().put("room", room));
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("forbidden");
        }
        // Tried: an age_banded room without bands, and bands on a plain room
        assertThat(http.post("/api/v1/admin/communities/" + slug + "/rooms", api.adminToken(),
                new JsonObject().put("name", "x").put("kind", "age_banded")).status()).isEqualTo(400);
        assertThat(http.post("/api/v1/admin/communities/" + slug + "/rooms", api.adminToken(),
                new JsonObject().put("name", "x").put("ageBands", new JsonArray(List.of("12-15")))).status()).isEqualTo(400);
        assertThat(http.post("/api/v1/admin/communities/" + slug + "/rooms", api.adminToken(),
                new JsonObject().put("name", "x").put("kind", "private")).status()).isEqualTo(400);
    }

    @Test
    void aLocalRoomIsForMembersOfItsProvince() {
        String slug = server.community();
        String room = room(slug, new JsonObject().put("name", "Utrecht").put("region", "utrecht"));
        try (WsClient here = server.connect(memberWith(slug, "16-17", "utrecht"));
             WsClient elsewhere = server.connect(memberWith(slug, "16-17", "limburg"));
             WsClient unknown = server.connect(memberWith(slug, "16-17", null))) {
            assertThat(here.request("join", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            assertThat(elsewhere.request("join", new JsonObject().put("room", room)).getJsonObject("error").getString("code"))
                    .isEqualTo("forbidden");
            assertThat(unknown.request("join", new JsonObject().put("room", room)).getJsonObject("error").getString("code"))
                    .isEqualTo("forbidden");
        }
    }

    @Test
    void readOnlySlowModeAndPinnedNoticeApplyAtOnceWhenChanged() {
        String slug = server.community();
        String room = server.room(slug);
        String member = server.member(slug);
        String moderator = api.staff("moderator", slug);
        try (WsClient m = server.connect(member); WsClient staff = server.connect(moderator)) {
            TestServer.join(m, room);
            // WHEN the admin makes the room read-only with a pinned notice, while the member is in it
            assertThat(patch(room, new JsonObject().put("readOnly", true).put("pinnedNotice", "Vanavond gesloten")).status())
                    .isEqualTo(200);
            // THEN the member's next send is refused, staff still post, and a new join shows the notice
            JsonObject refused = TestServer.sendMessage(m, room, "ro-1", "mag dit?");
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("forbidden");
            assertThat(refused.getJsonObject("error").getString("message")).contains("read-only");
            assertThat(TestServer.sendMessage(staff, room, "ro-2", "Mededeling").getBoolean("ok")).isTrue();
            JsonObject joined = TestServer.join(m, room);
            assertThat(joined.getString("pinnedNotice")).isEqualTo("Vanavond gesloten");
            assertThat(joined.getBoolean("readOnly")).isTrue();
            // WHEN read-only ends and slow mode is 60 s
            assertThat(patch(room, new JsonObject().put("readOnly", false).put("slowModeSeconds", 60).put("pinnedNotice", null))
                    .status()).isEqualTo(200);
            // THEN one send passes, the next waits with retryAfterMs, and staff are not slowed
            assertThat(TestServer.sendMessage(m, room, "slow-1", "een").getBoolean("ok")).isTrue();
            JsonObject slowed = TestServer.sendMessage(m, room, "slow-2", "twee");
            assertThat(slowed.getJsonObject("error").getString("code")).isEqualTo("rate_limited");
            assertThat(slowed.getJsonObject("error").getLong("retryAfterMs")).isBetween(1L, 60_000L);
            assertThat(TestServer.sendMessage(staff, room, "slow-3", "drie").getBoolean("ok")).isTrue();
            assertThat(TestServer.sendMessage(staff, room, "slow-4", "vier").getBoolean("ok")).isTrue();
            assertThat(TestServer.join(m, room).containsKey("pinnedNotice")).isFalse();
        }
    }

    @Test
    void aFullRoomRefusesAnotherMemberButAlwaysLetsStaffIn() {
        String slug = server.community();
        String room = room(slug, new JsonObject().put("name", "Klein").put("capacity", 2));
        try (WsClient a = server.connect(server.member(slug)); WsClient b = server.connect(server.member(slug));
             WsClient c = server.connect(server.member(slug)); WsClient mod = server.connect(api.staff("moderator", slug))) {
            TestServer.join(a, room);
            TestServer.join(b, room);
            JsonObject full = c.request("join", new JsonObject().put("room", room));
            assertThat(full.getJsonObject("error").getString("code")).isEqualTo("room_full");
            assertThat(mod.request("join", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            // a member already in the room may join again (a second tab), and one who leaves frees a place
            assertThat(a.request("join", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            assertThat(b.request("leave", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            assertThat(c.request("join", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
        }
    }

    @Test
    void anArchivedRoomDisappearsForMembersButNotForItsAdmin() {
        String slug = server.community();
        String room = server.room(slug);
        String member = server.member(slug);
        assertThat(patch(room, new JsonObject().put("archived", true)).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/rooms", member).body().getJsonArray("rooms").encode()).doesNotContain("\"id\":\"" + room + "\"");
        try (WsClient m = server.connect(member)) {
            assertThat(m.request("join", new JsonObject().put("room", room)).getJsonObject("error").getString("code")).isEqualTo("not_found");
        }
        JsonArray adminView = http.get("/api/v1/admin/communities/" + slug + "/rooms", api.adminToken()).body().getJsonArray("rooms");
        assertThat(adminView.getJsonObject(0).getBoolean("archived")).isTrue();
        // Tried: settings out of range name the field
        Http.Response bad = patch(room, new JsonObject().put("capacity", 1));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().getJsonObject("error").getString("message")).contains("capacity");
        assertThat(patch(room, new JsonObject().put("region", "amsterdam")).body().getJsonObject("error").getString("message"))
                .contains("region");
        assertThat(patch("999999", new JsonObject().put("readOnly", true)).status()).isEqualTo(404);
    }

    @Test
    void theFrontDoorShowsBrandingWelcomeAndHouseRulesAndAdminsChangeThem() {
        String slug = server.community();
        String logo = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnLz4=";
        Http.Response changed = http.patch("/api/v1/admin/communities/" + slug, api.adminToken(), new JsonObject()
                .put("primaryColour", "#1A5E63").put("logo", logo).put("welcomeText", "Welkom bij Kring Psychose")
                .put("houseRules", "1. Wees aardig.").put("policy", new JsonObject().put("holdPii", true)));
        assertThat(changed.status()).as("%s", changed.body()).isEqualTo(200);
        JsonObject door = http.get("/api/v1/communities/" + slug, null).body();
        assertThat(door.getJsonObject("branding").getString("primaryColour")).isEqualTo("#1a5e63");
        assertThat(door.getJsonObject("branding").getString("logo")).isEqualTo(logo);
        assertThat(door.getString("welcomeText")).isEqualTo("Welkom bij Kring Psychose");
        assertThat(door.getString("houseRules")).isEqualTo("1. Wees aardig.");
        assertThat(http.get("/api/v1/admin/communities/" + slug, api.adminToken()).body().getJsonObject("policy").getBoolean("holdPii"))
                .isTrue();
        // Tried: a colour name, a remote logo URL (the CSP allows none), a policy that is not an object
        assertThat(http.patch("/api/v1/admin/communities/" + slug, api.adminToken(), new JsonObject().put("primaryColour", "red"))
                .status()).isEqualTo(400);
        assertThat(http.patch("/api/v1/admin/communities/" + slug, api.adminToken(),
                new JsonObject().put("logo", "https://evil.example/logo.png")).status()).isEqualTo(400);
        assertThat(http.patch("/api/v1/admin/communities/" + slug, api.adminToken(), new JsonObject().put("policy", "strict"))
                .status()).isEqualTo(400);
        assertThat(http.get("/api/v1/communities/no-such-community", null).status()).isEqualTo(404);
    }
}
