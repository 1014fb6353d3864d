package nl.kring.server.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The moderators' room controls ({@code PATCH /api/v1/moderation/rooms/{id}}, issue 27, item 7)
 * and a community's live numbers ({@code GET /api/v1/admin/communities/{slug}/live}, item 1),
 * against a real server. Before this branch neither path existed: every call here answered 404
 * {@code not_found} ("no such endpoint"), so each test failed at its first assertion.
 */
class RoomControlsTest extends OneServer {

    static Http.Response controls(String room, String token, JsonObject body) {
        return http.patch("/api/v1/moderation/rooms/" + room, token, body);
    }

    @Test
    void aModeratorMakesARoomReadOnlyAndSlowAndTheMemberInItFeelsItAtOnce() {
        String slug = server.community();
        String room = server.room(slug);
        String moderator = api.staff("moderator", slug);
        try (WsClient member = server.connect(server.member(slug))) {
            TestServer.join(member, room);

            // WHEN the moderator makes the room read-only
            Http.Response r = controls(room, moderator, new JsonObject().put("readOnly", true).put("pinnedNotice", "Even pauze"));
            assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
            assertThat(r.body().getBoolean("readOnly")).isTrue();
            assertThat(r.body().getString("pinnedNotice")).isEqualTo("Even pauze");

            // THEN the member already in the room can no longer send
            JsonObject refused = TestServer.sendMessage(member, room, "ro-1", "Hallo?");
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("forbidden");
            assertThat(refused.getJsonObject("error").getString("message")).contains("read-only");

            // WHEN the moderator opens it again with an hour of slow mode
            r = controls(room, moderator, new JsonObject().put("readOnly", false).put("slowModeSeconds", 3600).put("pinnedNotice", null));
            assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
            assertThat(r.body().getInteger("slowModeSeconds")).isEqualTo(3600);

            // THEN one message goes through and the next waits
            assertThat(TestServer.sendMessage(member, room, "slow-1", "Eén").getBoolean("ok")).isTrue();
            JsonObject slowed = TestServer.sendMessage(member, room, "slow-2", "Twee");
            assertThat(slowed.getJsonObject("error").getString("code")).isEqualTo("rate_limited");
        }

        // AND both changes are in the audit trail under the moderator's name
        Http.Response audit = http.get("/api/v1/admin/audit?community=" + slug + "&action=room.controls_set", api.adminToken());
        assertThat(audit.status()).isEqualTo(200);
        JsonArray entries = audit.body().getJsonArray("entries");
        assertThat(entries).hasSize(2);
        assertThat(entries.getJsonObject(0).getJsonObject("actor").getString("displayName")).startsWith("moderator");
        assertThat(entries.getJsonObject(0).getString("target")).isEqualTo("room:" + room);
        assertThat(entries.getJsonObject(0).getJsonObject("details").getJsonObject("after").getInteger("slowModeSeconds")).isEqualTo(3600);
    }

    @Test
    void rolesOutsideTheTableOtherCommunitiesAndOtherFieldsAreRefused() {
        String slug = server.community();
        String room = server.room(slug);
        String other = server.community();
        JsonObject slow = new JsonObject().put("slowModeSeconds", 30);

        assertThat(controls(room, server.member(slug), slow).errorCode()).isEqualTo("forbidden");
        assertThat(controls(room, api.staff("peer_expert", slug), slow).errorCode()).isEqualTo("forbidden");
        assertThat(controls(room, api.staff("professional", slug), slow).errorCode()).isEqualTo("forbidden");
        assertThat(controls(room, api.staff("operator"), slow).errorCode()).isEqualTo("forbidden");
        // a moderator of another community does not see the room, as with the admin's room call
        Http.Response elsewhere = controls(room, api.staff("moderator", other), slow);
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.errorCode()).isEqualTo("not_found");

        String moderator = api.staff("moderator", slug);
        // only the three controls: a name, archiving or a kind is the admin's room call
        Http.Response renamed = controls(room, moderator, new JsonObject().put("name", "Nieuwe naam"));
        assertThat(renamed.status()).isEqualTo(400);
        assertThat(renamed.errorCode()).isEqualTo("bad_request");
        assertThat(controls(room, moderator, new JsonObject().put("archived", true)).errorCode()).isEqualTo("bad_request");
        assertThat(controls(room, moderator, new JsonObject().put("slowModeSeconds", 3601)).errorCode()).isEqualTo("bad_request");
        assertThat(controls(room, moderator, new JsonObject().put("readOnly", "ja")).errorCode()).isEqualTo("bad_request");
        assertThat(controls("999999999", moderator, slow).errorCode()).isEqualTo("not_found");
        // the admin of the community may too
        assertThat(controls(room, api.staff("admin", slug), slow).status()).isEqualTo(200);
        assertThat(controls(room, moderator, slow).status()).isEqualTo(200);
    }

    @Test
    void theLiveNumbersCountMembersOnlineAndOpenQueueItemsAndNothingElse() {
        String slug = server.community();
        String room = server.room(slug);
        String path = "/api/v1/admin/communities/" + slug + "/live";
        String moderator = api.staff("moderator", slug);
        JsonObject empty = http.get(path, moderator).body();
        assertThat(empty.getInteger("membersOnline")).isZero();
        assertThat(empty.getInteger("openQueueItems")).isZero();
        assertThat(empty.containsKey("oldestOpenItemAt")).isTrue();
        assertThat(empty.getString("oldestOpenItemAt")).isNull();

        try (WsClient writer = server.connect(server.member(slug)); WsClient reporter = server.connect(server.member(slug))) {
            TestServer.join(writer, room);
            TestServer.join(reporter, room);
            long seq = TestServer.sendMessage(writer, room, "live-1", "Hallo").getJsonObject("data").getLong("seq");
            assertThat(reporter.request("report", new JsonObject().put("room", room).put("seq", seq).put("category", "spam"))
                    .getBoolean("ok")).isTrue();

            // WHEN an operator (numbers only) and the moderator look
            for (String token : new String[] {api.staff("operator"), moderator, api.staff("admin", slug)}) {
                Http.Response r = http.get(path, token);
                assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
                // THEN two members are online and one item is open since a moment ago
                assertThat(r.body().getInteger("membersOnline")).isEqualTo(2);
                assertThat(r.body().getInteger("openQueueItems")).isEqualTo(1);
                assertThat(r.body().getString("oldestOpenItemAt")).isNotNull();
                assertThat(r.body().fieldNames()).containsExactlyInAnyOrder("membersOnline", "openQueueItems", "oldestOpenItemAt");
            }
        }
        assertThat(http.get(path, api.staff("peer_expert", slug)).errorCode()).isEqualTo("forbidden");
        assertThat(http.get(path, server.member(slug)).errorCode()).isEqualTo("forbidden");
        assertThat(http.get(path, api.staff("moderator", server.community())).errorCode()).isEqualTo("forbidden");
        assertThat(http.get("/api/v1/admin/communities/no-such-community/live", moderator).errorCode()).isEqualTo("not_found");
    }
}
