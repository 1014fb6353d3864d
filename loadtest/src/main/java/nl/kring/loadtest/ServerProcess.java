package nl.kring.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own process: Kring (with its embedded PostgreSQL unless a database
 * URL is given, real durability) or the bare relay. Its output goes to {@code server.log} in its
 * data directory.
 */
public final class ServerProcess implements AutoCloseable {

    public static final String ADMIN_EMAIL = "bench@kring.test";
    public static final String ADMIN_PASSWORD = "benchmark-password";

    private final Process process;
    private final List<Integer> ports;
    private final int mgmtPort;
    private final Path dataDir;

    private ServerProcess(Process process, List<Integer> ports, int mgmtPort, Path dataDir) {
        this.process = process;
        this.ports = List.copyOf(ports);
        this.mgmtPort = mgmtPort;
        this.dataDir = dataDir;
    }

    /**
     * Starts Kring with the benchmark's admin, rate limits out of the way (the generator measures
     * the server, not its flood protection) and {@code env} on top.
     */
    public static ServerProcess kring(String classpath, List<String> jvmOpts, Map<String, String> env, Path dataDir)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(kringJvm(jvmOpts));
        command.addAll(List.of("-Dvertx.cacheDirBase=" + dataDir.resolve("vertx-cache"), "-cp", classpath, "nl.kring.server.Main"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        // free ports chosen by the server at bind time and read from its start line: choosing them here and
        // handing them over races with every socket opened in between
        e.put("KRING_PORT", "0");
        e.put("KRING_MGMT_PORT", "0");
        e.put("KRING_DATA_DIR", dataDir.toString());
        e.putAll(benchmarkSettings());
        e.putAll(env);
        return start(pb, List.of(), -1, dataDir, KRING_STARTED, 1);
    }

    /**
     * Starts a cluster of {@code nodes} Kring processes with one embedded PostgreSQL
     * ({@code nl.kring.server.DevCluster}, what {@code ./kring cluster N} runs): node i listens on
     * 8080 + 2i (management 8081 + 2i) and joins on 5701 + i, so those ports must be free. Each node
     * gets {@code jvmOpts}; the settings are {@link #kring}'s.
     */
    public static ServerProcess kringCluster(String classpath, List<String> jvmOpts, Map<String, String> env, Path dataDir,
                                             int nodes) throws Exception {
        List<String> command = List.of("java", "-Xmx256m", "-cp", classpath, "nl.kring.server.DevCluster", Integer.toString(nodes));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.put("KRING_DATA_DIR", dataDir.toAbsolutePath().toString());
        e.put("KRING_JAVA_OPTS", String.join(" ", kringJvm(jvmOpts)));
        e.putAll(benchmarkSettings());
        e.putAll(env);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ports.add(8080 + 2 * i);
        }
        return start(pb, ports, 8081, dataDir, KRING_STARTED, nodes);
    }

    private static List<String> kringJvm(List<String> jvmOpts) {
        List<String> all = new ArrayList<>(List.of("-XX:+UseG1GC", "-Xms512m", "-Xmx2g"));
        all.addAll(jvmOpts);
        return all;
    }

    /** The benchmark's admin, and rate limits out of the way (the generator measures the server, not its flood protection). */
    private static Map<String, String> benchmarkSettings() {
        return Map.of("KRING_ADMIN_EMAIL", ADMIN_EMAIL, "KRING_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "KRING_SEND_RATE", "100000", "KRING_SEND_BURST", "100000",
                "KRING_REQUEST_RATE", "100000", "KRING_REQUEST_BURST", "100000",
                "KRING_SIGNUP_RATE", "100000", "KRING_SIGNUP_BURST", "100000",
                // every generated member signs up from this one address, thousands at once: each attempt in flight
                // holds one of its source's tokens until it is known to be right (FailureLimits)
                "KRING_SIGNUP_FAILURES_PER_SOURCE", "1000000", "KRING_LOGIN_FAILURES_PER_SOURCE", "1000000");
    }

