package nl.kring.server.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Communities share one back office and see nothing of each other: every endpoint and request type. */
class TenancyTest extends OneServer {

    static String ours;
    static String theirs;
    static String ourRoom;
    static String theirRoom;
    static String theirBatch;
    static String theirCode;
    static String theirMemberId;
    static String theirStaffId;

    @BeforeAll
    static void start() {
        ours = server.community();
        theirs = server.community();
        ourRoom = server.room(ours);
        theirRoom = server.room(theirs);
        JsonObject batch = http.post("/api/v1/admin/communities/" + theirs + "/invites", api.adminToken(),
                new JsonObject().put("count", 2).put("label", "Hun school")).body();
        theirBatch = batch.getString("batch");
        theirCode = batch.getJsonArray("codes").getString(0);
        Http.Response theirMember = api.signUp(theirs, batch.getJsonArray("codes").getString(1), ApiClient.pseudonym(), "16-17", null);
        theirMemberId = theirMember.body().getJsonObject("user").getString("id");
        theirStaffId = api.me(api.staff("professional", theirs)).getString("id");
        try (WsClient c = server.connect(theirMember.body().getString("token"))) {
            assertThat(TestServer.sendMessage(c, theirRoom, "theirs-1", "Alleen voor ons").getBoolean("ok")).isTrue();
        }
    }

    @Test
    void aMemberOfOneCommunityCannotListJoinReadSendToOrReportInAnothersRooms() {
        String member = server.member(ours);
        // list
        JsonArray listed = http.get("/api/v1/rooms", member).body().getJsonArray("rooms");
        assertThat(listed.stream().map(r -> ((JsonObject) r).getString("community")).distinct().toList()).containsExactly(ours);
        try (WsClient c = server.connect(member); WsClient they = server.connect(server.member(theirs))) {
            TestServer.join(they, theirRoom);
            // join, join with since, history, send, report: all "no such room", nothing stored
            for (JsonObject[] request : List.of(
                    new JsonObject[] {new JsonObject().put("type", "join"), new JsonObject().put("room", theirRoom)},
                    new JsonObject[] {new JsonObject().put("type", "join"), new JsonObject().put("room", theirRoom)
                            .put("since", new JsonObject().put("epoch", 1).put("seq", 0))},
                    new JsonObject[] {new JsonObject().put("type", "history"), new JsonObject().put("room", theirRoom)},
                    new JsonObject[] {new JsonObject().put("type", "send"), new JsonObject().put("room", theirRoom)
                            .put("clientMsgId", "x1").put("body", "Hallo daar")},
                    new JsonObject[] {new JsonObject().put("type", "report"), new JsonObject().put("room", theirRoom)
                            .put("seq", 1).put("category", "spam")},
                    new JsonObject[] {new JsonObject().put("type", "leave"), new JsonObject().put("room", theirRoom)})) {
                JsonObject reply = c.request(request[0].getString("type"), request[1]);
                if (request[0].getString("type").equals("leave")) {
                    assertThat(reply.getBoolean("ok")).isTrue();   // leaving a room one is not in is a no-op
                } else {
                    assertThat(reply.getBoolean("ok")).as("%s", request[0]).isFalse();
                    assertThat(reply.getJsonObject("error").getString("code")).isEqualTo("not_found");
                    assertThat(reply.encode()).doesNotContain("Alleen voor ons");
                }
            }
            // typing into their room reaches nobody there: their member gets our next message in our room... no: gets nothing
            c.send("typing", new JsonObject().put("room", theirRoom));
            // a round trip on both sockets orders everything sent before it
            c.request("history", new JsonObject().put("room", ourRoom));
            they.request("history", new JsonObject().put("room", theirRoom));
            assertThat(they.drain()).noneMatch(f -> "typing".equals(f.getString("type")));
        }
        // the front door of the other community is public, but shows no policy and no rooms
        JsonObject door = http.get("/api/v1/communities/" + theirs, null).body();
        assertThat(door.getString("slug")).isEqualTo(theirs);
        assertThat(door.containsKey("policy")).isFalse();
        assertThat(door.fieldNames()).doesNotContain("rooms", "id", "policy");
    }

