package nl.kring.server.db;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import nl.kring.server.testing.ScratchDirs;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static nl.kring.server.testing.TestServer.join;
import static nl.kring.server.testing.TestServer.sendMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol section 4.5 with a PostgreSQL of its own that the test stops and starts: no acks
 * while it is down, {@code unavailable} within 1 s, sockets stay open, readiness says 503, and
 * sending resumes by itself on the same socket.
 */
class DatabaseOutageTest {

    @Test
    void sendsAreRefusedWhilePostgresIsDownAndResumeWithoutReconnecting() throws Exception {
        Path dir = ScratchDirs.create("kring-outage-pg");
        // PostgreSQL comes back on this port: outside the ephemeral range, so that no connection takes it meanwhile
        int port = nl.kring.server.testing.Ports.outsideEphemeralRange();
        EmbeddedDatabase pg = EmbeddedDatabase.start(dir, port);
        try (TestServer server = TestServer.start(pg.target(), Map.of())) {
            String slug = server.community();
            String room = server.room(slug);
            try (WsClient alice = server.connect(server.member(slug)); WsClient bob = server.connect(server.member(slug))) {
                join(alice, room);
                join(bob, room);
                assertThat(sendMessage(alice, room, "before", "voor").getJsonObject("data").getLong("seq")).isEqualTo(1);
                assertThat(bob.nextOfType("message").getLong("seq")).isEqualTo(1);

                // WHEN PostgreSQL goes away
                pg.close();
                long started = System.nanoTime();
                JsonObject refused = sendMessage(alice, room, "during", "tijdens");
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;

                // THEN the send is refused, not acked, quickly (the server's own deadline is 800 ms;
                // the bound here leaves room for a loaded CI machine)
                assertThat(refused.getBoolean("ok")).isFalse();
                assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("unavailable");
                assertThat(refused.getJsonObject("error").getLong("retryAfterMs")).isPositive();
                assertThat(elapsedMs).isLessThan(1500);
                assertThat(server.readyStatus()).isEqualTo(503);
                // AND the socket stays open and keeps answering
                assertThat(sendMessage(alice, room, "during", "tijdens").getJsonObject("error").getString("code"))
                        .isEqualTo("unavailable");
                assertThat(alice.isClosed()).isFalse();

                // WHEN PostgreSQL comes back
                pg = EmbeddedDatabase.start(dir, port);
                // THEN the same socket can send again: retry as a client does after retryAfterMs
                JsonObject accepted = null;
                long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    JsonObject r = sendMessage(alice, room, "during", "tijdens");
                    if (r.getBoolean("ok")) {
                        accepted = r;
                        break;
                    }
                    assertThat(r.getJsonObject("error").getString("code")).isEqualTo("unavailable");
                    honourRetryAfter(r.getJsonObject("error").getLong("retryAfterMs"));
                }
                assertThat(accepted).as("send accepted after PostgreSQL restarted").isNotNull();
                assertThat(accepted.getJsonObject("data").getLong("seq")).isEqualTo(2);
                JsonObject delivered = bob.nextOfType("message");
                assertThat(delivered.getLong("seq")).isEqualTo(2);
                assertThat(delivered.getString("clientMsgId")).isEqualTo("during");
                assertThat(server.readyStatus()).isEqualTo(200);
            }
        } finally {
            pg.close();
            ScratchDirs.delete(dir);
        }
    }

    /** What the protocol asks of a client after unavailable; the loop above ends on success, not on time. */
    private static void honourRetryAfter(long ms) {
        java.util.concurrent.CompletableFuture.runAsync(() -> { },
                java.util.concurrent.CompletableFuture.delayedExecutor(ms, java.util.concurrent.TimeUnit.MILLISECONDS)).join();
    }
}
