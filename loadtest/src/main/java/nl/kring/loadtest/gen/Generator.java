package nl.kring.loadtest.gen;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One generator process: opens its slice of the scenario's sessions and drives them, told what
 * to do by the coordinator ({@link LoadRun}) one line at a time on standard input, answering one
 * line at a time on standard output:
 *
 * <pre>
 *   (starts)             → READY
 *   CONNECT              → CONNECTED in failed seconds  (sessions in, failed attempts on the way)
 *   EXTRA                → EXTRA ok failed
 *   RUN startMicros      → ACKED file        (highest acked seq per room, after the acks drained)
 *   EXPECT file          → RESULT file       (after every session saw its room up to the merged seqs)
 *   EXIT
 * </pre>
 *
 * <p>Usage: {@code java … nl.kring.loadtest.gen.Generator plan.json outDir}.
 */
public final class Generator {

    private final Plan plan;
    private final Path out;
    private final Vertx vertx;
    private final EpochClock clock = new EpochClock();
    private final Stats stats;
    /** Kept in fields: an unreferenced Vert.x 5 client is closed when collected (STACK.md). */
    private final HttpClient http;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final List<Shard> shards = new ArrayList<>();

    private Generator(Plan plan, Path out) {
        this.plan = plan;
        this.out = out;
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(plan.shards()));
        this.stats = new Stats(plan.scenario().rooms());
        // Ticket requests reuse up to 64 connections, closed after 2 s idle: they count against the server's
        // connection limit, and with Vert.x's default (60 s) a ramp to exactly that limit had its last sessions
        // reset at accept until the idle pool was evicted, a minute after the ramp.
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(2).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
        for (int a = 1; a <= plan.scenario().sourceAddresses(); a++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.0." + a)
                    .setMaxConnections(1_000_000).setMaxFrameSize(65536).setMaxMessageSize(1 << 20)
                    .setConnectTimeout(plan.scenario().handshakeTimeoutMs())));
        }
    }

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.read(Path.of(args[0]));
        new Generator(plan, Path.of(args[1])).serve();
        System.exit(0);
    }

    private void serve() throws Exception {
        List<String> tokens = plan.tokensFile() == null ? null : Files.readAllLines(plan.tokensFile());
        for (int k = 0; k < plan.shards(); k++) {
            shards.add(new Shard(plan, stats, clock, http, clients, k));
        }
        int from = plan.layout().from(plan.process());
        int to = plan.layout().from(plan.process() + 1);
        for (int i = from; i < to; i++) {
            shards.get(i % plan.shards()).add(i, tokens == null ? null : tokens.get(plan.layout().accountOf(i)));
        }
        for (Shard shard : shards) {
            get(vertx.deployVerticle(shard));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        say("READY");
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "CONNECT" -> {
                    long t0 = System.nanoTime();
                    double perShard = plan.scenario().connectRate() / (double) plan.totalShards();
                    java.util.concurrent.atomic.LongAdder sessionsIn = new java.util.concurrent.atomic.LongAdder();
                    onAll(s -> s.rampSessions(perShard, sessionsIn));
                    say("CONNECTED " + sessionsIn.sum() + " " + failures() + " " + (System.nanoTime() - t0) / 1e9);
                }
                case "EXTRA" -> {
                    java.util.concurrent.atomic.LongAdder accepted = new java.util.concurrent.atomic.LongAdder();
                    java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();
                    double perShard = plan.scenario().connectRate() / (double) plan.totalShards();
                    onAll(s -> s.rampExtras(perShard, accepted, refused));
                    say("EXTRA " + accepted.sum() + " " + refused.sum());
                }
                case "RUN" -> run(Long.parseLong(cmd[1]));
                case "EXPECT" -> expect(Path.of(cmd[1]));
                case "EXIT" -> {
                    onAll(s -> {
                        s.closeAll();
                        return Future.succeededFuture();
                    });
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    return;
                }
                default -> say("ERROR unknown command " + cmd[0]);
            }
        }
    }

    private void run(long startMicros) throws Exception {
        Scenario sc = plan.scenario();
        onAll(s -> {
            s.run(startMicros);
            return Future.succeededFuture();
        });
        long measureFrom = startMicros + sc.warmupSeconds() * 1_000_000L;
        sleepUntil(measureFrom);
        stats.deliveryPerSecond.getIntervalHistogram();
        for (int i = 1; i <= sc.durationSeconds(); i++) {
            sleepUntil(measureFrom + i * 1_000_000L);
            stats.seconds.add(stats.deliveryPerSecond.getIntervalHistogram());
        }
        // The acks of the last messages: each shard says when its last one came, or gives up after 15 s.
        onAll(s -> s.drained(15_000));
        JsonArray maxAcked = new JsonArray();
        for (int r = 0; r < stats.maxAcked.length(); r++) {
            maxAcked.add(stats.maxAcked.get(r));
        }
        Path file = out.resolve("acked-" + plan.process() + ".json");
        Files.writeString(file, maxAcked.encode());
        say("ACKED " + file);
    }

    private void expect(Path file) throws Exception {
        JsonArray merged = new JsonArray(Files.readString(file));
        long[] expected = new long[merged.size()];
        for (int r = 0; r < expected.length; r++) {
            expected[r] = merged.getLong(r);
        }
        long unanswered = unanswered();
        onAll(s -> s.tail(expected, 30_000));
        long[] t = new long[6];
        onAll(s -> {
            long[] mine = s.totals();
            synchronized (t) {
                for (int i = 0; i < t.length; i++) {
                    t[i] += mine[i];
                }
            }
            return Future.succeededFuture();
        });
        JsonObject result = stats.toJson(t[0], t[1], t[2], t[3], t[4], t[5], unanswered).put("process", plan.process());
        Path path = out.resolve("result-" + plan.process() + ".json");
        Files.writeString(path, result.encode());
        say("RESULT " + path);
    }

    private long failures() {
        return stats.connectFailures.values().stream().mapToLong(java.util.concurrent.atomic.LongAdder::sum).sum();
    }

    private long unanswered() throws Exception {
        long[] n = {0};
        onAll(s -> {
            long mine = s.unanswered();
            synchronized (n) {
                n[0] += mine;
            }
            return Future.succeededFuture();
        });
        return n[0];
    }

    /** Runs {@code action} on every shard's own loop and waits until all have finished. */
    private void onAll(Function<Shard, Future<Void>> action) throws Exception {
        List<Future<Void>> all = new ArrayList<>();
        for (Shard shard : shards) {
            Promise<Void> p = Promise.promise();
            shard.ctx().runOnContext(v -> action.apply(shard).onComplete(p));
            all.add(p.future());
        }
        get(Future.all(all));
    }

    private void sleepUntil(long micros) throws InterruptedException {
        long wait = micros - clock.nowMicros();
        if (wait > 0) {
            TimeUnit.MICROSECONDS.sleep(wait);
        }
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
