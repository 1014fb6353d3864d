package nl.kring.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nl.kring.server.Main;
import nl.kring.server.db.DatabaseTarget;

/**
 * A Kring server as a child process ({@link Main}, the way {@code ./kring run} starts it), so
 * that tests can kill it with SIGKILL or stop it with SIGTERM. Ready when it logs "Kring started".
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    /** The public port: the one asked for, or the one the server logged at start when 0 was asked for. */
    private volatile int port;
    private final List<String> output = new ArrayList<>();
    /** Lines waited for ({@link #line}), completed by the output reader; guarded by {@code output}. */
    private final List<Map.Entry<java.util.function.Predicate<String>, CompletableFuture<String>>> waiters = new ArrayList<>();
    private Thread reader;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code n} nodes clustered on 127.0.0.1 (Hazelcast TCP-IP join) against one database
     * and returns once every node has logged a membership of {@code n}. Each is added to
     * {@code started} as soon as it runs, so that the caller can kill them whatever happens.
     */
    /** The cluster secret every test cluster shares (KRING_CLUSTER_SECRET; a test may override it). */
    public static final String CLUSTER_SECRET = "test-cluster-secret-0123456789abcdef";

    public static void startCluster(DatabaseTarget db, int n, Map<String, String> overrides, List<ServerProcess> started) {
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clusterPorts.add(Ports.outsideEphemeralRange());
        }
        String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
        for (int i = 0; i < n; i++) {
            Map<String, String> env = new HashMap<>(overrides);
            env.putIfAbsent("KRING_CLUSTER_SECRET", CLUSTER_SECRET);
            env.put("KRING_CLUSTER_MEMBERS", members);
            env.put("KRING_CLUSTER_PORT", Integer.toString(clusterPorts.get(i)));
            started.add(start(db, env));
        }
        for (ServerProcess node : started) {
            try {
                node.line(l -> l.contains("cluster membership [nodes: " + n + "]")).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the cluster did not form", e);
            }
        }
    }

    public static ServerProcess start(DatabaseTarget db, Map<String, String> overrides) {
        return start(db, overrides, 0);
    }

    /**
     * On a given port (a restarted server where a browser page expects the one before it), or on
     * 0: the server binds a free port itself and logs it (choosing one here and handing it over
     * races with every other socket opened in between).
     */
    public static ServerProcess start(DatabaseTarget db, Map<String, String> overrides, int port) {
        Map<String, String> env = new HashMap<>(overrides);
        env.put("KRING_DATABASE_URL", "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + db.database());
        return launch(env, port);
    }

    /** As {@code ./kring run} does without KRING_DATABASE_URL: the server runs its own PostgreSQL in {@code dataDir}. */
    public static ServerProcess startEmbedded(java.nio.file.Path dataDir) {
        return launch(Map.of("KRING_DATA_DIR", dataDir.toString()), 0);
    }

    private static ServerProcess launch(Map<String, String> overrides, int port) {
        Map<String, String> env = new HashMap<>(TestServer.env(overrides));
        env.put("KRING_PORT", Integer.toString(port));
        env.put("KRING_MGMT_PORT", "0");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        try {
            ServerProcess sp = new ServerProcess(pb.start(), port);
            CompletableFuture<Void> started = new CompletableFuture<>();
            Thread reader = new Thread(() -> sp.pump(started), "server-output");
            reader.setDaemon(true);
            sp.reader = reader;
            reader.start();
            started.orTimeout(60, TimeUnit.SECONDS).join();
            return sp;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void pump(CompletableFuture<Void> started) {
        java.nio.file.Path log = java.nio.file.Path.of("target", "server-process-" + process.pid() + ".log");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             java.io.Writer file = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                    for (java.util.Iterator<Map.Entry<java.util.function.Predicate<String>, CompletableFuture<String>>> it =
                            waiters.iterator(); it.hasNext(); ) {
                        Map.Entry<java.util.function.Predicate<String>, CompletableFuture<String>> w = it.next();
                        if (w.getKey().test(line)) {
                            w.getValue().complete(line);
                            it.remove();
                        }
                    }
                }
                file.write(line);
                file.write('\n');
                file.flush();
                java.util.regex.Matcher m = nl.kring.server.KringServer.STARTED_LINE.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    started.complete(null);
                }
            }
            started.completeExceptionally(new IllegalStateException("server exited: " + output()));
        } catch (IOException e) {
            started.completeExceptionally(e);
        }
    }

    public int port() {
        return port;
    }

    /** Completes with the first line of output, already written or still to come, that matches. */
    public CompletableFuture<String> line(java.util.function.Predicate<String> match) {
        CompletableFuture<String> found = new CompletableFuture<>();
        synchronized (output) {
            for (String l : output) {
                if (match.test(l)) {
                    found.complete(l);
                    return found;
                }
            }
            waiters.add(Map.entry(match, found));
        }
        return found;
    }

    /** Everything the process wrote, once it has exited and its output has been read to the end. */
    public List<String> outputAfterExit() {
        try {
            reader.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (reader.isAlive() || process.isAlive()) {
            throw new IllegalStateException("the server has not exited");
        }
        return output();
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** SIGTERM; returns the milliseconds until the process had exited. */
    public long terminate() {
        long started = System.nanoTime();
        process.destroy();
        waitFor(60);
        return (System.nanoTime() - started) / 1_000_000;
    }

    private void waitFor(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("server did not exit");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
