package nl.kring.server.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KRING_PORT=0: the kernel picks the port when the gateway binds (no port chosen beforehand that
 * another socket could take first), and every gateway instance serves that one port; the server
 * refuses to start if its instances ended up on different ports.
 */
class ListenPortTest {

    @Test
    void fourGatewayInstancesShareOneKernelChosenPort() {
        try (TestServer a = TestServer.start(Map.of("KRING_EVENT_LOOPS", "4"));
             TestServer b = TestServer.start(Map.of("KRING_EVENT_LOOPS", "4"))) {
            assertThat(a.port()).isPositive().isNotEqualTo(b.port());
            assertThat(a.server().mgmtPort()).isPositive().isNotIn(a.port(), b.port(), b.server().mgmtPort());
            assertThat(a.readyStatus()).isEqualTo(200);
            // connections are handed round the four instances: each of eight is welcomed and can join
            String slug = a.community();
            String room = a.room(slug);
            List<WsClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    WsClient c = a.connect(a.member(slug));
                    clients.add(c);
                    assertThat(TestServer.join(c, room).getLong("lastSeq")).isZero();
                }
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }
}
