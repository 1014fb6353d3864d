package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nl.kring.loadtest.ProcStats;

/**
 * The soak's resource samples (issue 26): every {@code sampleSeconds} of the run, from outside the
 * server, its live heap (after a full collection: {@code jcmd GC.class_histogram}), the heap in use
 * without forcing one ({@code jvm_memory_used_bytes} from its {@code /metrics}), its resident memory and
 * open files ({@code /proc/PID}), its connections to PostgreSQL (its established TCP sockets that are
 * neither on its public nor its management port: in a single node all of them go to the database), and
 * the sessions it holds ({@code kring_ws_connections}). {@link #verdict} says for each whether it stayed
 * flat after the warm-up. A report can be judged again later: {@code SoakSampler REPORT.json [FROM_SECOND]}.
 */
final class SoakSampler {

    /** The measures sampled, as named in the report. */
    static final List<String> MEASURES = List.of("liveHeapMiB", "heapUsedMiB", "heapCommittedMiB", "rssMiB", "openFiles",
            "openFilesBeyondSessions", "dbConnections", "sessions");
    /**
     * Those shown but not judged: the heap in use without a collection is a saw (it says nothing about
     * growth until collected); open files and sessions follow the load (a session is a socket), so the
     * files beyond the sessions are judged instead.
     */
    static final java.util.Set<String> NOT_JUDGED = java.util.Set.of("heapUsedMiB", "openFiles", "sessions");

    private final long pid;
    private final int port;
    private final int mgmtPort;
    private final int everySeconds;
    private final JsonArray samples = new JsonArray();
    private Thread thread;

    SoakSampler(long pid, int port, int mgmtPort, int everySeconds) {
        this.pid = pid;
        this.port = port;
        this.mgmtPort = mgmtPort;
        this.everySeconds = everySeconds;
    }

    void start() {
        thread = new Thread(() -> {
            long t0 = System.nanoTime();
            long n = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    JsonObject sample = sample((System.nanoTime() - t0) / 1e9);
                    if (Thread.currentThread().isInterrupted()) {
                        break; // stopped while sampling: the sample may be cut short
                    }
                    synchronized (samples) {
                        samples.add(sample);
                    }
                    n++;
                    long next = t0 + n * everySeconds * 1_000_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "soak-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(150_000);
        }
    }

    JsonArray samples() {
        synchronized (samples) {
            return samples.copy();
        }
    }

    private JsonObject sample(double t) {
        String metrics = metrics();
        long live = ProcStats.liveHeapKiB(List.of(pid));
        long files = ProcStats.openFiles(pid);
        long sessions = (long) sum(metrics, "kring_ws_connections");
        return new JsonObject().put("t", LoadRun.round(t))
                .put("liveHeapMiB", live < 0 ? -1 : LoadRun.round(live / 1024.0))
                .put("heapUsedMiB", LoadRun.round(sum(metrics, "jvm_memory_used_bytes{area=\"heap\"") / 1024.0 / 1024.0))
                .put("heapCommittedMiB", LoadRun.round(sum(metrics, "jvm_memory_committed_bytes{area=\"heap\"") / 1024.0 / 1024.0))
                .put("rssMiB", LoadRun.round(ProcStats.rssKiB(pid) / 1024.0))
                .put("openFiles", files)
                .put("openFilesBeyondSessions", files < 0 ? -1 : files - sessions)
                .put("dbConnections", outboundConnections(pid, Set.of(port, mgmtPort)))
                .put("sessions", sessions);
    }

    private String metrics() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + mgmtPort + "/metrics"))
                            .timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The sum of every Prometheus sample whose line starts with {@code prefix} (a name, or a name and its first labels). */
    static double sum(String metrics, String prefix) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix) && (line.length() == prefix.length() || " {,".indexOf(line.charAt(prefix.length())) >= 0)) {
                String[] w = line.trim().split("\\s+");
                total += Double.parseDouble(w[w.length - 1]);
            }
        }
        return total;
    }

    /**
     * Established TCP connections that process {@code pid} holds and whose local port is none of
     * {@code ownPorts}: the connections it opened itself. -1 when /proc cannot be read.
     */
    static long outboundConnections(long pid, Set<Integer> ownPorts) {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            });
            long count = 0;
            for (String table : List.of("tcp", "tcp6")) {
                Path file = Path.of("/proc/" + pid + "/net/" + table);
                if (!Files.exists(file)) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    String[] w = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                    if (w.length > 9 && w[3].equals("01") && inodes.contains(w[9])) {
                        int localPort = Integer.parseInt(w[1].substring(w[1].indexOf(':') + 1), 16);
                        if (!ownPorts.contains(localPort)) {
                            count++;
                        }
                    }
                }
            }
            return count;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether each measure stayed flat after {@code warmupSeconds}: the samples from then on, the mean
     * of their first and last five minutes, the least-squares slope per ten minutes, and flat when the
     * last five minutes are within {@code tolerance} (relative, or {@code 2} absolute for small counts)
     * of the first five.
     */
    static JsonObject verdict(JsonArray samples, int warmupSeconds, double tolerance) {
        List<JsonObject> settled = new ArrayList<>();
        for (Object o : samples) {
            if (((JsonObject) o).getDouble("t") >= warmupSeconds) {
                settled.add((JsonObject) o);
            }
        }
        JsonObject out = new JsonObject().put("fromSecond", warmupSeconds).put("samples", settled.size())
                .put("tolerance", tolerance);
        if (settled.size() < 3) {
            return out.put("flat", false).put("note", "too few samples after the warm-up");
        }
        double from = settled.get(0).getDouble("t");
        double to = settled.get(settled.size() - 1).getDouble("t");
        double window = Math.min(300, (to - from) / 3);
        boolean allFlat = true;
        for (String m : MEASURES) {
            double sx = 0, sy = 0, sxx = 0, sxy = 0, first = 0, last = 0;
            int n = 0, nf = 0, nl = 0;
            boolean known = true;
            for (JsonObject s : settled) {
                if (!s.containsKey(m)) {
                    continue; // a report from before the measure existed
                }
                double x = s.getDouble("t");
                double y = s.getDouble(m);
                known &= y >= 0;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                n++;
                if (x <= from + window) {
                    first += y;
                    nf++;
                }
                if (x >= to - window) {
                    last += y;
                    nl++;
                }
            }
            if (n < 3 || nf == 0 || nl == 0) {
                continue;
            }
            double slope = (n * sxy - sx * sy) / Math.max(1e-9, n * sxx - sx * sx);
            first /= nf;
            last /= nl;
            boolean judged = !NOT_JUDGED.contains(m);
            boolean flat = known && Math.abs(last - first) <= Math.max(2, tolerance * Math.abs(first));
            allFlat &= flat || !judged;
            out.put(m, new JsonObject().put("first5min", LoadRun.round(first)).put("last5min", LoadRun.round(last))
                    .put("slopePer10min", LoadRun.round(slope * 600)).put("judged", judged).put("flat", flat));
        }
        return out.put("flat", allFlat);
    }

    /** Judges a written report's soak samples again (for example with another warm-up): {@code REPORT.json [FROM_SECOND]}. */
    public static void main(String[] args) throws IOException {
        JsonObject run = new JsonObject(Files.readString(Path.of(args[0]))).getJsonObject("runs").getJsonObject("kring");
        int from = args.length > 1 ? Integer.parseInt(args[1]) : run.getJsonObject("soak").getJsonObject("verdict").getInteger("fromSecond");
        System.out.println(verdict(run.getJsonObject("soak").getJsonArray("samples"), from, 0.05).encodePrettily());
    }
}
