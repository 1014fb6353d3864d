package nl.kring.server.messages;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.HistoryCache;
import nl.kring.server.rooms.Room;

/**
 * Group commit: sends from every socket queue here and are written in batches, one SQL
 * statement (one round trip, one transaction, one WAL flush) per batch, at most one batch in
 * flight. While a batch commits, the next one fills, so batches grow with load and latency
 * stays one commit at low load. The statement deduplicates on (author, clientMsgId), takes each
 * room's seqs from its counter row and inserts; only after it commits are senders answered and
 * members sent the messages, in seq order.
 *
 * <p>If a batch's outcome is unknown (the connection broke during commit), its rooms are
 * marked suspect; before the next batch the writer reads whatever committed beyond each
 * suspect room's {@code lastSeq} and publishes it, so no member ever sees a gap.
 *
 * <p>Threading: {@link #submit} is thread-safe; everything else runs on the writer's own context.
 */
public final class MessageWriter {

    static final String BATCH_INSERT = """
            WITH input AS (
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::boolean[], $6::int[])
                    AS t(room_id, author_id, client_msg_id, body, cw, ord)
            ), existing AS (
                SELECT i.ord, m.id, m.room_id, m.seq, m.created_at
                FROM input i JOIN messages m ON m.author_id = i.author_id AND m.client_msg_id = i.client_msg_id
            ), fresh AS (
                SELECT i.*, row_number() OVER (PARTITION BY i.room_id ORDER BY i.ord) AS rn
                FROM input i WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.ord = i.ord)
            ), counts AS (
                SELECT room_id, count(*) AS n FROM fresh GROUP BY room_id
            ), bumped AS (
                UPDATE rooms r SET last_seq = r.last_seq + c.n FROM counts c WHERE r.id = c.room_id
                RETURNING r.id AS room_id, r.last_seq - c.n AS base
            ), inserted AS (
                INSERT INTO messages (room_id, seq, author_id, client_msg_id, body, cw, created_at)
                SELECT f.room_id, b.base + f.rn, f.author_id, f.client_msg_id, f.body, f.cw, now()
                FROM fresh f JOIN bumped b ON b.room_id = f.room_id
                RETURNING id, room_id, seq, author_id, client_msg_id, created_at
            )
            SELECT i.ord, ins.id, ins.room_id, ins.seq, ins.created_at, false AS duplicate
            FROM inserted ins JOIN input i ON i.author_id = ins.author_id AND i.client_msg_id = ins.client_msg_id
            UNION ALL
            SELECT e.ord, e.id, e.room_id, e.seq, e.created_at, true FROM existing e""";

    /** How often queued and in-flight sends are checked against the ack deadline. */
    static final long DEADLINE_SWEEP_MS = 100;

    private final Vertx vertx;
    private final Context context;
    private final Database db;
    private final MessageRepository messages;
    private final HistoryCache cache;
    private final KringMetrics metrics;
    private final int batchMax;
    private final int queueMax;
    private final long deadlineNanos;

    private final ConcurrentLinkedQueue<PendingSend> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Context-confined. */
    private List<PendingSend> inFlight = List.of();
    private boolean busy;
    private final Set<Room> suspect = new HashSet<>();
    private long sweepTimer = -1;

