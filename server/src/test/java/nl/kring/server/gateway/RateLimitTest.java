package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static nl.kring.server.testing.TestServer.join;
import static nl.kring.server.testing.TestServer.sendMessage;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-member token bucket (KRING_SEND_RATE, KRING_SEND_BURST) and flood closing (4029). */
class RateLimitTest {

    static final int BURST = 3;
    static final int STRIKES = 5;
    static TestServer server;
    static String slug;

    @BeforeAll
    static void start() {
        // A rate this low means the bucket cannot refill during the test, whatever the machine's speed.
        server = TestServer.start(Map.of("KRING_SEND_RATE", "0.01", "KRING_SEND_BURST", Integer.toString(BURST),
                "KRING_FLOOD_STRIKES", Integer.toString(STRIKES)));
        slug = server.community();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sendsBeyondTheBurstGetRateLimitedWithRetryAfterAndNothingIsStored() {
        String room = server.room(slug);
        try (WsClient c = server.connect(server.member(slug))) {
            join(c, room);
            for (int i = 1; i <= BURST; i++) {
                assertThat(sendMessage(c, room, "ok" + i, "hoi").getBoolean("ok")).isTrue();
            }
            JsonObject limited = sendMessage(c, room, "too-many", "hoi");
            assertThat(limited.getBoolean("ok")).isFalse();
            assertThat(limited.getJsonObject("error").getString("code")).isEqualTo("rate_limited");
            assertThat(limited.getJsonObject("error").getLong("retryAfterMs")).isPositive();
            JsonObject history = c.request("history", new JsonObject().put("room", room)).getJsonObject("data");
            assertThat(history.getJsonArray("messages")).hasSize(BURST);
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void theLimitIsPerMemberAcrossSockets() {
        String room = server.room(slug);
        String token = server.member(slug);
        try (WsClient a = server.connect(token); WsClient b = server.connect(token)) {
            for (int i = 1; i <= BURST; i++) {
                assertThat(sendMessage(a, room, "a" + i, "hoi").getBoolean("ok")).isTrue();
            }
            assertThat(sendMessage(b, room, "b1", "hoi").getJsonObject("error").getString("code")).isEqualTo("rate_limited");
        }
    }

    @Test
    void aClientThatKeepsFloodingIsClosedWith4029() {
        String room = server.room(slug);
        try (WsClient c = server.connect(server.member(slug))) {
            for (int i = 0; i < BURST + STRIKES + 1 && !c.isClosed(); i++) {
                c.send("send", new JsonObject().put("room", room).put("clientMsgId", "f" + i).put("body", "spam"));
            }
            assertThat(c.closeCode()).isEqualTo(4029);
        }
    }
}
