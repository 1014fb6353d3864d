package nl.kring.server.gateway;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Protocol section 5: a client that sends nothing, pong included, for two heartbeats is closed (4002). */
class HeartbeatTest {

    @Test
    void aSilentClientIsClosedWith4002AndAnAnsweringOneIsNot() throws Exception {
        // Two-second heartbeats: the answering client has four seconds to pong, the silent one is closed.
        try (TestServer server = TestServer.start(Map.of("KRING_HEARTBEAT_SECONDS", "2"))) {
            String slug = server.community();
            // An answering client (the JDK client answers pings with pongs) stays open meanwhile.
            try (WsClient answering = server.connect(server.member(slug));
                 Socket silent = new Socket("127.0.0.1", server.port())) {
                // GIVEN a raw client that completes the handshake and then never sends anything, not even a pong
                OutputStream out = silent.getOutputStream();
                out.write(("GET /ws?ticket=" + server.ticket(server.member(slug)) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                silent.setSoTimeout((int) WsClient.WAIT.toMillis());
                // WHEN it reads what the server sends: welcome, pings, then the close frame
                int code = closeCodeFrom(silent.getInputStream());
                // THEN it was closed for silence, while the answering client is still open
                assertThat(code).isEqualTo(4002);
                assertThat(answering.isClosed()).isFalse();
                assertThat(answering.request("leave", new io.vertx.core.json.JsonObject().put("room", "1")).getBoolean("ok")).isTrue();
            }
        }
    }

    /** Skips the HTTP response and server frames until a close frame; returns its code. */
    static int closeCodeFrom(InputStream in) throws Exception {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        while (!header.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            header.write(in.read());
        }
        assertThat(header.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                throw new AssertionError("connection ended without a close frame");
            }
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if ((b0 & 0x0F) == 0x8) {
                return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }
}
