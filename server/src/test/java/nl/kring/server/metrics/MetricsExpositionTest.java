package nl.kring.server.metrics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static nl.kring.server.testing.TestServer.join;
import static nl.kring.server.testing.TestServer.sendMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live /metrics output passes {@code promtool check metrics} (Debian's prometheus package,
 * installed by {@code ./kring test}), the scrape configuration passes {@code promtool check
 * config}, and every meter in the catalogue of docs/operations.md exists in the output.
 */
class MetricsExpositionTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void liveMetricsPassPromtoolAndMatchTheCatalogue() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            String slug = server.community();
            String room = server.room(slug);
            try (WsClient c = server.connect(server.member(slug))) {
                join(c, room);
                sendMessage(c, room, "m1", "hallo");
            }
            String metrics = server.metrics();

            ProcessResult check = run(metrics, "promtool", "check", "metrics");
            assertThat(check.output()).as("promtool check metrics").isEmpty();
            assertThat(check.exitCode()).isZero();

            TreeSet<String> missing = new TreeSet<>();
            Matcher m = Pattern.compile("\\| `(kring_[a-z_]+)`").matcher(Files.readString(ROOT.resolve("docs/operations.md")));
            int catalogued = 0;
            while (m.find()) {
                catalogued++;
                if (!Pattern.compile("(?m)^" + Pattern.quote(m.group(1)) + "[{ ]").matcher(metrics).find()
                        && !Pattern.compile("(?m)^" + Pattern.quote(m.group(1)) + "_(bucket|count|sum|total|max)[{ ]").matcher(metrics).find()) {
                    missing.add(m.group(1));
                }
            }
            assertThat(catalogued).as("meters in the catalogue").isGreaterThanOrEqualTo(12);
            assertThat(missing).as("catalogued meters absent from /metrics").isEmpty();
        }
    }

    @Test
    void theScrapeConfigurationIsValid() throws Exception {
        ProcessResult check = run("", "promtool", "check", "config", ROOT.resolve("ops/prometheus/prometheus.yml").toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    record ProcessResult(int exitCode, String output) {
    }

    static ProcessResult run(String stdin, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out.trim());
    }
}
