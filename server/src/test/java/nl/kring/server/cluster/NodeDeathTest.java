package nl.kring.server.cluster;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.ServerProcess;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of one node of three while members send through all of them (issue 9): the dead node's
 * senders and reader reconnect to a living node and resume exactly (protocol section 4), no acked
 * message is lost or repeated, and the living nodes ack throughout. No node owns a room (seqs come
 * from the room's counter row, ADR 8), so nothing has to move. Every wait is for an ack, a frame,
 * a log line or a count reached, never for time.
 */
class NodeDeathTest {

    static final int NODES = 3;
    static final int DEAD = 2;
    static final int SENDERS_PER_NODE = 2;
    static final int BEFORE_KILL = 60;
    static final int AFTER_KILL_EACH = 15;

    @Test
    void killingANodeUnderLoadLosesNoAckedMessageAndItsClientsResumeOnAnother() throws Exception {
        DatabaseTarget db = TestDatabase.fresh();
        List<ServerProcess> nodes = new ArrayList<>();
        List<Sender> senders = new ArrayList<>();
        List<WsClient> readers = new ArrayList<>();
        try {
            // the test sends as fast as acks come; the per-member limit is not under test here. Nor is the ack
            // deadline: on a loaded machine a commit (or a node's first room load) can take longer than the 800 ms
            // default, and the send was answered `unavailable` before the kill (issue 26, item 14); this test is
            // about what a node's death does to acknowledged messages, so a send waits for its commit
            ServerProcess.startCluster(db, NODES, Map.of("KRING_SEND_RATE", "10000", "KRING_SEND_BURST", "10000",
                    "KRING_ACK_DEADLINE_MS", "30000"), nodes);
            ApiClient admin = new ApiClient(nodes.get(0).port());
            String slug = admin.community();
            String room = admin.room(slug);
            // GIVEN a reader on each node and two senders per node, sending one message after another
            int epoch = 0;
            List<String> readerTokens = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                readerTokens.add(admin.member(slug));
                WsClient r = new ApiClient(nodes.get(i).port()).connect(readerTokens.get(i));
                epoch = TestServer.join(r, room).getInteger("epoch");
                readers.add(r);
            }
            Map<String, Long> acked = new ConcurrentHashMap<>();
            AtomicInteger ackCount = new AtomicInteger();
            CompletableFuture<Void> warmedUp = new CompletableFuture<>();
            AtomicBoolean stop = new AtomicBoolean();
            for (int i = 0; i < NODES * SENDERS_PER_NODE; i++) {
                int node = i % NODES;
                senders.add(new Sender("s" + i, admin.member(slug), room, nodes, node, acked, ackCount, warmedUp, stop));
            }
            senders.forEach(Sender::start);
            warmedUp.get(60, TimeUnit.SECONDS);

            // WHEN node 2 is killed (SIGKILL) in the middle of it
            nodes.get(DEAD).kill();
            long killedAt = System.nanoTime();
            for (Sender s : senders) {
                s.afterKill(AFTER_KILL_EACH);
            }
            // THEN every sender gets more acks, the dead node's ones after moving to a living node
            for (Sender s : senders) {
                s.moreAcks.get(60, TimeUnit.SECONDS);
            }
            System.out.printf("after the kill: every sender %d more acks in %d ms%n", AFTER_KILL_EACH,
                    (System.nanoTime() - killedAt) / 1_000_000);
            stop.set(true);
            for (Sender s : senders) {
                s.join(30_000);
                assertThat(s.isAlive()).as("sender %s stopped", s.name).isFalse();
                assertThat(s.failure).as("sender %s", s.name).isNull();
            }
            for (int i = 0; i < SENDERS_PER_NODE; i++) {
                assertThat(senders.get(DEAD + i * NODES).reconnects).as("the dead node's senders moved").isGreaterThan(0);
            }
            int total = acked.size();
            assertThat(total).isEqualTo(ackCount.get()).isGreaterThanOrEqualTo(BEFORE_KILL + NODES * SENDERS_PER_NODE * AFTER_KILL_EACH);
            // every acked message has its own seq, and together they are 1..total: nothing lost, nothing twice
            assertThat(new java.util.HashSet<>(acked.values())).hasSize(total);
            assertThat(acked.values().stream().mapToLong(Long::longValue).max().orElse(0)).isEqualTo(total);

            // AND the readers on the living nodes got seqs 1..total in order, each acked message once
            Map<Long, String> bySeq = new HashMap<>();
            acked.forEach((id, seq) -> bySeq.put(seq, id));
            for (int i = 0; i < NODES; i++) {
                if (i != DEAD) {
                    expect(readers.get(i), 1, total, bySeq);
                }
            }
            // AND the dead node's reader resumes on node 0 from the last seq it saw: the rest exactly once
            long seen = 0;
            try {
                while (true) {
                    JsonObject m = readers.get(DEAD).nextOfType("message");
                    assertThat(m.getLong("seq")).isEqualTo(seen + 1);
                    seen = m.getLong("seq");
                }
            } catch (WsClient.ConnectionGone gone) {
                // the kill ended its stream here
            }
            try (WsClient back = new ApiClient(nodes.get(0).port()).connect(readerTokens.get(DEAD))) {
                JsonObject reply = back.request("join", new JsonObject().put("room", room)
                        .put("since", new JsonObject().put("epoch", epoch).put("seq", seen)));
                assertThat(reply.getBoolean("ok")).as("resume: %s", reply).isTrue();
                expect(back, seen + 1, total, bySeq);
                System.out.printf("dead node's reader had %d of %d; resumed the rest on node 0%n", seen, total);
            }
        } finally {
            stopQuietly(senders);
            readers.forEach(WsClient::close);
            nodes.forEach(ServerProcess::kill);
        }
    }

    static void expect(WsClient reader, long from, long to, Map<Long, String> bySeq) {
        for (long k = from; k <= to; k++) {
            JsonObject m = reader.nextOfType("message");
            assertThat(m.getLong("seq")).as("gap-free, in order, once").isEqualTo(k);
            assertThat(m.getString("clientMsgId")).isEqualTo(bySeq.get(k));
        }
    }

    static void stopQuietly(List<Sender> senders) {
        for (Sender s : senders) {
            s.interrupt();
        }
    }

    /** One member sending one message after another, acked each; on a broken socket it moves to a living node and resends. */
    static final class Sender extends Thread {
        final String name;
        final String token;
        final String room;
        final List<ServerProcess> nodes;
        final Map<String, Long> acked;
        final AtomicInteger ackCount;
        final CompletableFuture<Void> warmedUp;
        final AtomicBoolean stop;
        final CompletableFuture<Void> moreAcks = new CompletableFuture<>();
        volatile int node;
        volatile int reconnects;
        volatile Throwable failure;
        private volatile int target = Integer.MAX_VALUE;
        private volatile int own;

        Sender(String name, String token, String room, List<ServerProcess> nodes, int node, Map<String, Long> acked,
               AtomicInteger ackCount, CompletableFuture<Void> warmedUp, AtomicBoolean stop) {
            super("sender-" + name);
            this.name = name;
            this.token = token;
            this.room = room;
            this.nodes = nodes;
            this.node = node;
            this.acked = acked;
            this.ackCount = ackCount;
            this.warmedUp = warmedUp;
            this.stop = stop;
            setDaemon(true);
        }

        void afterKill(int more) {
            target = own + more;
            if (own >= target) {
                moreAcks.complete(null);
            }
        }

        @Override
        public void run() {
            WsClient ws = null;
            try {
                ws = new ApiClient(nodes.get(node).port()).connect(token);
                int n = 0;
                while (!stop.get()) {
                    String id = name + "-" + n;
                    JsonObject reply;
                    try {
                        reply = TestServer.sendMessage(ws, room, id, "bericht " + id);
                    } catch (RuntimeException broken) {
                        // the node died: a living node, a new ticket from it, the same clientMsgId again
                        ws.close();
                        node = 0;
                        reconnects++;
                        ws = new ApiClient(nodes.get(node).port()).connect(token);
                        continue;
                    }
                    assertThat(reply.getBoolean("ok")).as("send %s: %s", id, reply).isTrue();
                    Long before = acked.putIfAbsent(id, reply.getJsonObject("data").getLong("seq"));
                    assertThat(before).as("an acked message keeps its seq").isNull();
                    n++;
                    own++;
                    if (ackCount.incrementAndGet() >= BEFORE_KILL) {
                        warmedUp.complete(null);
                    }
                    if (own >= target) {
                        moreAcks.complete(null);
                    }
                }
            } catch (Throwable t) {
                failure = t;
                moreAcks.completeExceptionally(t);
                warmedUp.completeExceptionally(t);
            } finally {
                if (ws != null) {
                    ws.close();
                }
            }
        }
    }
}
