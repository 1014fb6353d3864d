package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.kring.loadtest.ProcStats;
import nl.kring.loadtest.ServerProcess;
import org.HdrHistogram.Histogram;

/**
 * The coordinator: one command that runs a scenario against Kring, the bare relay, or both in
 * turn, with as many generator processes as the sockets need, and reports.
 *
 * <p>Usage: {@code ./kring load SCENARIO.json [--target kring|bare|both] [--out DIR]
 * [--server-classpath CP] [--server-jvm-opts "…"] [--server-env K=V,K=V] [--database-url URL]
 * [--generator-jvm-opts "…"] [--generator-classpath CP] [--shards N] [--nodes N [--connect spread|first]]}.
 * With {@code --nodes N} Kring runs as a cluster of N nodes ({@link ServerProcess#kringCluster}) and the
 * sessions are spread over them, or all sent to the first node with {@code --connect first}. Writes {@code report.json}, {@code summary.txt} and
 * {@code latency.png} to the output directory (default {@code loadtest/target/load/NAME-TIME}) and
 * prints the summary.
 */
public final class LoadRun {

    private final Scenario scenario;
    private final Layout layout;
    private final Map<String, String> options;
    private final Path out;

    public LoadRun(Scenario scenario, Map<String, String> options, Path out) {
        this.scenario = scenario;
        this.layout = new Layout(scenario);
        this.options = options;
        this.out = out;
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: ./kring load SCENARIO.json [--target kring|bare|both] [--out DIR] …");
            System.exit(64);
        }
        Scenario scenario = Scenario.from(new JsonObject(Files.readString(Path.of(argv[0]))));
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            options.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        Path out = Path.of(options.getOrDefault("out", "loadtest/target/load/" + scenario.name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        JsonObject report = new LoadRun(scenario, options, out).run(options.getOrDefault("target", "kring"));
        System.out.println(Files.readString(out.resolve("summary.txt")));
        System.exit(report.getBoolean("correct") ? 0 : 1);
    }

    /** Runs the scenario against {@code target} ({@code kring}, {@code bare} or {@code both}) and writes the report. */
    public JsonObject run(String target) throws Exception {
        Files.createDirectories(out);
        List<String> targets = target.equals("both") ? List.of("kring", "bare") : List.of(target);
        JsonObject runs = new JsonObject();
        for (String t : targets) {
            if (!t.equals("kring") && !t.equals("bare")) {
                throw new IllegalArgumentException("--target must be kring, bare or both");
            }
            runs.put(t, runTarget(t, out.resolve(t)));
        }
        JsonObject report = new JsonObject().put("scenario", scenario.toJson()).put("machine", Report.machine()).put("runs", runs);
        boolean correct = runs.stream().allMatch(e -> ((JsonObject) e.getValue()).getBoolean("correct"));
        report.put("correct", correct);
        Files.writeString(out.resolve("report.json"), report.encodePrettily());
        Files.writeString(out.resolve("summary.txt"), Report.summary(report));
        Report.plot(report, out.resolve("latency.png"));
        return report;
    }

    private JsonObject runTarget(String target, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<String> serverJvm = words(options.get("server-jvm-opts"));
        Map<String, String> env = ServerProcess.env(options.get("server-env"), options.get("database-url"));
        String classpath = options.getOrDefault("server-classpath", "server/target/kring-server.jar:server/target/lib/*");
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "1"));
        try (ServerProcess server = target.equals("kring") && nodes > 1
                ? ServerProcess.kringCluster(classpath, serverJvm, env, dir.resolve("server"), nodes)
                : target.equals("kring")
                ? ServerProcess.kring(classpath, serverJvm, env, dir.resolve("server"))
                : ServerProcess.bare(generatorClasspath(), serverJvm, dir.resolve("server"))) {
            JsonObject run = new JsonObject().put("target", target);
            List<String> roomIds;
            Path tokens = null;
            if (target.equals("kring")) {
                Provisioner.Provisioned p = new Provisioner("127.0.0.1", server.port())
                        .provision(scenario, layout, "load-" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100000));
                roomIds = p.roomIds();
                tokens = dir.resolve("tokens.txt");
                Files.write(tokens, p.tokens());
                run.put("signUpsPerSecond", round(p.signUpsPerSecond()));
            } else {
                roomIds = new ArrayList<>();
                for (int r = 0; r < scenario.rooms(); r++) {
                    roomIds.add("r" + r);
                }
            }
            return drive(server, roomIds, tokens, dir, run);
        }
    }

    private JsonObject drive(ServerProcess server, List<String> roomIds, Path tokens, Path dir, JsonObject run) throws Exception {
        int processes = scenario.processCount();
        int shards = Integer.parseInt(options.getOrDefault("shards", "2"));
        String runTag = Long.toString(System.currentTimeMillis(), 36);
        // a cluster's sessions go to its nodes in turn (--connect spread, the default) or all to node 0 (--connect first)
        List<Integer> ports = "first".equals(options.get("connect")) ? List.of(server.port()) : server.ports();
        run.put("nodes", server.ports().size()).put("connectTo", ports.size());
        List<GeneratorProcess> generators = new ArrayList<>();
        long pid = server.pid();
        List<Long> pids = server.nodePids();
        Sampler sampler = new Sampler(pids);
        try {
            for (int p = 0; p < processes; p++) {
                Path plan = dir.resolve("plan-" + p + ".json");
                Files.writeString(plan, new Plan(scenario, layout, p, shards, "127.0.0.1", ports, roomIds, tokens, runTag)
                        .toJson().encode());
                generators.add(new GeneratorProcess(generatorClasspath(), words(options.get("generator-jvm-opts")), plan, dir, p));
            }
            for (GeneratorProcess g : generators) {
                g.await("READY", 120);
            }
            long rssBefore = ProcStats.rssKiB(pids);
            List<Long> generatorPids = generators.stream().map(GeneratorProcess::pid).toList();
            long generatorRssBefore = ProcStats.rssKiB(generatorPids);
            long liveBefore = scenario.holdSeconds() > 0 ? ProcStats.liveHeapKiB(pids) : -1;
            sampler.start();
            // Connect ramp.
            long t0 = System.nanoTime();
            generators.forEach(g -> g.tell("CONNECT"));
            long connected = 0;
            long failed = 0;
            for (GeneratorProcess g : generators) {
                String[] w = g.await("CONNECTED", 3600);
                connected += Long.parseLong(w[1]);
                failed += Long.parseLong(w[2]);
            }
            double rampSeconds = (System.nanoTime() - t0) / 1e9;
            long rssAfterRamp = ProcStats.rssKiB(pids);
            run.put("ramp", new JsonObject().put("sessions", connected).put("failed", failed)
                    .put("seconds", round(rampSeconds)).put("perSecond", round(connected / rampSeconds))
                    .put("serverRssBeforeMiB", round(rssBefore / 1024.0)).put("serverRssAfterMiB", round(rssAfterRamp / 1024.0))
                    .put("serverOpenFiles", pids.stream().mapToLong(ProcStats::openFiles).max().orElse(-1))
                    .put("nodes", nodes(pids)));
            if (scenario.extraSessions() > 0) {
                long extraOk = 0;
                long extraFailed = 0;
                long t1 = System.nanoTime();
                generators.forEach(g -> g.tell("EXTRA"));
                for (GeneratorProcess g : generators) {
                    String[] w = g.await("EXTRA", 600);
                    extraOk += Long.parseLong(w[1]);
                    extraFailed += Long.parseLong(w[2]);
                }
                run.put("extra", new JsonObject().put("attempts", scenario.extraSessions()).put("accepted", extraOk)
                        .put("refused", extraFailed).put("seconds", round((System.nanoTime() - t1) / 1e9)));
            }
            if (scenario.holdSeconds() > 0) {
                Thread.sleep(scenario.holdSeconds() * 1000L);
                long rssHeld = ProcStats.rssKiB(pids);
                JsonObject hold = new JsonObject().put("seconds", scenario.holdSeconds())
                        .put("serverRssMiB", round(rssHeld / 1024.0))
                        .put("serverKiBPerSession", round((rssHeld - rssBefore) / (double) Math.max(1, connected)))
                        // the client's side of the same sessions: the generators' RSS growth over the ramp and hold
                        .put("generatorKiBPerSession", round((ProcStats.rssKiB(generatorPids) - generatorRssBefore)
                                / (double) Math.max(1, connected)));
                long liveHeld = liveBefore < 0 ? -1 : ProcStats.liveHeapKiB(pids);
                if (liveHeld >= 0) {
                    hold.put("serverLiveHeapMiB", round(liveHeld / 1024.0))
                            .put("serverLiveKiBPerSession", round((liveHeld - liveBefore) / (double) Math.max(1, connected)));
                }
                run.put("hold", hold);
            }
            // The run: warm-up, then the measured window.
            EpochClock clock = new EpochClock();
            long start = clock.nowMicros() + 500_000;
            long measureFrom = start + scenario.warmupSeconds() * 1_000_000L;
            generators.forEach(g -> g.tell("RUN " + start));
            SoakSampler soak = scenario.sampleSeconds() > 0 && server.mgmtPort() > 0 && pids.size() == 1
                    ? new SoakSampler(pid, server.port(), server.mgmtPort(), scenario.sampleSeconds()) : null;
            if (soak != null) {
                soak.start();
            }
            long[] cpuFrom = waitAndRead(clock, measureFrom, pids);
            server.saveMetrics(dir.resolve("metrics-start.txt"));
            long[] treeFrom = ProcStats.treeCpu(pid);
            List<long[]> genCpuFrom = generators.stream().map(g -> ProcStats.cpu(g.pid())).toList();
            long[] cpuTo = waitAndRead(clock, measureFrom + scenario.durationSeconds() * 1_000_000L, pids);
            long[] treeTo = ProcStats.treeCpu(pid);
            List<long[]> genCpuTo = generators.stream().map(g -> ProcStats.cpu(g.pid())).toList();
            long rssRun = ProcStats.rssKiB(pids);
            if (soak != null) {
                soak.stop();
                JsonArray samples = soak.samples();
                run.put("soak", new JsonObject().put("everySeconds", scenario.sampleSeconds()).put("samples", samples)
                        .put("verdict", SoakSampler.verdict(samples, scenario.warmupSeconds(), 0.05)));
            }
            server.saveMetrics(dir.resolve("metrics-end.txt"));
            JsonArray ackedFiles = new JsonArray();
            for (GeneratorProcess g : generators) {
                ackedFiles.add(g.await("ACKED", 600)[1]);
            }
            long[] expected = new long[scenario.rooms()];
            for (Object f : ackedFiles) {
                JsonArray a = new JsonArray(Files.readString(Path.of((String) f)));
                for (int r = 0; r < expected.length; r++) {
                    expected[r] = Math.max(expected[r], a.getLong(r));
                }
            }
            Path expectedFile = dir.resolve("expected.json");
            Files.writeString(expectedFile, new JsonArray(java.util.Arrays.stream(expected).boxed().toList()).encode());
            generators.forEach(g -> g.tell("EXPECT " + expectedFile));
            List<JsonObject> results = new ArrayList<>();
            for (GeneratorProcess g : generators) {
                results.add(new JsonObject(Files.readString(Path.of(g.await("RESULT", 600)[1]))));
            }
            sampler.stop();
            double genCpu = 0;
            for (int i = 0; i < generators.size(); i++) {
                genCpu += ProcStats.percent(genCpuFrom.get(i), genCpuTo.get(i));
            }
            run.put("server", new JsonObject().put("cpuPercent", round(ProcStats.percent(cpuFrom, cpuTo)))
                    .put("withDatabaseCpuPercent", round(ProcStats.percent(treeFrom, treeTo)))
                    .put("rssMiB", round(rssRun / 1024.0)).put("timeline", sampler.timeline()));
            run.put("generatorCpuPercent", round(genCpu));
            merge(results, run);
            return run;
        } finally {
            sampler.stop();
            for (GeneratorProcess g : generators) {
                g.tell("EXIT");
            }
            for (GeneratorProcess g : generators) {
                g.close();
            }
        }
    }

    /** Sleeps until {@code micros} (the run's schedule, not a wait for an event) and reads the server's CPU. */
    private static long[] waitAndRead(EpochClock clock, long micros, List<Long> pids) throws InterruptedException {
        long wait = micros - clock.nowMicros();
        if (wait > 0) {
            Thread.sleep(wait / 1000, (int) (wait % 1000) * 1000);
        }
        return ProcStats.cpu(pids);
    }

    /** Each node's resident memory and open files (one entry unless a cluster). */
    private static JsonArray nodes(List<Long> pids) {
        JsonArray out = new JsonArray();
        for (long p : pids) {
            out.add(new JsonObject().put("rssMiB", round(ProcStats.rssKiB(p) / 1024.0)).put("openFiles", ProcStats.openFiles(p)));
        }
        return out;
    }

    /** Adds the generators' results together into {@code run}. */
    private void merge(List<JsonObject> results, JsonObject run) {
        Histogram ack = new Histogram(3);
        Histogram delivery = new Histogram(3);
        Histogram connect = new Histogram(3);
        Histogram stormRejoin = new Histogram(3);
        List<Histogram> seconds = new ArrayList<>();
        Map<String, Long> lastMember = new HashMap<>();
        JsonObject sums = new JsonObject();
        Map<String, Map<String, Long>> maps = new LinkedHashMap<>();
        for (JsonObject r : results) {
            ack.add(Stats.decode(r.getString("ackLatency")));
            delivery.add(Stats.decode(r.getString("deliveryLatency")));
            connect.add(Stats.decode(r.getString("connectLatency")));
            stormRejoin.add(Stats.decode(r.getString("stormRejoinLatency")));
            JsonArray perSecond = r.getJsonArray("perSecond");
            for (int i = 0; i < perSecond.size(); i++) {
                if (seconds.size() <= i) {
                    seconds.add(new Histogram(3));
                }
                seconds.get(i).add(Stats.decode(perSecond.getString(i)));
            }
            r.getJsonObject("lastMember").forEach(e -> lastMember.merge(e.getKey(), ((Number) e.getValue()).longValue(), Math::max));
            for (String k : List.of("connectsOk", "reconnects", "peakHeld", "sent", "resent", "acked", "ackedMeasured", "delivered",
                    "deliveredMeasured", "unanswered", "seen", "lost", "duplicated", "disordered", "resets", "tailShort",
                    "stormDropped", "stormRejoined")) {
                sums.put(k, sums.getLong(k, 0L) + r.getLong(k));
            }
            for (String k : List.of("connectFailures", "closes", "replyErrors")) {
                r.getJsonObject(k).forEach(e -> maps.computeIfAbsent(k, x -> new java.util.TreeMap<>())
                        .merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
            }
        }
        Histogram last = new Histogram(3);
        lastMember.values().forEach(last::recordValue);
        int duration = Math.max(1, scenario.durationSeconds());
        run.put("counts", sums);
        maps.forEach((k, v) -> run.put(k, new JsonObject(new LinkedHashMap<>(v))));
        for (String k : List.of("connectFailures", "closes", "replyErrors")) {
            if (!run.containsKey(k)) {
                run.put(k, new JsonObject());
            }
        }
        run.put("deliveriesPerSecond", round(sums.getLong("deliveredMeasured") / (double) duration));
        run.put("ackedPerSecond", round(sums.getLong("ackedMeasured") / (double) duration));
        run.put("ackLatencyMs", Report.percentiles(ack));
        run.put("deliveryLatencyMs", Report.percentiles(delivery));
        run.put("connectLatencyMs", Report.percentiles(connect));
        if (last.getTotalCount() > 0) {
            run.put("lastMemberLatencyMs", Report.percentiles(last));
        }
        if (stormRejoin.getTotalCount() > 0) {
            // Every storm drops its sessions at one instant: the slowest rejoin is how long the storm took to absorb.
            run.put("stormRejoinMs", Report.percentiles(stormRejoin));
            run.put("stormRejoinsPerSecond", round(sums.getLong("stormRejoined") / Math.max(1e-3, stormRejoin.getMaxValue() / 1e6)));
            // Issue 26: every dropped session back within 10 s, and how many were not back at all.
            run.put("stormRejoinedWithin10s", stormRejoin.getCountBetweenValues(0, 10_000_000))
                    .put("stormNotRejoined", sums.getLong("stormDropped") - sums.getLong("stormRejoined"));
        }
        JsonArray series = new JsonArray();
        for (int i = 0; i < seconds.size(); i++) {
            Histogram h = seconds.get(i);
            series.add(new JsonObject().put("second", i + 1).put("deliveries", h.getTotalCount())
                    .put("p50", Report.ms(h.getValueAtPercentile(50))).put("p99", Report.ms(h.getValueAtPercentile(99)))
                    .put("p999", Report.ms(h.getValueAtPercentile(99.9))).put("max", Report.ms(h.getMaxValue())));
        }
        run.put("perSecond", series);
        boolean correct = sums.getLong("lost") == 0 && sums.getLong("duplicated") == 0 && sums.getLong("disordered") == 0
                && sums.getLong("tailShort") == 0 && sums.getLong("unanswered") == 0 && sums.getLong("resets") == 0;
        run.put("correct", correct);
    }

    /** The load generator's classpath, for its processes and the bare relay (this JVM's unless told). */
    private String generatorClasspath() {
        return options.getOrDefault("generator-classpath", System.getProperty("java.class.path"));
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    /** Samples the server's CPU and RSS once a second for the timeline. */
    private static final class Sampler {
        private final List<Long> pid;
        private final JsonArray timeline = new JsonArray();
        private Thread thread;

        Sampler(List<Long> pids) {
            this.pid = pids;
        }

        void start() {
            thread = new Thread(() -> {
                long[] prev = ProcStats.cpu(pid);
                long[] prevMachine = ProcStats.machine();
                long t0 = System.nanoTime();
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(1000);
                        long[] now = ProcStats.cpu(pid);
                        long[] machine = ProcStats.machine();
                        synchronized (timeline) {
                            timeline.add(new JsonObject().put("t", round((System.nanoTime() - t0) / 1e9))
                                    .put("cpuPercent", round(ProcStats.percent(prev, now)))
                                    .put("machineBusyPercent", round((machine[0] - prevMachine[0]) * 100.0
                                            / Math.max(1, machine[1] - prevMachine[1])))
                                    .put("rssMiB", round(ProcStats.rssKiB(pid) / 1024.0)));
                        }
                        prev = now;
                        prevMachine = machine;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            if (thread != null) {
                thread.interrupt();
            }
        }

        JsonArray timeline() {
            synchronized (timeline) {
                return timeline.copy();
            }
        }
    }
}