    public MessageWriter(Vertx vertx, KringConfig config, Database db, MessageRepository messages,
                         HistoryCache cache, KringMetrics metrics) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.db = db;
        this.messages = messages;
        this.cache = cache;
        this.metrics = metrics;
        this.batchMax = config.batchMaxSize();
        this.queueMax = config.batchMaxSize() * 64;
        this.deadlineNanos = config.ackDeadline().toNanos();
    }

    public void start() {
        context.runOnContext(v -> sweepTimer = vertx.setPeriodic(DEADLINE_SWEEP_MS, id -> sweepDeadlines()));
    }

    public int queued() {
        return queued.get();
    }

    /** Queues a send; it is answered on whatever thread the batch completes on. */
    public void submit(PendingSend send) {
        if (!db.isUp() || queued.get() >= queueMax) {
            send.fail(KringException.unavailable(Database.RETRY_AFTER_MS));
            return;
        }
        queue.add(send);
        queued.incrementAndGet();
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** Completes when every send queued so far has been answered (for shutdown). */
    public Future<Void> flush() {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        context.runOnContext(v -> waitIdle(done));
        return done.future();
    }

    private void waitIdle(io.vertx.core.Promise<Void> done) {
        if (!busy && queue.isEmpty()) {
            done.complete();
        } else {
            vertx.setTimer(5, t -> waitIdle(done));
        }
    }

    public void stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
    }

    private void drain() {
        if (busy) {
            return;
        }
        if (!suspect.isEmpty()) {
            busy = true;
            repairSuspects().onComplete(ar -> {
                busy = false;
                if (ar.failed()) {
                    failQueued(db.failure(ar.cause()));
                } else {
                    drain();
                }
            });
            return;
        }
        List<PendingSend> batch = new ArrayList<>(Math.min(batchMax, Math.max(1, queued.get())));
        PendingSend next;
        while (batch.size() < batchMax && (next = queue.poll()) != null) {
            queued.decrementAndGet();
            if (!next.isAnswered()) {
                batch.add(next);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        busy = true;
        inFlight = batch;
        long started = System.nanoTime();
        write(batch).onComplete(ar -> {
            metrics.batchCommitted(batch.size(), System.nanoTime() - started);
            inFlight = List.of();
            busy = false;
            if (ar.failed()) {
                KringException error = db.failure(ar.cause());
                for (PendingSend s : batch) {
                    suspect.add(s.room);
                    s.fail(error);
                }
            }
            if (!queue.isEmpty()) {
                drain();
            }
        });
    }

    /** Writes one batch and publishes it; fails if the statement fails. */
    private Future<Void> write(List<PendingSend> batch) {
        // Several sends with one idempotency key in one batch: the first is written, all get its seq.
        Map<String, List<PendingSend>> byKey = new LinkedHashMap<>();
        for (PendingSend s : batch) {
            byKey.computeIfAbsent(s.author.userId() + "\u0000" + s.clientMsgId, k -> new ArrayList<>(1)).add(s);
        }
        int n = byKey.size();
        Long[] roomIds = new Long[n];
        Long[] authorIds = new Long[n];
        String[] clientIds = new String[n];
        String[] bodies = new String[n];
        Boolean[] cws = new Boolean[n];
        Integer[] ords = new Integer[n];
        List<List<PendingSend>> byOrd = new ArrayList<>(n);
        int i = 0;
        for (List<PendingSend> same : byKey.values()) {
            PendingSend s = same.get(0);
            roomIds[i] = s.room.id();
            authorIds[i] = s.author.userId();
            clientIds[i] = s.clientMsgId;
            bodies[i] = s.body;
            cws[i] = s.cw;
            ords[i] = i;
            byOrd.add(same);
            i++;
        }
        return db.pool().preparedQuery(BATCH_INSERT)
                .execute(Tuple.of(roomIds, authorIds, clientIds, bodies, cws, ords))
                .compose(rows -> publish(rows, byOrd));
    }

    private Future<Void> publish(RowSet<Row> rows, List<List<PendingSend>> byOrd) {
        Map<Room, List<StoredMessage>> fresh = new LinkedHashMap<>();
        long[] seqs = new long[byOrd.size()];
        boolean[] duplicate = new boolean[byOrd.size()];
        for (Row r : rows) {
            int ord = r.getInteger("ord");
            seqs[ord] = r.getLong("seq");
            duplicate[ord] = r.getBoolean("duplicate");
            if (!duplicate[ord]) {
                PendingSend s = byOrd.get(ord).get(0);
                fresh.computeIfAbsent(s.room, k -> new ArrayList<>()).add(new StoredMessage(
                        s.room.id(), seqs[ord], r.getLong("id"), s.clientMsgId, s.author.publicId(), s.author.name(),
                        s.author.role().wireName(), s.body, s.cw, r.getOffsetDateTime("created_at").toInstant(), null));
            }
        }
        List<Future<Void>> published = new ArrayList<>(fresh.size());
        for (Map.Entry<Room, List<StoredMessage>> e : fresh.entrySet()) {
            List<StoredMessage> list = e.getValue();
            list.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            published.add(publishContiguous(e.getKey(), list));
        }
        return Future.all(published).map(all -> {
            for (int ord = 0; ord < byOrd.size(); ord++) {
                for (PendingSend s : byOrd.get(ord)) {
                    s.succeed(seqs[ord], duplicate[ord] || s != byOrd.get(ord).get(0));
                }
            }
            return null;
        });
    }

    /** Publishes a room's new messages, first filling any gap from PostgreSQL (an earlier unknown outcome). */
    private Future<Void> publishContiguous(Room room, List<StoredMessage> list) {
        long first = list.get(0).seq();
        if (first == room.lastSeq() + 1) {
            cache.append(room.id(), list);
            room.publish(list);
            return Future.succeededFuture();
        }
        if (first <= room.lastSeq()) {
            throw new IllegalStateException("seq " + first + " committed twice in room " + room.id());
        }
        return messages.range(room.id(), room.lastSeq(), first - 1).map(gap -> {
            List<StoredMessage> all = new ArrayList<>(gap);
            all.addAll(list);
            cache.append(room.id(), all);
            room.publish(all);
            suspect.remove(room);
            return null;
        });
    }

    /** Publishes whatever committed beyond each suspect room's lastSeq. */
    private Future<Void> repairSuspects() {
        List<Future<Void>> repairs = new ArrayList<>();
        for (Room room : new ArrayList<>(suspect)) {
            repairs.add(messages.range(room.id(), room.lastSeq(), Long.MAX_VALUE).map(found -> {
                if (!found.isEmpty()) {
                    cache.append(room.id(), found);
                    room.publish(found);
                }
                suspect.remove(room);
                return null;
            }));
        }
        return Future.all(repairs).mapEmpty();
    }

    private void failQueued(KringException error) {
        PendingSend s;
        while ((s = queue.poll()) != null) {
            queued.decrementAndGet();
            s.fail(error);
        }
    }

    /** Answers {@code unavailable} to sends that have waited past the deadline; queued ones are dropped. */
    private void sweepDeadlines() {
        long now = System.nanoTime();
        KringException late = KringException.unavailable(Database.RETRY_AFTER_MS);
        for (PendingSend s : inFlight) {
            if (now - s.arrivedNanos > deadlineNanos && !s.isAnswered()) {
                suspect.add(s.room);
                s.fail(late);
            }
        }
        for (PendingSend s : queue) {
            if (now - s.arrivedNanos > deadlineNanos) {
                s.fail(late);
            }
        }
        if (!busy && !suspect.isEmpty() && db.isUp()) {
            drain();
        }
    }
}
