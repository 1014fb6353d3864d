package nl.kring.server.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static nl.kring.server.testing.TestServer.join;
import static nl.kring.server.testing.TestServer.sendMessage;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests and events of protocol section 3 over a real socket, against a real PostgreSQL. */
class ProtocolTest {

    static TestServer server;
    static String slug;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("KRING_MAX_FRAME_BYTES", "16384"));
        slug = server.community();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void welcomeCarriesTheUserAndHeartbeat() {
        String token = server.member(slug);
        try (WsClient c = WsClient.connect(server.port(), server.ticket(token))) {
            JsonObject welcome = c.nextOfType("welcome");
            assertThat(welcome.getInteger("heartbeatSeconds")).isEqualTo(25);
            assertThat(welcome.getString("serverTime")).isNotBlank();
            JsonObject user = welcome.getJsonObject("user");
            assertThat(user.getString("role")).isEqualTo("member");
            assertThat(user.getString("community")).isEqualTo(slug);
            assertThat(user.getString("id")).startsWith("u_");
        }
    }

    @Test
    void messagesReachEveryMemberInSeqOrderAfterTheAck() {
        // GIVEN two members in one room
        String room = server.room(slug);
        double deliveriesBefore = server.metric("kring_deliveries_total");
        try (WsClient alice = server.connect(server.member(slug)); WsClient bob = server.connect(server.member(slug))) {
            assertThat(join(alice, room).getLong("lastSeq")).isZero();
            join(bob, room);
            // WHEN alice sends three messages
            for (int i = 1; i <= 3; i++) {
                JsonObject reply = sendMessage(alice, room, "m" + i, "hallo " + i);
                // THEN each is acknowledged as delivered with the next seq
                assertThat(reply.getBoolean("ok")).isTrue();
                assertThat(reply.getJsonObject("data").getString("status")).isEqualTo("delivered");
                assertThat(reply.getJsonObject("data").getLong("seq")).isEqualTo(i);
            }
            // AND bob receives them in order with author, body and timestamp
            for (int i = 1; i <= 3; i++) {
                JsonObject m = bob.nextOfType("message");
                assertThat(m.getLong("seq")).isEqualTo(i);
                assertThat(m.getString("room")).isEqualTo(room);
                assertThat(m.getString("body")).isEqualTo("hallo " + i);
                assertThat(m.getString("clientMsgId")).isEqualTo("m" + i);
                assertThat(m.getJsonObject("author").getString("role")).isEqualTo("member");
                assertThat(m.getString("ts")).isNotBlank();
                assertThat(m.getBoolean("cw")).isFalse();
            }
            // AND the meters saw three messages for two members
            assertThat(server.metric("kring_deliveries_total") - deliveriesBefore).isGreaterThanOrEqualTo(6);
            assertThat(server.metric("kring_sends_total{result=\"delivered\"}")).isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * Tried: 40 sends written without waiting for their acks, so the writer commits them in
     * batches and each member's socket gets several frames in one pass of its event loop (written
     * from one shared UTF-8 encoding, flushed together). Every member must still get every message
     * once, in order, as a text frame with its multi-byte body intact.
     */
    @Test
    void aBurstReachesEveryMemberWholeAndInOrder() {
        String room = server.room(slug);
        try (WsClient alice = server.connect(server.member(slug)); WsClient bob = server.connect(server.member(slug));
                WsClient carol = server.connect(server.member(slug)); WsClient dave = server.connect(server.member(slug))) {
            for (WsClient c : List.of(alice, bob, carol, dave)) {
                join(c, room);
            }
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                ids.add(alice.send("send", new JsonObject().put("room", room).put("clientMsgId", "burst" + i)
                        .put("body", "één kopje ☕ en een 🌷 voor nummer " + i)));
            }
            for (String id : ids) {
                assertThat(alice.reply(id).getBoolean("ok")).isTrue();
            }
            for (WsClient c : List.of(alice, bob, carol, dave)) {
                for (int i = 1; i <= 40; i++) {
                    JsonObject m = c.nextOfType("message");
                    assertThat(m.getLong("seq")).isEqualTo(i);
                    assertThat(m.getString("body")).isEqualTo("één kopje ☕ en een 🌷 voor nummer " + i);
                }
            }
        }
    }

    @Test
    void resendingAClientMsgIdReturnsTheSameSeqAndDeliversOnce() {
        String room = server.room(slug);
        try (WsClient alice = server.connect(server.member(slug)); WsClient bob = server.connect(server.member(slug))) {
            join(alice, room);
            join(bob, room);
            long first = sendMessage(alice, room, "same", "één keer").getJsonObject("data").getLong("seq");
            long again = sendMessage(alice, room, "same", "één keer").getJsonObject("data").getLong("seq");
            long next = sendMessage(alice, room, "other", "twee").getJsonObject("data").getLong("seq");
            assertThat(again).isEqualTo(first);
            assertThat(next).isEqualTo(first + 1);
            assertThat(bob.nextOfType("message").getString("clientMsgId")).isEqualTo("same");
            assertThat(bob.nextOfType("message").getString("clientMsgId")).isEqualTo("other");
        }
    }

    @Test
    void aClientMsgIdUsedInAnotherRoomIsAConflictAndStoresNothing() {
        String first = server.room(slug);
        String second = server.room(slug);
        try (WsClient alice = server.connect(server.member(slug))) {
            assertThat(sendMessage(alice, first, "once", "hier").getJsonObject("data").getLong("seq")).isEqualTo(1);
            assertThat(errorCode(sendMessage(alice, second, "once", "daar"))).isEqualTo("conflict");
            assertThat(alice.request("history", new JsonObject().put("room", second)).getJsonObject("data")
                    .getJsonArray("messages")).isEmpty();
            assertThat(sendMessage(alice, first, "once", "hier").getJsonObject("data").getLong("seq")).isEqualTo(1);
        }
    }

    @Test
    void historyPagesUpwardInAscendingOrder() {
        String room = server.room(slug);
        try (WsClient alice = server.connect(server.member(slug))) {
            join(alice, room);
            for (int i = 1; i <= 7; i++) {
                sendMessage(alice, room, "h" + i, "bericht " + i);
            }
            JsonArray newest = alice.request("history", new JsonObject().put("room", room).put("limit", 3))
                    .getJsonObject("data").getJsonArray("messages");
            assertThat(seqs(newest)).containsExactly(5L, 6L, 7L);
            JsonArray older = alice.request("history", new JsonObject().put("room", room).put("beforeSeq", 5).put("limit", 10))
                    .getJsonObject("data").getJsonArray("messages");
            assertThat(seqs(older)).containsExactly(1L, 2L, 3L, 4L);
            assertThat(older.getJsonObject(0).getString("body")).isEqualTo("bericht 1");
        }
    }

    @Test
    void badFramesGetBadRequestAndTheSocketStaysOpen() {
        String room = server.room(slug);
        try (WsClient c = server.connect(server.member(slug))) {
            // Tried: invalid JSON, a JSON array, unknown type with id, missing fields, wrong field types, too long body.
            c.sendRaw("{not json");
            assertThat(c.nextOfType("error").getJsonObject("error").getString("code")).isEqualTo("bad_request");
            c.sendRaw("[1,2,3]");
            assertThat(c.nextOfType("error").getJsonObject("error").getString("code")).isEqualTo("bad_request");
            assertThat(errorCode(c.request("fly", new JsonObject()))).isEqualTo("bad_request");
            assertThat(errorCode(c.request("send", new JsonObject().put("room", room)))).isEqualTo("bad_request");
            assertThat(errorCode(c.request("send", new JsonObject().put("room", room).put("clientMsgId", "x").put("body", 5))))
                    .isEqualTo("bad_request");
            assertThat(errorCode(c.request("send", new JsonObject().put("room", room).put("clientMsgId", "x")
                    .put("body", "a".repeat(4001))))).isEqualTo("bad_request");
            assertThat(errorCode(c.request("history", new JsonObject().put("room", room).put("limit", 101)))).isEqualTo("bad_request");
            assertThat(errorCode(c.request("join", new JsonObject().put("room", room).put("since", "yesterday")))).isEqualTo("bad_request");
            // THEN the socket still works
            join(c, room);
            assertThat(sendMessage(c, room, "ok", "nog open").getBoolean("ok")).isTrue();
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void aFrameOverTheLimitClosesWith1009() {
        try (WsClient c = server.connect(server.member(slug))) {
            c.sendRaw("{\"type\":\"send\",\"id\":\"big\",\"body\":\"" + "x".repeat(17_000) + "\"}");
            assertThat(c.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void aRoomOfAnotherCommunityIsNotFound() {
        String otherRoom = server.room(server.community());
        try (WsClient c = server.connect(server.member(slug))) {
            assertThat(errorCode(c.request("join", new JsonObject().put("room", otherRoom)))).isEqualTo("not_found");
            assertThat(errorCode(c.request("history", new JsonObject().put("room", otherRoom)))).isEqualTo("not_found");
            assertThat(errorCode(sendMessage(c, otherRoom, "x", "hoi"))).isEqualTo("not_found");
            assertThat(errorCode(c.request("join", new JsonObject().put("room", "999999999")))).isEqualTo("not_found");
        }
    }

    @Test
    void typingAndPresenceReachTheOthers() {
        String room = server.room(slug);
        try (WsClient alice = server.connect(server.member(slug)); WsClient bob = server.connect(server.member(slug))) {
            join(alice, room);
            assertThat(alice.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 1)).isNotNull();
            join(bob, room);
            assertThat(alice.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 2)).isNotNull();
            alice.sendRaw(new JsonObject().put("type", "typing").put("room", room).encode());
            JsonObject typing = bob.nextOfType("typing");
            assertThat(typing.getString("room")).isEqualTo(room);
            assertThat(typing.getString("pseudonym")).startsWith("lid_");
            bob.close();
            assertThat(alice.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 1)).isNotNull();
        }
    }

    @Test
    void reportsAreAccepted() {
        String room = server.room(slug);
        try (WsClient c = server.connect(server.member(slug))) {
            join(c, room);
            sendMessage(c, room, "r1", "iets");
            assertThat(c.request("report", new JsonObject().put("room", room).put("seq", 1).put("category", "bullying"))
                    .getBoolean("ok")).isTrue();
            assertThat(errorCode(c.request("report", new JsonObject().put("room", room).put("seq", 1).put("category", "boring"))))
                    .isEqualTo("bad_request");
            assertThat(errorCode(c.request("report", new JsonObject().put("room", room).put("seq", 99).put("category", "spam"))))
                    .isEqualTo("not_found");
        }
    }

    static String errorCode(JsonObject reply) {
        assertThat(reply.getBoolean("ok")).as("reply %s", reply).isFalse();
        return reply.getJsonObject("error").getString("code");
    }

    static List<Long> seqs(JsonArray messages) {
        return messages.stream().map(o -> ((JsonObject) o).getLong("seq")).toList();
    }
}
