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

/** Protocol section 5: bounded outbound queues (4008), rate limits and flooding (4029). */
class FlowControlTest {

    static TestServer server;
    static String slug;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("KRING_OUTBOUND_QUEUE_BYTES", "16384"));
        slug = server.community();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aClientThatDoesNotReadIsClosedWith4008WhileTheOthersKeepReceivingAndItResumesWithoutLoss() {
        String room = server.room(slug);
        String slowToken = server.member(slug);
        try (WsClient sender = server.connect(server.member(slug));
             WsClient reader = server.connect(server.member(slug));
             WsClient slow = WsClient.connect(server.port(), server.ticket(slowToken), Map.of(), false)) {
            join(sender, room);
            join(reader, room);
            // The slow client joins and then stops reading (it never asks for more frames).
            slow.send("join", new JsonObject().put("room", room));
            String body = "x".repeat(3900);
            long seq = 0;
            double before = server.metric("kring_ws_closes_total{code=\"4008\"}");
            // WHEN messages keep coming until the server gives up on the slow client
            while (server.metric("kring_ws_closes_total{code=\"4008\"}") == before) {
                for (int i = 0; i < 20; i++) {
                    seq = sendMessage(sender, room, "s" + (seq + 1), body).getJsonObject("data").getLong("seq");
                }
                assertThat(seq).as("the slow client should have been closed by now").isLessThan(20_000);
            }
            // THEN the reading member got every message, in order
            for (long s = 1; s <= seq; s++) {
                assertThat(reader.nextOfType("message").getLong("seq")).isEqualTo(s);
            }
            // AND the slow client, once it reads, finds its socket closed with 4008
            slow.startReading();
            assertThat(slow.closeCode()).isEqualTo(4008);
            // AND it resumes from what it has without loss
            long had = slow.drain().stream().filter(f -> "message".equals(f.getString("type")))
                    .mapToLong(f -> f.getLong("seq")).max().orElse(0);
            try (WsClient again = server.connect(slowToken)) {
                again.request("join", new JsonObject().put("room", room).put("since", new JsonObject().put("epoch", 1).put("seq", had)));
                for (long s = had + 1; s <= seq; s++) {
                    assertThat(again.nextOfType("message").getLong("seq")).isEqualTo(s);
                }
                assertThat(again.nextOfType("resumed").getLong("lastSeq")).isEqualTo(seq);
            }
        }
    }
}
