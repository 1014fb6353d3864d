package nl.kring.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nl.kring.loadtest.gen.Frames;
import nl.kring.loadtest.gen.StreamCheck;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Durable-send benchmark: starts a fresh Kring server process (embedded PostgreSQL, real
 * durability), provisions it through the HTTP API, and drives sends over WebSockets on an open
 * (fixed-rate) schedule. Ack latency is measured from each message's intended send time, so a
 * stalled server cannot hide latency by slowing the generator (no coordinated omission).
 * Receivers check every room's seqs for loss, duplicates and disorder.
 *
 * <p>Usage: {@code ./kring bench [--rooms N] [--rates 2000,5000,...] [--senders N]
 * [--receivers-per-room N] [--seconds N] [--warmup N] [--server-classpath CP] [--server-jvm-opts "…"]
 * [--database-url postgresql://…] [--server-env KRING_X=v,KRING_Y=w]}: without a database URL the server runs its embedded PostgreSQL.
 * Reaches the server only through its protocol.
 */
public final class SendBenchmark {

    private final Map<String, String> args;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    /** Kept in a field: an unreferenced Vert.x 5 client is closed when collected (STACK.md). */
    private final WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxFrameSize(65536).setMaxMessageSize(65536).setConnectTimeout(10_000)
            .setMaxConnections(100_000));
    private String base;
    private int port;
    private int mgmtPort;

    private SendBenchmark(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        new SendBenchmark(args).run();
        System.exit(0);
    }

    private int intArg(String name, int def) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(def)));
    }

    private void run() throws Exception {
        int roomsCount = intArg("rooms", 1);
        int senders = intArg("senders", 100);
        int receiversPerRoom = intArg("receivers-per-room", 2);
        int seconds = intArg("seconds", 20);
        int warmup = intArg("warmup", 5);
        List<Integer> rates = new ArrayList<>();
        for (String r : args.getOrDefault("rates", "2000,5000,10000").split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        ServerProcess server = startServer();
        try {
            String admin = post("/api/v1/auth/login", null, new JsonObject().put("email", ServerProcess.ADMIN_EMAIL)
                    .put("password", ServerProcess.ADMIN_PASSWORD)).getString("token");
            post("/api/v1/admin/communities", admin, new JsonObject().put("slug", "bench").put("name", "Bench"));
            List<String> rooms = new ArrayList<>();
            for (int i = 0; i < roomsCount; i++) {
                rooms.add(post("/api/v1/admin/communities/bench/rooms", admin,
                        new JsonObject().put("name", "room-" + i).put("kind", "community").put("capacity", 100_000)).getString("id"));
            }
            int members = senders + roomsCount * receiversPerRoom;
            JsonArray codes = post("/api/v1/admin/communities/bench/invites", admin,
                    new JsonObject().put("count", members).put("uses", 1).put("expiresInDays", 1)).getJsonArray("codes");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                tokens.add(post("/api/v1/auth/anonymous", null, new JsonObject().put("community", "bench")
                        .put("inviteCode", codes.getString(i)).put("pseudonym", "bench_" + i).put("ageBand", "18-21"))
                        .getString("token"));
            }
            // Receivers: join their room and check seq order.
            // One check per receiver, all on the generator's single event loop.
            List<StreamCheck> checks = new ArrayList<>();
            Recorder deliveryLatency = new Recorder(3);
            for (int r = 0; r < roomsCount; r++) {
                for (int k = 0; k < receiversPerRoom; k++) {
                    WebSocket ws = connect(tokens.get(senders + r * receiversPerRoom + k));
                    StreamCheck check = new StreamCheck();
                    checks.add(check);
                    // Frames are scanned, not parsed: the generator shares the machine's two cores with the server.
                    ws.textMessageHandler(text -> {
                        if (text.startsWith("{\"type\":\"message\"")) {
                            check.message(Frames.numberAfter(text, "\"seq\":"));
                            long intended = Frames.numberAfter(text, "\"body\":\"");
                            deliveryLatency.recordValue(Math.max(0, System.nanoTime() - intended) / 1000);
                        }
                    });
                    ws.writeTextMessage(new JsonObject().put("type", "join").put("id", "j").put("room", rooms.get(r)).encode());
                }
            }
            List<Sender> senderList = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                senderList.add(new Sender(connect(tokens.get(i)), rooms.get(i % roomsCount), "s" + i));
            }
            long pid = server.pid();
            System.out.printf("%nKring durable sends: %d room(s), %d sender sockets, %d receivers per room, %d s per rate (%d s warm-up)%n",
                    roomsCount, senders, receiversPerRoom, seconds, warmup);
            System.out.println("target/s  acked/s  errors  ack p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  deliver p99 ms"
                    + "  server CPU %  server RSS MiB  batch mean  commit mean ms  statement mean ms  server ack mean ms");
            for (int rate : rates) {
                runRate(senderList, rate, warmup, false, deliveryLatency, pid);
                Map<String, Double> before = serverMeters();
                Result result = runRate(senderList, rate, seconds, true, deliveryLatency, pid);
                Map<String, Double> after = serverMeters();
                System.out.printf("%8d %8.0f %7d %11.2f %7.2f %7.2f %9.2f %7.2f %15.2f %13.0f %15.0f %11.1f %15.2f %18.2f %19.2f%n",
                        rate, result.ackedPerSecond, result.errors, result.ack.getValueAtPercentile(50) / 1000.0,
                        result.ack.getValueAtPercentile(90) / 1000.0, result.ack.getValueAtPercentile(99) / 1000.0,
                        result.ack.getValueAtPercentile(99.9) / 1000.0, result.ack.getMaxValue() / 1000.0,
                        result.delivery.getValueAtPercentile(99) / 1000.0, result.cpuPercent, result.rssMiB,
                        mean(before, after, "kring_db_batch_size"), 1000 * mean(before, after, "kring_db_batch_duration_seconds"),
                        1000 * mean(before, after, "kring_db_statement_duration_seconds"),
                        1000 * mean(before, after, "kring_ack_latency_seconds"));
            }
            System.out.printf("seq check: %d messages seen by receivers, %d lost, %d duplicated, %d out of order%n",
                    checks.stream().mapToLong(StreamCheck::seen).sum(), checks.stream().mapToLong(StreamCheck::lost).sum(),
                    checks.stream().mapToLong(StreamCheck::duplicated).sum(), checks.stream().mapToLong(StreamCheck::disordered).sum());
        } finally {
            server.close();
            vertx.close();
        }
    }

    private record Result(double ackedPerSecond, long errors, Histogram ack, Histogram delivery, double cpuPercent, double rssMiB) {
    }

    /** Drives all senders at {@code rate} messages per second in total for {@code seconds}. */
    private Result runRate(List<Sender> senders, int rate, int seconds, boolean measured, Recorder deliveryLatency, long pid)
            throws InterruptedException {
        Recorder ackLatency = new Recorder(3);
        AtomicLong acked = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        for (Sender s : senders) {
            s.reset(ackLatency, acked, errors);
        }
        deliveryLatency.getIntervalHistogram();
        long intervalNanos = 1_000_000_000L * senders.size() / rate;
        long start = System.nanoTime() + 10_000_000;
        long end = start + seconds * 1_000_000_000L;
        long[] cpuBefore = ProcStats.cpu(pid);
        long timer = vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            for (int i = 0; i < senders.size(); i++) {
                senders.get(i).sendDue(start + i * intervalNanos / senders.size(), intervalNanos, Math.min(now, end));
            }
        });
        // The run lasts until its end plus a second for the last acks; this is the benchmark's length, not a wait for an event.
        vertx.timer(Duration.ofNanos(end - System.nanoTime()).toMillis() + 1000).await();
        vertx.cancelTimer(timer);
        double cpu = ProcStats.percent(cpuBefore, ProcStats.cpu(pid));
        return new Result(acked.get() / (double) seconds, errors.get(), ackLatency.getIntervalHistogram(),
                deliveryLatency.getIntervalHistogram(), cpu, ProcStats.rssKiB(pid) / 1024.0);
    }

    /** One sending socket on the open schedule; confined to the generator's single event loop. */
    private static final class Sender {
        final WebSocket ws;
        final String room;
        final String prefix;
        final Map<String, Long> inFlight = new HashMap<>();
        long next = -1;
        long counter;
        Recorder latency;
        AtomicLong acked;
        AtomicLong errors;

        Sender(WebSocket ws, String room, String prefix) {
            this.ws = ws;
            this.room = room;
            this.prefix = prefix;
            ws.textMessageHandler(text -> {
                if (!text.startsWith("{\"type\":\"reply\"")) {
                    return;
                }
                int idStart = text.indexOf("\"id\":\"") + 6;
                Long intended = inFlight.remove(text.substring(idStart, text.indexOf('"', idStart)));
                if (intended == null) {
                    return;
                }
                if (text.contains("\"ok\":true")) {
                    latency.recordValue(Math.max(0, System.nanoTime() - intended) / 1000);
                    acked.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            });
        }

        void reset(Recorder latency, AtomicLong acked, AtomicLong errors) {
            this.latency = latency;
            this.acked = acked;
            this.errors = errors;
            this.next = -1;
        }

        /** Sends every message whose intended time has come, each stamped with that time. */
        void sendDue(long firstAt, long interval, long now) {
            if (next < 0) {
                next = firstAt;
            }
            while (next <= now) {
                String id = prefix + "-" + (++counter);
                inFlight.put(id, next);
                ws.writeTextMessage("{\"type\":\"send\",\"id\":\"" + id + "\",\"room\":\"" + room + "\",\"clientMsgId\":\"" + id
                        + "\",\"body\":\"" + next + " benchmark message with a little text in it\"}");
                next += interval;
            }
        }
    }

    private WebSocket connect(String token) throws Exception {
        String ticket = post("/api/v1/ws-ticket", token, null).getString("ticket");
        return wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws?ticket=" + ticket))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private ServerProcess startServer() throws Exception {
        String extra = args.get("server-jvm-opts");
        Map<String, String> env = ServerProcess.env(args.get("server-env"), args.get("database-url"));
        ServerProcess server = ServerProcess.kring(args.getOrDefault("server-classpath", "server/target/kring-server.jar:server/target/lib/*"),
                extra == null ? List.of() : List.of(extra.trim().split("\\s+")), env, Files.createTempDirectory("kring-bench"));
        port = server.port();
        mgmtPort = server.mgmtPort();
        base = "http://127.0.0.1:" + port;
        return server;
    }

    private JsonObject post(String path, String token, JsonObject body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode()))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return new JsonObject(r.body());
    }

    /** The _sum and _count samples of the server's own meters. */
    private Map<String, Double> serverMeters() throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmtPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("kring_") && (line.contains("_sum ") || line.contains("_count "))) {
                out.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return out;
    }

    private static double mean(Map<String, Double> before, Map<String, Double> after, String meter) {
        double sum = after.getOrDefault(meter + "_sum", 0.0) - before.getOrDefault(meter + "_sum", 0.0);
        double count = after.getOrDefault(meter + "_count", 0.0) - before.getOrDefault(meter + "_count", 0.0);
        return count == 0 ? 0 : sum / count;
    }
}
