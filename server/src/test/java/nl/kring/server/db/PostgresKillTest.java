package nl.kring.server.db;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Ports;
import nl.kring.server.testing.ScratchDirs;
import nl.kring.server.testing.ServerProcess;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26, item 10: the embedded PostgreSQL killed with SIGKILL under load, several times. A
 * server process as {@code ./kring run} starts it (no KRING_DATABASE_URL: it runs its own
 * PostgreSQL) takes steady sends from real WebSocket clients; the test kills the postmaster named
 * in {@code postmaster.pid} while sends are in flight, and checks that:
 * <ul>
 *   <li>the server restarts PostgreSQL by itself ({@link EmbeddedSupervisor}), and after each restart
 *       a send is acked within 10 s of the new postmaster's start;</li>
 *   <li>no ack arrives while the database is down: a send made after the server first answered
 *       {@code unavailable} is never acked before the new postmaster started
 *       ({@code pg_postmaster_start_time()}, the same wall clock as the test's);</li>
 *   <li>every acked message is in history exactly once, with its acked seq, seqs gap-free from 1,
 *       and a member who stayed in the room received them all in order.</li>
 * </ul>
 * Senders behave as the protocol asks: on {@code unavailable} they wait {@code retryAfterMs} and resend
 * the same {@code clientMsgId}. The number of kills is {@value #DEFAULT_KILLS} here; the documented
 * longer run sets {@code -Dkring.pgkill.kills=10} (docs/operations.md).
 *
 * <p>The embedded case fails on the code before issue 26 item 10: nothing supervised the embedded
 * PostgreSQL, so after the first kill it never came back and the test timed out waiting for the
 * restart (checked). The external case proves what already held on the server's side (the database
 * probe reconnects by itself); before, there was no supervisor to stand in for the operator's.
 */
class PostgresKillTest {

    static final int DEFAULT_KILLS = 3;
    static final int KILLS = Integer.getInteger("kring.pgkill.kills", DEFAULT_KILLS);
    static final int SENDERS = 4;
    /** Acks to wait for before each kill: the load is steady again and sends are in flight when it lands. */
    static final int ACKS_BETWEEN_KILLS = 40;
    static final Duration RESUMED_WITHIN = Duration.ofSeconds(10);

    @Test
    void killingTheEmbeddedPostgresUnderLoadLosesNoAckedMessageAndSendingResumes() throws Exception {
        Path data = ScratchDirs.create("kring-pgkill");
        Path pgData = data.resolve("pg");
        // GIVEN a data directory that the server ran on before (initialised and migrated here): a first start's
        // initdb and migrations on a busy machine can outlast the pool's 2 s wait at start, which is not under test
        try (EmbeddedDatabase before = EmbeddedDatabase.start(pgData, 0)) {
            Migrations.migrate(before.target());
        }
        ServerProcess node = ServerProcess.startEmbedded(data);
        try {
            // the server restarts its own PostgreSQL, and says so in its log
            killUnderLoad("embedded", node.port(), pgData, k -> node.line(l -> l.contains("embedded PostgreSQL restarted")
                    && l.contains("restarts: " + k + "]")));
            node.terminate();
        } finally {
            node.close();
            EmbeddedDatabase.stopOrphanedPostmaster(pgData);
            ScratchDirs.delete(data);
        }
    }

    /**
     * The same with an external database (KRING_DATABASE_URL): the server restarts nothing; the database
     * comes back by an operator's supervisor (here the test's own {@link EmbeddedSupervisor}, as systemd's
     * Restart=always would) and the server recovers by itself.
     */
    @Test
    void withAnExternalPostgresKilledUnderLoadTheServerRecoversWhenItIsBack() throws Exception {
        Path pgData = ScratchDirs.create("kring-pgkill-external");
        EmbeddedDatabase pg = EmbeddedDatabase.start(pgData, Ports.outsideEphemeralRange());
        // the server in this JVM: only PostgreSQL is killed here, and an in-process start waits out a busy machine
        try (EmbeddedSupervisor operator = EmbeddedSupervisor.watch(pg); TestServer server = TestServer.start(pg.target(), Map.of())) {
            killUnderLoad("external", server.port(), pgData, operator::restarted);
        } finally {
            pg.close();
            ScratchDirs.delete(pgData);
        }
    }

    /** Kills the postmaster {@link #KILLS} times under steady sends; {@code restarted.apply(k)} completes after the k-th restart. */
    private static void killUnderLoad(String database, int port, Path pgData, java.util.function.IntFunction<CompletableFuture<?>> restarted)
            throws Exception {
        List<Sender> senders = new ArrayList<>();
        Acks acks = new Acks();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            ApiClient api = new ApiClient(port);
            String slug = api.community();
            String room = api.room(slug);
            try (WsClient reader = api.connect(api.member(slug))) {
                TestServer.join(reader, room);
                for (int i = 0; i < SENDERS; i++) {
                    Sender s = new Sender("s" + i, api.connect(api.member(slug)), room, acks, stop);
                    senders.add(s);
                    s.start();
                }
                List<Kill> kills = new ArrayList<>();
                for (int k = 1; k <= KILLS; k++) {
                    // GIVEN steady sending
                    acks.awaitCount(acks.count() + ACKS_BETWEEN_KILLS, senders);
                    CompletableFuture<?> back = restarted.apply(k);
                    // WHEN the postmaster is killed with SIGKILL while sends are being committed
                    long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
                    Instant killedAt = Instant.now();
                    assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor()).isZero();
                    // THEN the server refuses sends (first unavailable to a send made after the kill) ...
                    Instant downFrom = acks.awaitUnavailableAfter(killedAt, senders);
                    // ... PostgreSQL is restarted ...
                    back.get(120, TimeUnit.SECONDS);
                    Instant pgStarted = postmasterStart(pgData);
                    // ... and the server acks again within 10 s of it being back
                    Instant firstAck = acks.awaitAckAfter(pgStarted, senders);
                    kills.add(new Kill(k, pid, killedAt, downFrom, pgStarted, firstAck));
                }
                stop.set(true);
                for (Sender s : senders) {
                    s.join(60_000);
                    assertThat(s.isAlive()).as("sender %s stopped", s.name).isFalse();
                    assertThat(s.failure).as("sender %s", s.name).isNull();
                }

                List<Ack> all = acks.all();
                long maxBackToAck = 0;
                long maxKillToAck = 0;
                for (Kill kill : kills) {
                    // no ack while down: a send made once the server said unavailable is not acked before PostgreSQL restarted
                    for (Ack a : all) {
                        boolean sentWhileDown = !a.sentAt.isBefore(kill.downFrom);
                        assertThat(sentWhileDown && a.answeredAt.isBefore(kill.pgStarted))
                                .as("kill %d: %s acked at %s, before PostgreSQL restarted at %s", kill.number, a.clientMsgId,
                                        a.answeredAt, kill.pgStarted)
                                .isFalse();
                    }
                    long backToAck = Duration.between(kill.pgStarted, kill.firstAck).toMillis();
                    assertThat(backToAck).as("kill %d: first ack after PostgreSQL was back", kill.number)
                            .isLessThanOrEqualTo(RESUMED_WITHIN.toMillis());
                    maxBackToAck = Math.max(maxBackToAck, backToAck);
                    maxKillToAck = Math.max(maxKillToAck, Duration.between(kill.killedAt, kill.firstAck).toMillis());
                }

                // every acked message stored once, with its acked seq, and seqs 1..n: nothing lost, nothing twice
                Map<String, Long> ackedSeqs = new HashMap<>();
                for (Ack a : all) {
                    assertThat(ackedSeqs.put(a.clientMsgId, a.seq)).as("acked once: %s", a.clientMsgId).isNull();
                }
                Map<Long, String> history = history(senders.get(0).ws, room);
                assertThat(history.keySet()).as("gap-free seqs").containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, history.size()).boxed().toList());
                Map<String, Long> stored = new HashMap<>();
                history.forEach((seq, id) -> assertThat(stored.put(id, seq)).as("stored once: %s", id).isNull());
                int duplicated = history.size() - stored.size();
                long lost = ackedSeqs.entrySet().stream().filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
                assertThat(stored).as("history is exactly the acked messages").isEqualTo(ackedSeqs);
                // AND the member who stayed in the room received every message once, in order
                for (long seq = 1; seq <= history.size(); seq++) {
                    JsonObject m = reader.nextOfType("message");
                    assertThat(m.getLong("seq")).as("live delivery gap-free, in order, once").isEqualTo(seq);
                    assertThat(m.getString("clientMsgId")).isEqualTo(history.get(seq));
                }
                System.out.printf("postgres-kill (%s): kills %d, acked %d, lost %d, duplicated %d, max ms from PostgreSQL back"
                                + " to first ack %d, max ms from kill to first ack %d%n",
                        database,
                        kills.size(), all.size(), lost, duplicated, maxBackToAck, maxKillToAck);
            }
        } finally {
            stop.set(true);
            senders.forEach(Thread::interrupt);
            senders.forEach(s -> s.ws.close());
        }
    }

    /** {@code pg_postmaster_start_time()} of the server now running on the directory (trust auth, as zonky sets it up). */
    private static Instant postmasterStart(Path pgData) throws Exception {
        List<String> pidFile = Files.readAllLines(pgData.resolve("postmaster.pid"));
        String url = "jdbc:postgresql://127.0.0.1:" + pidFile.get(3).trim() + "/" + EmbeddedDatabase.DATABASE;
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_postmaster_start_time()")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    /** The room's whole history through the protocol, newest page first: seq to clientMsgId. */
    private static Map<Long, String> history(WsClient ws, String room) {
        Map<Long, String> out = new HashMap<>();
        Long before = null;
        while (true) {
            JsonObject req = new JsonObject().put("room", room).put("limit", 100);
            if (before != null) {
                req.put("beforeSeq", before);
            }
            JsonObject reply = ws.request("history", req);
            assertThat(reply.getBoolean("ok")).as("history: %s", reply).isTrue();
            JsonArray page = reply.getJsonObject("data").getJsonArray("messages");
            if (page.isEmpty()) {
                return out;
            }
            for (int i = 0; i < page.size(); i++) {
                JsonObject m = page.getJsonObject(i);
                assertThat(out.put(m.getLong("seq"), m.getString("clientMsgId"))).as("seq %d once", m.getLong("seq")).isNull();
            }
            before = page.getJsonObject(0).getLong("seq");
        }
    }

    record Kill(int number, long pid, Instant killedAt, Instant downFrom, Instant pgStarted, Instant firstAck) {
    }

    record Ack(String clientMsgId, long seq, Instant sentAt, Instant answeredAt) {
    }

    /** Every ack and unavailable answer, with waits on them (wait/notify on this object, never on time alone). */
    static final class Acks {
        private final List<Ack> acks = new ArrayList<>();
        private final List<Instant[]> unavailable = new ArrayList<>();

        synchronized void acked(Ack a) {
            acks.add(a);
            notifyAll();
        }

        synchronized void refused(Instant sentAt, Instant answeredAt) {
            unavailable.add(new Instant[] {sentAt, answeredAt});
            notifyAll();
        }

        synchronized int count() {
            return acks.size();
        }

        synchronized List<Ack> all() {
            return List.copyOf(acks);
        }

        void awaitCount(int n, List<Sender> senders) throws InterruptedException {
            await(() -> acks.size() >= n ? Boolean.TRUE : null, "" + n + " acks", senders);
        }

        /** When the first {@code unavailable} came for a send made after {@code t}. */
        Instant awaitUnavailableAfter(Instant t, List<Sender> senders) throws InterruptedException {
            return await(() -> unavailable.stream().filter(u -> !u[0].isBefore(t)).map(u -> u[1]).findFirst().orElse(null),
                    "unavailable after the kill", senders);
        }

        /** When the first ack came that was answered after {@code t}. */
        Instant awaitAckAfter(Instant t, List<Sender> senders) throws InterruptedException {
            return await(() -> acks.stream().map(Ack::answeredAt).filter(a -> a.isAfter(t)).findFirst().orElse(null),
                    "an ack after PostgreSQL was back", senders);
        }

        private synchronized <T> T await(java.util.function.Supplier<T> found, String what, List<Sender> senders)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            T result;
            while ((result = found.get()) == null) {
                for (Sender s : senders) {
                    assertThat(s.failure).as("sender %s", s.name).isNull();
                }
                long left = deadline - System.nanoTime();
                assertThat(left).as("waiting for %s", what).isPositive();
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return result;
        }
    }

    /** One member sending one message after another; on unavailable it waits retryAfterMs and resends the same clientMsgId. */
    static final class Sender extends Thread {
        final String name;
        final WsClient ws;
        final String room;
        final Acks acks;
        final AtomicBoolean stop;
        volatile Throwable failure;

        Sender(String name, WsClient ws, String room, Acks acks, AtomicBoolean stop) {
            super("sender-" + name);
            this.name = name;
            this.ws = ws;
            this.room = room;
            this.acks = acks;
            this.stop = stop;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (int n = 0; !stop.get(); n++) {
                    String id = name + "-" + n;
                    while (true) {
                        Instant sentAt = Instant.now();
                        JsonObject reply = TestServer.sendMessage(ws, room, id, "bericht " + id);
                        Instant answeredAt = Instant.now();
                        if (reply.getBoolean("ok")) {
                            acks.acked(new Ack(id, reply.getJsonObject("data").getLong("seq"), sentAt, answeredAt));
                            break;
                        }
                        JsonObject error = reply.getJsonObject("error");
                        assertThat(error.getString("code")).as("send %s: %s", id, reply).isEqualTo("unavailable");
                        acks.refused(sentAt, answeredAt);
                        // what the protocol asks of a client after unavailable (not synchronisation: the resend is the event)
                        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                                error.getLong("retryAfterMs"), TimeUnit.MILLISECONDS)).join();
                    }
                }
            } catch (Throwable t) {
                failure = t;
                synchronized (acks) {
                    acks.notifyAll();
                }
            }
        }
    }
}
