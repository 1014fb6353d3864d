package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The run's report: machine facts, a readable summary, and the latency-over-time plot. */
final class Report {

    private Report() {
    }

    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    static JsonObject percentiles(Histogram h) {
        return new JsonObject().put("count", h.getTotalCount()).put("p50", ms(h.getValueAtPercentile(50)))
                .put("p90", ms(h.getValueAtPercentile(90))).put("p99", ms(h.getValueAtPercentile(99)))
                .put("p999", ms(h.getValueAtPercentile(99.9))).put("max", ms(h.getMaxValue()));
    }

    static JsonObject machine() {
        JsonObject m = new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
                .put("java", System.getProperty("java.version"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    m.put("memoryGiB", Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0));
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    m.put("openFilesLimit", Long.parseLong(line.substring(26).trim().split("\\s+")[0]));
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            m.put("note", "could not read /proc: " + e.getMessage());
        }
        return m;
    }

    static String summary(JsonObject report) {
        StringBuilder s = new StringBuilder();
        JsonObject sc = report.getJsonObject("scenario");
        s.append(String.format("Scenario %s: %,d sessions in %,d rooms (zipf %.2f), %,d senders, %,.0f messages/s offered, %d s measured after %d s warm-up%n",
                sc.getString("name"), sc.getInteger("sessions"), sc.getInteger("rooms"), sc.getDouble("zipf"),
                sc.getInteger("senders"), sc.getDouble("messagesPerSecond"), sc.getInteger("durationSeconds"),
                sc.getInteger("warmupSeconds")));
        s.append("Machine: ").append(report.getJsonObject("machine").encode()).append('\n');
        JsonObject runs = report.getJsonObject("runs");
        for (Map.Entry<String, Object> e : runs) {
            JsonObject r = (JsonObject) e.getValue();
            JsonObject c = r.getJsonObject("counts");
            JsonObject ramp = r.getJsonObject("ramp");
            s.append(String.format("%n[%s]%s%n", e.getKey(), r.getBoolean("correct") ? "" : "  *** DELIVERY CHECK FAILED ***"));
            if (r.getInteger("nodes", 1) > 1) {
                s.append(String.format("  cluster: %d nodes, sessions %s; per node after the ramp: %s%n", r.getInteger("nodes"),
                        r.getInteger("connectTo") > 1 ? "spread over them" : "all on node 0", ramp.getJsonArray("nodes").encode()));
            }
            if (r.containsKey("signUpsPerSecond")) {
                s.append(String.format("  provisioning: %,.0f sign-ups/s%n", r.getDouble("signUpsPerSecond")));
            }
            s.append(String.format("  connect ramp: %,d sessions in %.1f s = %,.0f/s, %,d failed; handshake %s; server RSS %.0f → %.0f MiB, %d open files%n",
                    ramp.getLong("sessions"), ramp.getDouble("seconds"), ramp.getDouble("perSecond"), ramp.getLong("failed"),
                    line(r.getJsonObject("connectLatencyMs")), ramp.getDouble("serverRssBeforeMiB"),
                    ramp.getDouble("serverRssAfterMiB"), ramp.getLong("serverOpenFiles")));
            if (r.containsKey("extra")) {
                JsonObject x = r.getJsonObject("extra");
                s.append(String.format("  beyond capacity: %,d attempts, %,d accepted, %,d refused in %.1f s%n",
                        x.getInteger("attempts"), x.getLong("accepted"), x.getLong("refused"), x.getDouble("seconds")));
            }
            if (r.containsKey("hold")) {
                JsonObject h = r.getJsonObject("hold");
                s.append(String.format("  held %d s: server RSS %.0f MiB, %.2f KiB per session", h.getInteger("seconds"),
                        h.getDouble("serverRssMiB"), h.getDouble("serverKiBPerSession")));
                if (h.containsKey("serverLiveKiBPerSession")) {
                    s.append(String.format("; live heap %.0f MiB, %.2f KiB per session", h.getDouble("serverLiveHeapMiB"),
                            h.getDouble("serverLiveKiBPerSession")));
                }
                if (h.containsKey("generatorKiBPerSession")) {
                    s.append(String.format("; generators' RSS %.2f KiB per session", h.getDouble("generatorKiBPerSession")));
                }
                s.append(String.format("%n"));
            }
            s.append(String.format("  sessions held at peak %,d; reconnects %,d%n", c.getLong("peakHeld"), c.getLong("reconnects")));
            if (r.containsKey("stormRejoinMs")) {
                s.append(String.format("  reconnect storms: %,d sessions dropped at once, %,d back in their room = %,.0f/s; rejoin %s%n",
                        c.getLong("stormDropped"), c.getLong("stormRejoined"), r.getDouble("stormRejoinsPerSecond"),
                        line(r.getJsonObject("stormRejoinMs"))));
                s.append(String.format("  reconnect storms: %,d back in their room within 10 s of the drop, %,d never back%n",
                        r.getLong("stormRejoinedWithin10s", 0L), r.getLong("stormNotRejoined", 0L)));
            }
            s.append(String.format("  sends: %,d sent, %,d acked (%,.0f/s measured), %,d sent again after a reconnect, %,d unanswered%n",
                    c.getLong("sent"), c.getLong("acked"), r.getDouble("ackedPerSecond"), c.getLong("resent"), c.getLong("unanswered")));
            s.append(String.format("  ack latency      %s%n", line(r.getJsonObject("ackLatencyMs"))));
            s.append(String.format("  deliveries: %,.0f/s measured; latency %s%n", r.getDouble("deliveriesPerSecond"),
                    line(r.getJsonObject("deliveryLatencyMs"))));
            if (r.containsKey("lastMemberLatencyMs")) {
                s.append(String.format("  last member of a big room: %s%n", line(r.getJsonObject("lastMemberLatencyMs"))));
            }
            s.append(String.format("  seq check: %,d seen, %d lost, %d duplicated, %d out of order, %d resets, %d missing at the end%n",
                    c.getLong("seen"), c.getLong("lost"), c.getLong("duplicated"), c.getLong("disordered"), c.getLong("resets"),
                    c.getLong("tailShort")));
            s.append(String.format("  errors: %s; closes by code: %s; failed connects: %s%n", r.getJsonObject("replyErrors").encode(),
                    r.getJsonObject("closes").encode(), r.getJsonObject("connectFailures").encode()));
            if (r.containsKey("soak")) {
                soak(s, r.getJsonObject("soak"));
            }
            JsonObject server = r.getJsonObject("server");
            s.append(String.format("  server: %.0f %% of one core (%.0f %% with its database), RSS %.0f MiB; generators: %.0f %% of one core%n",
                    server.getDouble("cpuPercent"), server.getDouble("withDatabaseCpuPercent"), server.getDouble("rssMiB"),
                    r.getDouble("generatorCpuPercent")));
        }
        if (runs.containsKey("kring") && runs.containsKey("bare")) {
            double k = runs.getJsonObject("kring").getDouble("deliveriesPerSecond");
            double b = runs.getJsonObject("bare").getDouble("deliveriesPerSecond");
            double kp = runs.getJsonObject("kring").getJsonObject("deliveryLatencyMs").getDouble("p99");
            double bp = runs.getJsonObject("bare").getJsonObject("deliveryLatencyMs").getDouble("p99");
            s.append(String.format("%nKring/bare: deliveries/s %.2f, delivery p99 %.2f ms vs %.2f ms%n", b == 0 ? 0 : k / b, kp, bp));
        }
        return s.toString();
    }

