package nl.kring.server.messages;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.OutFrame;
import nl.kring.server.rooms.HistoryCache;
import nl.kring.server.rooms.Room;
import nl.kring.server.rooms.RoomMember;
import nl.kring.server.rooms.RoomPublisher;
import nl.kring.server.shared.RoomSettings;
import nl.kring.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import nl.kring.server.rooms.MessageRepository;

/**
 * The group-commit writer under overload, against a real PostgreSQL whose pooled connections the
 * test holds (what a reconnect storm or a hung database does to the pool). Found by the load
 * generator at 19,000 senders: the repair of "outcome unknown" rooms and the writer's admission
 * decide whether an overloaded server recovers or collapses into a retry storm.
 */
class WriterOverloadTest {

    /** What the server gives its writer with KRING_WRITER_PIPELINE 1 ({@link KringConfig#writerConnections()}). */
    private static final int WRITER_CONNECTIONS = 2;

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private static final Principal AUTHOR = Principal.identity(1, "u_author", "Anna", Role.ADMIN);

    private final List<SqlConnection> held = new ArrayList<>();
    private DatabaseTarget target;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void roomsWhoseBatchOutcomeWasLostArePublishedFromPostgresInOneRepair() throws Exception {
        // GIVEN three rooms with a listener each, and a writer whose pool (two connections) the test holds
        Database db = database();
        Room a = room(1);
        Room b = room(2);
        Room c = room(3);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        for (Room r : List.of(a, b, c)) {
            onContext(() -> r.add(context, listener(r, seen), vertx));
        }
        CompletableFuture<Void> batchEnded = new CompletableFuture<>();
        MessageWriter writer = writer(db, metrics(batchEnded));
        writer.start();
        holdPool(db);

        // WHEN one batch with a message for room a and one for room b waits for a connection until the pool gives
        // up, while (as when a connection breaks during COMMIT) both rows did commit: the writer cannot know.
        CompletableFuture<PendingSend.SendOutcome> sentA = new CompletableFuture<>();
        CompletableFuture<PendingSend.SendOutcome> sentB = new CompletableFuture<>();
        onContext(() -> {
            writer.submit(new PendingSend(a, AUTHOR, "m-a", "in a", false, false, System.nanoTime(), sentA::complete));
            writer.submit(new PendingSend(b, AUTHOR, "m-b", "in b", false, false, System.nanoTime(), sentB::complete));
            return null;
        });
        TestDatabase.execute(target, """
                UPDATE rooms SET last_seq = 1 WHERE id IN (1, 2);
                INSERT INTO messages (room_id, seq, author_id, client_msg_id, body, created_at)
                     VALUES (1, 1, 1, 'm-a', 'in a', now()), (2, 1, 1, 'm-b', 'in b', now());""");
        batchEnded.get(30, TimeUnit.SECONDS);
        assertThat(sentA.get(30, TimeUnit.SECONDS).error().code()).as("not acked: the writer did not see the commit")
                .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(sentB.get(30, TimeUnit.SECONDS).error().code()).isEqualTo(ErrorCode.UNAVAILABLE);
        release();
        // ...and a send to a third room comes next
        CompletableFuture<PendingSend.SendOutcome> sentC = new CompletableFuture<>();
        onContext(() -> {
            writer.submit(new PendingSend(c, AUTHOR, "m-c", "in c", false, false, System.nanoTime(), sentC::complete));
            return null;
        });

        // THEN before that batch, both rooms' committed rows went out to their members (one read for both rooms),
        // the new send is acked in room c, and a resend of a lost ack gets the stored seq instead of a second copy
        PendingSend.SendOutcome c1 = sentC.get(30, TimeUnit.SECONDS);
        assertThat(c1.ok()).as("the repair succeeded and writing went on: %s", c1.error()).isTrue();
        assertThat(c1.seq()).isEqualTo(1);
        List<String> got = List.of(take(seen), take(seen), take(seen));
        assertThat(got).containsExactlyInAnyOrder("1:1:in a", "2:1:in b", "3:1:in c");
        assertThat(got.get(2)).as("the repaired rooms came before the next batch").isEqualTo("3:1:in c");
        assertThat(a.lastSeq()).isEqualTo(1);
        assertThat(b.lastSeq()).isEqualTo(1);
        CompletableFuture<PendingSend.SendOutcome> resentA = new CompletableFuture<>();
        writer.submit(new PendingSend(a, AUTHOR, "m-a", "in a", false, false, System.nanoTime(), resentA::complete));
        PendingSend.SendOutcome again = resentA.get(30, TimeUnit.SECONDS);
        assertThat(again.ok()).isTrue();
        assertThat(again.seq()).isEqualTo(1);
        assertThat(again.duplicate()).isTrue();
        assertThat(seen).as("nothing delivered twice").isEmpty();
        writer.stop();
        get(db.close());
    }

