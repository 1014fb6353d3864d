package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI smoke scenario ({@code scenarios/smoke.json}): a real Kring server process with its
 * embedded PostgreSQL, two generator processes, 2,000 sessions in 100 rooms of Zipf popularity,
 * Poisson sends, 20 sessions a second dropping and resuming, and a storm in which a tenth of
 * all sessions drop at once and reconnect together. It fails on any lost, repeated or
 * out-of-order message, any message missing at the end, any send never answered, any reset
 * instead of a resume, and any session that could not connect; never on speed.
 */
class LoadSmokeTest {

    @Test
    void twoThousandSessionsWithChurnAndAStormLoseNothing(@TempDir Path out) throws Exception {
        Scenario scenario = Scenario.from(new JsonObject(Files.readString(Path.of("scenarios/smoke.json"))));
        String testClasspath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // The server as ./kring run starts it: its jar and libraries, packaged before this module in the reactor
        // (this module does not depend on the server: it is an outside client of the protocol)
        Path server = Path.of("..", "server", "target").toAbsolutePath().normalize();
        assertThat(server.resolve("kring-server.jar")).as("the server is packaged before the load generator's tests").exists();
        String serverClasspath = server.resolve("kring-server.jar") + File.pathSeparator + server.resolve("lib") + File.separator + "*";
        JsonObject report = new LoadRun(scenario, Map.of("server-classpath", serverClasspath,
                "generator-classpath", testClasspath), out).run("kring");
        System.out.println(Files.readString(out.resolve("summary.txt")));

        JsonObject run = report.getJsonObject("runs").getJsonObject("kring");
        JsonObject counts = run.getJsonObject("counts");
        assertThat(run.getJsonObject("ramp").getLong("sessions")).as("sessions connected in the ramp").isEqualTo(2000);
        assertThat(run.getJsonObject("ramp").getLong("failed")).as("handshakes that failed in the ramp").isZero();
        assertThat(counts.getLong("reconnects")).as("churn and the storm made sessions reconnect and resume").isGreaterThan(200);
        assertThat(counts.getLong("sent")).as("messages sent").isGreaterThan(1000);
        assertThat(counts.getLong("acked")).as("every send acknowledged").isEqualTo(counts.getLong("sent"));
        assertThat(counts.getLong("unanswered")).isZero();
        assertThat(counts.getLong("seen")).as("deliveries seen").isGreaterThan(counts.getLong("sent"));
        assertThat(counts.getLong("lost")).as("gaps in a room's seqs").isZero();
        assertThat(counts.getLong("duplicated")).as("a seq seen twice").isZero();
        assertThat(counts.getLong("disordered")).as("a seq after a higher one").isZero();
        assertThat(counts.getLong("tailShort")).as("messages a session never got by the end").isZero();
        assertThat(counts.getLong("resets")).as("resets instead of exact resumes").isZero();
        assertThat(run.getJsonObject("replyErrors").fieldNames()).as("errors other than retried busy answers")
                .allMatch(k -> k.endsWith(":unavailable") || k.endsWith(":rate_limited"));
        assertThat(run.getBoolean("correct")).isTrue();
        assertThat(out.resolve("latency.png")).isNotEmptyFile();
    }
}
