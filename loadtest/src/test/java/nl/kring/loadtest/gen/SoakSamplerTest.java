package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's readings and its verdict (issue 26, item 12), without a server: plain data and this JVM's own sockets. */
class SoakSamplerTest {

    @Test
    void prometheusSamplesAreSummedByNameAndFirstLabels() {
        String metrics = """
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1048576.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999999.0
                kring_ws_connections 2000.0
                kring_ws_connections_other 5.0
                """;
        assertThat(SoakSampler.sum(metrics, "jvm_memory_used_bytes{area=\"heap\"")).isEqualTo(3_145_728.0);
        assertThat(SoakSampler.sum(metrics, "kring_ws_connections")).isEqualTo(2000.0);
        assertThat(SoakSampler.sum("", "kring_ws_connections")).isZero();
    }

    @Test
    void connectionsThisProcessOpenedAreCountedButNotThoseToItsOwnPort() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (ServerSocket own = new ServerSocket(0)) {
            long before = SoakSampler.outboundConnections(pid, Set.of(own.getLocalPort()));
            try (Socket out = new Socket("127.0.0.1", own.getLocalPort()); Socket in = own.accept()) {
                // the client end is an outbound connection of this process; the accepted end is on its own port
                assertThat(SoakSampler.outboundConnections(pid, Set.of(own.getLocalPort()))).isEqualTo(before + 1);
                assertThat(in.isConnected() && out.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aMeasureIsFlatWhenItsLastFiveMinutesStayNearItsFirstAfterTheWarmUp() {
        JsonArray samples = new JsonArray();
        for (int t = 0; t <= 1800; t += 30) {
            samples.add(new JsonObject().put("t", (double) t)
                    .put("liveHeapMiB", t < 600 ? 20.0 + t / 10.0 : 80.0 + (t % 60 == 0 ? 1 : -1)) // grows in the warm-up, then flat
                    .put("heapUsedMiB", 100.0).put("rssMiB", 300.0 + t / 30.0) // RSS creeps up 2 MiB a minute: not flat
                    .put("heapCommittedMiB", 256.0).put("openFiles", 2100L + t % 90).put("openFilesBeyondSessions", 100L)
                    .put("dbConnections", 10L).put("sessions", 2000L + t % 90));
        }
        JsonObject v = SoakSampler.verdict(samples, 600, 0.05);
        assertThat(v.getJsonObject("liveHeapMiB").getBoolean("flat")).isTrue();
        assertThat(v.getJsonObject("dbConnections").getBoolean("flat")).isTrue();
        assertThat(v.getJsonObject("heapUsedMiB").getBoolean("judged")).as("a saw, not judged").isFalse();
        assertThat(v.getJsonObject("rssMiB").getBoolean("flat")).isFalse();
        assertThat(v.getJsonObject("rssMiB").getDouble("slopePer10min")).isEqualTo(20.0);
        assertThat(v.getBoolean("flat")).isFalse();
    }
}
