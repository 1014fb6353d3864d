package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle connections that are not WebSockets are closed (KRING_HTTP_IDLE_SECONDS), so that they do not
 * hold places of KRING_MAX_CONNECTIONS without end; WebSockets are not (they have heartbeats). Over
 * real sockets; the server's close of an idle raw connection is the clock (no sleeps): a read that
 * waits 30 s without the close fails the test.
 */
class IdleConnectionTest {

    static final int IDLE_SECONDS = 3;
    static final int FAILURE_BOUND_MS = 30_000;
    static TestServer server;
    static String slug;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("KRING_HTTP_IDLE_SECONDS", Integer.toString(IDLE_SECONDS)));
        slug = server.community();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Everything the server sends until it closes the connection; fails if it does not close within the bound. */
    private static byte[] readUntilClosed(Socket socket) throws Exception {
        socket.setSoTimeout(FAILURE_BOUND_MS);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            all.write(buffer, 0, n);
        }
        return all.toByteArray();
    }

    @Test
    void aConnectionThatSaysNothingIsClosedWhileAnIdleWebSocketStaysOpen() throws Exception {
        String room = server.room(slug);
        try (WsClient ws = server.connect(server.member(slug))) {
            // Tried: a TCP connection that never sends a byte, opened after the WebSocket went quiet.
            try (Socket silent = new Socket("127.0.0.1", server.port())) {
                assertThat(readUntilClosed(silent)).as("nothing is sent to it before the close").isEmpty();
            }
            // By now the WebSocket, quiet for longer than the idle time, must still be there and answer.
            JsonObject reply = ws.request("join", new JsonObject().put("room", room));
            assertThat(reply.getBoolean("ok")).as("the WebSocket answers after the idle time").isTrue();
            assertThat(ws.isClosed()).isFalse();
        }
    }

    @Test
    void aKeepAliveConnectionIsClosedOnceIdleAfterItsAnswer() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET /api/v1/communities/" + slug + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(readUntilClosed(socket), StandardCharsets.UTF_8);
            assertThat(answer).as("answered first, then closed when idle").startsWith("HTTP/1.1 200");
        }
    }
}