    @Test
    void aMemberGets403OnEveryAdminAndModerationEndpoint() {
        String member = server.member(ours);
        JsonObject any = new JsonObject().put("reason", "x").put("count", 1).put("name", "x").put("code", "ABCD-EFGH");
        for (String[] call : adminCalls(ours, ourRoom)) {
            Http.Response r = http.request(call[0], call[1], member, call[0].equals("GET") ? null : any);
            assertThat(r.status()).as("%s %s: %s", call[0], call[1], r.body()).isIn(403, 404);
            assertThat(r.errorCode()).isIn("forbidden", "not_found");
        }
    }

    @Test
    void anAdminOfOneCommunityCannotTouchAnother() {
        String admin = api.staff("admin", ours);
        JsonObject any = new JsonObject().put("reason", "x").put("count", 1).put("name", "Kamer").put("code", theirCode)
                .put("welcomeText", "overgenomen").put("pinnedNotice", "overgenomen")
                .put("email", "x" + System.nanoTime() + "@kring.test").put("password", "long-enough-1").put("role", "peer_expert")
                .put("displayName", "X").put("communities", new JsonArray(List.of(theirs)));
        for (String[] call : adminCalls(theirs, theirRoom)) {
            Http.Response r = http.request(call[0], call[1], admin, call[0].equals("GET") ? null : any);
            assertThat(r.status()).as("%s %s: %s", call[0], call[1], r.body()).isIn(403, 404);
        }
        // and nothing changed over there: the code still admits, the room kept its settings
        assertThat(api.signUp(theirs, theirCode, ApiClient.pseudonym(), "16-17", null).status()).isEqualTo(201);
        JsonArray theirRooms = http.get("/api/v1/admin/communities/" + theirs + "/rooms", api.adminToken()).body().getJsonArray("rooms");
        assertThat(theirRooms.getJsonObject(0).containsKey("pinnedNotice")).isFalse();
        // a moderator of ours cannot ban one of theirs
        assertThat(http.post("/api/v1/mod/members/" + theirMemberId + "/ban", api.staff("moderator", ours),
                new JsonObject().put("reason", "x")).status()).isEqualTo(404);
    }

    /** Every admin and moderation call, aimed at a community and one of its rooms. */
    static List<String[]> adminCalls(String slug, String room) {
        return List.of(
                new String[] {"GET", "/api/v1/admin/communities/" + slug},
                new String[] {"PATCH", "/api/v1/admin/communities/" + slug},
                new String[] {"POST", "/api/v1/admin/communities"},
                new String[] {"GET", "/api/v1/admin/communities/" + slug + "/rooms"},
                new String[] {"POST", "/api/v1/admin/communities/" + slug + "/rooms"},
                new String[] {"PATCH", "/api/v1/admin/rooms/" + room},
                new String[] {"POST", "/api/v1/admin/communities/" + slug + "/invites"},
                new String[] {"GET", "/api/v1/admin/communities/" + slug + "/invite-batches"},
                new String[] {"POST", "/api/v1/admin/communities/" + slug + "/invites/revoke"},
                new String[] {"POST", "/api/v1/admin/invite-batches/" + theirBatch + "/revoke"},
                new String[] {"POST", "/api/v1/admin/staff"},
                new String[] {"POST", "/api/v1/admin/staff/" + theirStaffId + "/identity"},
                new String[] {"POST", "/api/v1/admin/staff/" + theirStaffId + "/disable"},
                new String[] {"POST", "/api/v1/admin/staff/" + theirStaffId + "/revoke-sessions"},
                new String[] {"POST", "/api/v1/mod/members/" + theirMemberId + "/ban"});
    }
}