    @Test
    void groupCommitsDoNotQueueBehindReadsThatHoldEveryPooledConnection() throws Exception {
        // GIVEN every connection of the read pool taken (19,000 sessions joining at once did this) and a read
        // waiting in its queue
        Database db = database();
        assertThat(config().writerConnections()).isEqualTo(WRITER_CONNECTIONS);
        Room a = room(1);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        onContext(() -> a.add(context, listener(a, seen), vertx));
        MessageWriter writer = writer(db, KringMetrics.NOOP);
        writer.start();
        hold(db.pool(), 2);
        Future<?> queuedRead = db.pool().query("SELECT 1").execute();

        // WHEN a member sends
        CompletableFuture<PendingSend.SendOutcome> sent = new CompletableFuture<>();
        writer.submit(new PendingSend(a, AUTHOR, "m-1", "hallo", false, false, System.nanoTime(), sent::complete));

        // THEN it is committed, acked and delivered on the writer's own connection while the read still waits
        // (sharing the pool, the batch would wait behind the read and time out after 2 s)
        PendingSend.SendOutcome outcome = sent.get(30, TimeUnit.SECONDS);
        assertThat(outcome.ok()).as("acked: %s", outcome.error()).isTrue();
        assertThat(outcome.seq()).isEqualTo(1);
        assertThat(take(seen)).isEqualTo("1:1:hallo");
        assertThat(queuedRead.isComplete()).as("the read pool really was busy meanwhile").isFalse();
        release();
        get(queuedRead);
        writer.stop();
        get(db.close());
    }

    @Test
    void aWriterThatHasFallenBehindRefusesNewSendsBeforeTheyAreClassified() throws Exception {
        // GIVEN a writer whose one pipelined batch is stuck waiting for a connection
        Database db = database();
        Room a = room(1);
        MessageWriter writer = writer(db, KringMetrics.NOOP);
        holdPool(db);
        List<CompletableFuture<PendingSend.SendOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            outcomes.add(new CompletableFuture<>());
        }
        long deadline = config().ackDeadline().toNanos();
        boolean[] admits = new boolean[2];
        boolean[] answeredAtOnce = new boolean[1];
        CompletableFuture<Void> checked = new CompletableFuture<>();
        context.runOnContext(v -> {
            // The first send's batch starts (the drain runs after the task that submitted it) and waits in the pool.
            writer.submit(new PendingSend(a, AUTHOR, "m-1", "one", false, false, System.nanoTime(), outcomes.get(0)::complete));
            context.runOnContext(w -> {
                // WHEN nothing waits behind the stuck batch, the writer admits
                admits[0] = writer.admits();
                // ...then a send queues behind it that has waited as long as the whole ack deadline
                writer.submit(new PendingSend(a, AUTHOR, "m-2", "two", false, false,
                        System.nanoTime() - deadline, outcomes.get(1)::complete));
                admits[1] = writer.admits();
                // ...and a fresh send comes in after it
                writer.submit(new PendingSend(a, AUTHOR, "m-3", "three", false, false, System.nanoTime(), outcomes.get(2)::complete));
                answeredAtOnce[0] = outcomes.get(2).isDone();
                checked.complete(null);
            });
        });
        checked.get(30, TimeUnit.SECONDS);