    /** The soak's samples as a table, then each measure's first and last five minutes after the warm-up. */
    private static void soak(StringBuilder s, JsonObject soak) {
        s.append(String.format("  soak: a sample every %d s (live heap after a full GC, heap in use, RSS, open files, connections to PostgreSQL, sessions)%n",
                soak.getInteger("everySeconds")));
        s.append(String.format("    %8s %12s %12s %12s %9s %10s %8s %9s%n", "second", "liveHeapMiB", "heapUsedMiB", "committedMiB",
                "rssMiB", "openFiles", "dbConns", "sessions"));
        for (Object o : soak.getJsonArray("samples")) {
            JsonObject x = (JsonObject) o;
            s.append(String.format("    %8.0f %12.1f %12.1f %12.1f %9.1f %10d %8d %9d%n", x.getDouble("t"), x.getDouble("liveHeapMiB"),
                    x.getDouble("heapUsedMiB"), x.getDouble("heapCommittedMiB", -1.0), x.getDouble("rssMiB"), x.getLong("openFiles"),
                    x.getLong("dbConnections"), x.getLong("sessions")));
        }
        JsonObject v = soak.getJsonObject("verdict");
        s.append(String.format("  soak verdict from second %d (%d samples; flat = last 5 min within %.0f %% or 2 of the first 5): %s%n",
                v.getInteger("fromSecond"), v.getInteger("samples"), v.getDouble("tolerance") * 100,
                v.getBoolean("flat") ? "FLAT" : "NOT FLAT"));
        for (String m : SoakSampler.MEASURES) {
            JsonObject x = v.getJsonObject(m);
            if (x != null) {
                s.append(String.format("    %-14s first 5 min %10.1f, last 5 min %10.1f, slope %+9.2f per 10 min%s%n", m,
                        x.getDouble("first5min"), x.getDouble("last5min"), x.getDouble("slopePer10min"),
                        !x.getBoolean("judged", true) ? "  (shown, not judged)" : x.getBoolean("flat") ? "" : "  (not flat)"));
            }
        }
    }

    private static String line(JsonObject p) {
        return String.format("p50 %.2f ms, p99 %.2f, p99.9 %.2f, max %.2f (n=%,d)", p.getDouble("p50"), p.getDouble("p99"),
                p.getDouble("p999"), p.getDouble("max"), p.getLong("count"));
    }

    /** Delivery latency per second of the measured window, one line per percentile and target. */
    static void plot(JsonObject report, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(500)
                .title("Delivery latency over time: " + report.getJsonObject("scenario").getString("name"))
                .xAxisTitle("second of the measured window").yAxisTitle("latency (ms)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        boolean any = false;
        for (Map.Entry<String, Object> e : report.getJsonObject("runs")) {
            JsonArray series = ((JsonObject) e.getValue()).getJsonArray("perSecond");
            if (series.isEmpty()) {
                continue;
            }
            for (String p : List.of("p50", "p99", "p999", "max")) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (Object o : series) {
                    JsonObject point = (JsonObject) o;
                    if (point.getLong("deliveries") > 0) {
                        x.add(point.getDouble("second"));
                        y.add(Math.max(0.01, point.getDouble(p)));
                    }
                }
                if (!x.isEmpty()) {
                    chart.addSeries(e.getKey() + " " + p, x, y).setMarker(SeriesMarkers.NONE);
                    any = true;
                }
            }
        }
        if (!any) {
            chart.getStyler().setYAxisLogarithmic(false);
            chart.addSeries("no deliveries measured", List.of(0.0), List.of(0.0));
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