    /** Starts the bare relay from {@code classpath} (the load generator's). */
    public static ServerProcess bare(String classpath, List<String> jvmOpts, Path dataDir) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-XX:+UseG1GC", "-Xms512m", "-Xmx2g"));
        command.addAll(jvmOpts);
        command.addAll(List.of("-Dvertx.cacheDirBase=" + dataDir.resolve("vertx-cache"),
                "-cp", classpath, BareRelay.class.getName(), "0", "2"));
        return start(new ProcessBuilder(command), List.of(), -1, dataDir, BARE_STARTED, 1);
    }

    /**
     * Kring's start line as it is logged ({@code Kring started [port: 8080, management: 127.0.0.1:8081, …]}),
     * read as text: the generator knows the server only from the outside (the server's own
     * {@code KringServer.STARTED_LINE} is the same pattern; the smoke test fails if they drift apart).
     */
    private static final java.util.regex.Pattern KRING_STARTED =
            java.util.regex.Pattern.compile("Kring started \\[port: (\\d+), management: \\S*:(\\d+),");
    private static final java.util.regex.Pattern BARE_STARTED = java.util.regex.Pattern.compile("Bare relay started on (\\d+)");

    /**
     * Starts the process and waits for {@code startedLines} lines matching {@code startedLine}. With
     * no {@code ports} given, the ports are read from the first such line: group 1 the public port,
     * group 2 (where the pattern has one) the management port.
     */
    private static ServerProcess start(ProcessBuilder pb, List<Integer> ports, int mgmtPort, Path dataDir,
                                       java.util.regex.Pattern startedLine, int startedLines) throws Exception {
        Files.createDirectories(dataDir);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        CompletableFuture<Void> started = new CompletableFuture<>();
        int[] seen = {0};
        List<Integer> bound = new java.util.concurrent.CopyOnWriteArrayList<>();
        int[] boundMgmt = {mgmtPort};
        Thread pump = new Thread(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(p.getInputStream()));
                 var log = Files.newBufferedWriter(dataDir.resolve("server.log"))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.write(line);
                    log.newLine();
                    log.flush();
                    java.util.regex.Matcher m = startedLine.matcher(line);
                    if (m.find()) {
                        if (ports.isEmpty() && seen[0] == 0) {
                            bound.add(Integer.parseInt(m.group(1)));
                            if (m.groupCount() > 1) {
                                boundMgmt[0] = Integer.parseInt(m.group(2));
                            }
                        }
                        if (++seen[0] == startedLines) {
                            started.complete(null);
                        }
                    }
                }
            } catch (IOException e) {
                started.completeExceptionally(e);
            }
            started.completeExceptionally(new IllegalStateException("server exited, see " + dataDir.resolve("server.log")));
        }, "server-log");
        pump.setDaemon(true);
        pump.start();
        try {
            started.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        // the pump wrote bound and boundMgmt before completing started
        return new ServerProcess(p, ports.isEmpty() ? bound : ports, boundMgmt[0], dataDir);
    }

    /** {@code K=V,K=V} (the commands' {@code --server-env}) as environment entries, plus a database URL when given. */
    public static Map<String, String> env(String pairs, String databaseUrl) {
        Map<String, String> env = new java.util.HashMap<>();
        for (String kv : (pairs == null ? "" : pairs).split(",")) {
            if (kv.contains("=")) {
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        if (databaseUrl != null) {
            env.put("KRING_DATABASE_URL", databaseUrl);
        }
        return env;
    }

    /** The first node's port (the only one, unless a cluster). */
    public int port() {
        return ports.get(0);
    }

    /** Every node's port. */
    public List<Integer> ports() {
        return ports;
    }

    /**
     * The server's JVMs: this process, or for a cluster its node processes (the children that run
     * Java; the embedded PostgreSQL is counted by {@link ProcStats#treeCpu} instead).
     */
    public List<Long> nodePids() {
        if (ports.size() == 1) {
            return List.of(process.pid());
        }
        return process.toHandle().children()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid).sorted().toList();
    }

    public int mgmtPort() {
        return mgmtPort;
    }

    /**
     * Kring's Prometheus text from its management port, written to {@code file} (the bare relay has
     * none: nothing is written). A failure is reported in the file instead of failing the run.
     */
    public void saveMetrics(Path file) {
        if (mgmtPort < 0) {
            return;
        }
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + mgmtPort + "/metrics"))
                            .timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            Files.writeString(file, r.body());
        } catch (Exception e) {
            try {
                Files.writeString(file, "# metrics not read: " + e);
            } catch (IOException ignored) {
                // the report goes on without them
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