        // THEN a young queue admits, an old one refuses (the session asks before it classifies), and the fresh
        // send is answered unavailable at once instead of waiting out its deadline in the queue, with a retry
        // time spread between 1 and 2 s so that refused clients do not all come back in the same millisecond
        assertThat(admits[0]).as("nothing queued: admitted").isTrue();
        assertThat(admits[1]).as("the oldest queued send has waited past half the deadline: refused").isFalse();
        assertThat(answeredAtOnce[0]).as("refused inside submit, not queued").isTrue();
        PendingSend.SendOutcome refused = outcomes.get(2).get(30, TimeUnit.SECONDS);
        assertThat(refused.error().code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(refused.error().retryAfterMs()).isBetween(1000L, 2000L);
        writer.stop();
        release();
        get(db.close());
    }

    /** A fresh database (one community, rooms 1 to 3, the author) with a read pool of 2 and the writer's own connections. */
    private Database database() throws Exception {
        target = TestDatabase.fresh();
        Database db = new Database(vertx, target, 2, WRITER_CONNECTIONS);
        get(db.start());
        schema(target);
        return db;
    }

    /** A writer on the test's context (its batches and publishing run there, like the members' deliveries). */
    private MessageWriter writer(Database db, KringMetrics metrics) throws Exception {
        return onContext(() -> new MessageWriter(vertx, config(), db, new RoomPublisher(vertx, new MessageRepository(db.writerPool()),
                new HistoryCache(64, 1 << 20), metrics), metrics));
    }

    /** Takes every connection of the writer's own pool (a hung database or a commit that never returns). */
    private void holdPool(Database db) throws Exception {
        hold(db.writerPool(), WRITER_CONNECTIONS);
    }

    private void hold(io.vertx.sqlclient.Pool pool, int connections) throws Exception {
        for (int i = 0; i < connections; i++) {
            held.add(get(pool.getConnection()));
        }
    }

    private void release() throws Exception {
        for (SqlConnection c : held) {
            get(c.close());
        }
        held.clear();
    }

    private static void schema(DatabaseTarget target) {
        TestDatabase.execute(target, """
                INSERT INTO communities (slug, name) VALUES ('angst', 'Angst');
                INSERT INTO users (public_id, role, pseudonym, all_communities) VALUES ('u_author', 'admin', 'Anna', true);
                INSERT INTO rooms (community_id, name, kind) VALUES (1, 'a', 'community'), (1, 'b', 'community'), (1, 'c', 'community');""");
    }

    private static Room room(long id) {
        return new Room(id, 1, RoomSettings.community("r" + id), 1, 0, 1);
    }

    private static KringConfig config() {
        return KringConfig.fromEnv(Map.of("KRING_DB_POOL_SIZE", "2", "KRING_WRITER_PIPELINE", "1"));
    }

    /** Records each delivery as "room:seq:body" (the body's place in the frame is the server's JSON). */
    private static RoomMember listener(Room room, BlockingQueue<String> seen) {
        return new RoomMember() {
            @Override
            public void deliver(long seq, OutFrame frame) {
                io.vertx.core.json.JsonObject m = new io.vertx.core.json.JsonObject(frame.text());
                seen.add(room.id() + ":" + seq + ":" + m.getString("body"));
            }

            @Override
            public void redacted(long seq, OutFrame frame) {
            }

            @Override
            public void event(OutFrame frame) {
            }

            @Override
            public long userId() {
                return 99;
            }
        };
    }

    /** KringMetrics that tells the test when a batch has ended (committed or failed). */
    private static KringMetrics metrics(CompletableFuture<Void> batchEnded) {
        return (KringMetrics) Proxy.newProxyInstance(KringMetrics.class.getClassLoader(), new Class<?>[] {KringMetrics.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("batchCommitted")) {
                        batchEnded.complete(null);
                    }
                    return method.invoke(KringMetrics.NOOP, args);
                });
    }

    private <T> T onContext(Supplier<T> action) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> done.complete(action.get()));
        return done.get(30, TimeUnit.SECONDS);
    }

    private void onContext(Runnable action) throws Exception {
        onContext(() -> {
            action.run();
            return null;
        });
    }

    private static String take(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(30, TimeUnit.SECONDS);
        assertThat(s).as("a delivery within 30 s").isNotNull();
        return s;
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
