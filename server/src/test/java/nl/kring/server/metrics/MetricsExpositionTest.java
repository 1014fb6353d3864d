package nl.kring.server.metrics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

            // every metric an alert rule or a dashboard uses exists, so that none can go silently blank
            TreeSet<String> used = new TreeSet<>();
            List<Path> opsFiles = new ArrayList<>();
            try (var rules = Files.list(ROOT.resolve("ops/prometheus/rules")); var boards = Files.list(ROOT.resolve("ops/grafana/dashboards"))) {
                rules.forEach(opsFiles::add);
                boards.forEach(opsFiles::add);
            }
            Pattern name = Pattern.compile("\\b((?:kring|jvm|process|system|vertx)_[a-z0-9_]+)");
            for (Path f : opsFiles) {
                Matcher u = name.matcher(Files.readString(f));
                while (u.find()) {
                    used.add(u.group(1).replaceAll("_(bucket|count|sum)$", ""));
                }
            }
            TreeSet<String> absent = new TreeSet<>();
            for (String metric : used) {
                if (!Pattern.compile("(?m)^" + Pattern.quote(metric) + "(_bucket|_count|_sum|_total)?[{ ]").matcher(metrics).find()) {
                    absent.add(metric);
                }
            }
            assertThat(used).as("metrics used by alerts and dashboards").hasSizeGreaterThan(20);
            assertThat(absent).as("metrics used by alerts or dashboards but absent from /metrics").isEmpty();
        }
    }

    @Test
    void theAlertRulesAreValidAndEveryAlertPassesItsUnitTests() throws Exception {
        ProcessResult check = run("", "promtool", "check", "rules", ROOT.resolve("ops/prometheus/rules/kring-alerts.yml").toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        ProcessResult test = run("", "promtool", "test", "rules", ROOT.resolve("ops/prometheus/tests/kring-alerts-test.yml").toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
        // every alert has at least one test case
        Matcher alerts = Pattern.compile("(?m)^\\s+- alert: (\\w+)").matcher(Files.readString(ROOT.resolve("ops/prometheus/rules/kring-alerts.yml")));
        String tests = Files.readString(ROOT.resolve("ops/prometheus/tests/kring-alerts-test.yml"));
        List<String> untested = new ArrayList<>();
        while (alerts.find()) {
            if (!tests.contains("alertname: " + alerts.group(1) + "\n")) {
                untested.add(alerts.group(1));
            }
        }
        assertThat(untested).as("alerts without a promtool unit test").isEmpty();
    }

    @Test
    void theDashboardsAreGrafanaJsonOnTheProvisionedDataSource() throws Exception {
        try (var boards = Files.list(ROOT.resolve("ops/grafana/dashboards"))) {
            for (Path f : boards.toList()) {
                io.vertx.core.json.JsonObject board = new io.vertx.core.json.JsonObject(Files.readString(f));
                assertThat(board.getString("uid")).as(f.toString()).isNotBlank();
                assertThat(board.getJsonArray("panels")).as(f.toString()).isNotEmpty();
                for (Object o : board.getJsonArray("panels")) {
                    io.vertx.core.json.JsonObject panel = (io.vertx.core.json.JsonObject) o;
                    assertThat(panel.getJsonObject("datasource").getString("uid")).as(panel.getString("title")).isEqualTo("kring-prometheus");
                    assertThat(panel.getJsonArray("targets")).as(panel.getString("title")).isNotEmpty();
                }
            }
        }
        assertThat(Files.readString(ROOT.resolve("ops/grafana/provisioning/datasources/kring-prometheus.yml"))).contains("uid: kring-prometheus");
    }

    @Test
    void theScrapeConfigurationsForOneNodeAndForAClusterAreValid() throws Exception {
        for (String config : List.of("prometheus.yml", "prometheus-cluster.yml")) {
            ProcessResult check = run("", "promtool", "check", "config", ROOT.resolve("ops/prometheus/" + config).toString());
            assertThat(check.exitCode()).as(check.output()).isZero();
            assertThat(check.output()).contains("SUCCESS");
        }
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
