package nl.kring.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.db.EmbeddedDatabase;

/**
 * {@code ./kring cluster N}: N Kring nodes on this machine for development, clustered over
 * 127.0.0.1 and sharing one embedded PostgreSQL (in {@code KRING_DATA_DIR/pg}). Node i listens on
 * 8080 + 2i (management 8081 + 2i) and joins the cluster on 5701 + i; its output lines start with
 * {@code [node i]}. Ctrl-C (SIGTERM) stops the nodes gracefully (each closes its sockets with
 * 4000), then PostgreSQL. The nodes share KRING_CLUSTER_SECRET when it is set, or a random one made for
 * this run. Not for production: there, each node is its own service
 * (docs/operations.md, "Running a cluster").
 */
public final class DevCluster {

    private DevCluster() {
    }

    public static void main(String[] args) throws Exception {
        int n;
        try {
            n = args.length == 0 ? 3 : Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 8) {
            System.err.println("kring: ./kring cluster N needs N from 1 to 8");
            System.exit(64);
            return;
        }
        Path data = Path.of(System.getenv().getOrDefault("KRING_DATA_DIR", "./data")).toAbsolutePath().normalize();
        EmbeddedDatabase db = EmbeddedDatabase.start(data.resolve("pg"), 0);
        DatabaseTarget t = db.target();
        String url = "postgresql://" + t.user() + (t.password().isEmpty() ? "" : ":" + t.password()) + "@" + t.host() + ":"
                + t.port() + "/" + t.database();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add("127.0.0.1:" + (5701 + i));
        }
        // one secret for this run's nodes (the event bus's TLS key and the cluster name come from it), unless given
        String secret = System.getenv().getOrDefault("KRING_CLUSTER_SECRET", "");
        if (secret.isBlank()) {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            secret = java.util.Base64.getEncoder().encodeToString(random);
        }
        List<Process> nodes = new ArrayList<>();
        List<Thread> outputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("KRING_DATABASE_URL", url);
            env.put("KRING_PORT", Integer.toString(8080 + 2 * i));
            env.put("KRING_MGMT_PORT", Integer.toString(8081 + 2 * i));
            env.put("KRING_CLUSTER_MEMBERS", String.join(",", members));
            env.put("KRING_CLUSTER_SECRET", secret);
            env.put("KRING_CLUSTER_PORT", Integer.toString(5701 + i));
            env.put("KRING_DATA_DIR", data.resolve("node-" + i).toString());
            ProcessBuilder pb = new ProcessBuilder(javaCommand(i)).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            nodes.add(p);
            outputs.add(prefix("[node " + i + "] ", p));
            System.out.printf("[cluster] node %d: http://127.0.0.1:%d (management 127.0.0.1:%d, cluster 127.0.0.1:%d)%n",
                    i, 8080 + 2 * i, 8081 + 2 * i, 5701 + i);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.forEach(Process::destroy); // SIGTERM: each drains with 4000
            for (Process p : nodes) {
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                    for (Thread output : outputs) {
                        output.join(2_000); // the nodes' last lines ("Kring stopped")
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            db.close();
        }, "kring-cluster-stop"));
        for (Process p : nodes) {
            p.waitFor();
        }
    }

    private static List<String> javaCommand(int node) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv().getOrDefault("KRING_JAVA_OPTS", "-XX:+UseG1GC -Xms256m");
        for (String o : opts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.add("-Dvertx.cacheDirBase=" + System.getProperty("java.io.tmpdir") + "/kring-vertx-" + node);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        return cmd;
    }

    private static Thread prefix(String tag, Process p) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println(tag + line);
                }
            } catch (IOException e) {
                // the node is gone
            }
        }, "kring-cluster-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
