package nl.kring.server.messages;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
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
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.HistoryCache;
import nl.kring.server.rooms.Room;
import nl.kring.server.shared.StoredMessage;
import nl.kring.server.rooms.MessageRepository;

/**
 * Group commit: sends from every socket queue here and are written in batches, one SQL
 * statement (one round trip, one transaction, one WAL flush) per batch, with up to
 * {@code KRING_WRITER_PIPELINE} batches in flight on separate connections. While batches
 * commit, the next ones fill, so batch size follows load. The statement locks the batch's room
 * counter rows in id order (so concurrent batches cannot deadlock), deduplicates on (author,
 * clientMsgId), takes each room's seqs from its counter row and inserts. Only after it commits
 * are senders answered and members sent the messages.
 *
 * <p>Publishing is "everything above the room's lastSeq": a batch that completes before an
 * earlier one first reads the earlier one's committed rows from PostgreSQL, and the earlier
 * one's completion then publishes nothing twice. The same gap repair covers a batch whose
 * outcome was unknown (connection lost during commit): its rooms are marked suspect and
 * whatever committed is published before more is written. A send whose (author, clientMsgId)
 * is already in flight waits for the next batch, so two batches never race on one key.
 *
 * <p>Threading: {@link #submit} is thread-safe; everything else runs on the writer's own context.
 */
public final class MessageWriter {

    static final String BATCH_INSERT = """
            WITH input AS (
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::boolean[], $6::int[], $7::boolean[])
                    AS t(room_id, author_id, client_msg_id, body, cw, ord, care)
            ), locked AS (
                -- counter rows locked in id order: concurrent batches queue instead of deadlocking
                SELECT id FROM rooms WHERE id IN (SELECT room_id FROM input) ORDER BY id FOR UPDATE
            ), existing AS (
                -- One probe of the unique (author_id, client_msg_id) index per input row. OFFSET 0 stops the
                -- planner from flattening the LATERAL subquery into a join: a generic plan cached while the
                -- table was small then hash-joined a full scan of messages on every batch (auto_explain,
                -- docs/benchmarks.md).
                SELECT i.ord, m.id, m.room_id, m.seq, m.created_at
                FROM input i CROSS JOIN LATERAL (
                    SELECT id, room_id, seq, created_at FROM messages
                    WHERE author_id = i.author_id AND client_msg_id = i.client_msg_id
                    OFFSET 0) m
            ), fresh AS (
                SELECT i.*, row_number() OVER (PARTITION BY i.room_id ORDER BY i.ord) AS rn
                FROM input i WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.ord = i.ord)
            ), counts AS (
                SELECT room_id, count(*) AS n FROM fresh GROUP BY room_id
            ), bumped AS (
                UPDATE rooms r SET last_seq = r.last_seq + c.n
                FROM counts c JOIN locked l ON l.id = c.room_id
                WHERE r.id = c.room_id
                RETURNING r.id AS room_id, r.last_seq - c.n AS base
            ), inserted AS (
                INSERT INTO messages (room_id, seq, author_id, client_msg_id, body, cw, care, created_at)
                SELECT f.room_id, b.base + f.rn, f.author_id, f.client_msg_id, f.body, f.cw, f.care, now()
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
    private final int pipeline;
    private final int queueMax;
    private final long deadlineNanos;

    private final ConcurrentLinkedQueue<PendingSend> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Context-confined from here on. */
    private final ArrayDeque<PendingSend> deferred = new ArrayDeque<>();
    private final Set<List<PendingSend>> inFlight = new HashSet<>();
    private final Set<String> inFlightKeys = new HashSet<>();
    private boolean repairing;
    private final Set<Room> suspect = new HashSet<>();
    /** Rooms seen behind PostgreSQL by the last catch-up sweep, with the stored seq seen then. */
    private Map<Room, Long> behindBefore = Map.of();
    private long sweepTimer = -1;
    /** Told of every message this node committed, after it is published here (the cluster's fan-out); null alone. */
    private volatile java.util.function.Consumer<List<StoredMessage>> committed;

    public MessageWriter(Vertx vertx, KringConfig config, Database db, MessageRepository messages,
                         HistoryCache cache, KringMetrics metrics) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.db = db;
        this.messages = messages;
        this.cache = cache;
        this.metrics = metrics;
        this.batchMax = config.batchMaxSize();
        this.pipeline = config.writerPipeline();
        this.queueMax = config.batchMaxSize() * 64;
        this.deadlineNanos = config.ackDeadline().toNanos();
    }

    /** Sets who is told of each batch's committed messages (once per batch, after they are published here). */
    public void onCommitted(java.util.function.Consumer<List<StoredMessage>> listener) {
        this.committed = listener;
    }

    /**
     * Messages another node committed, for a room active here: published above the room's lastSeq,
     * after any gap is read from PostgreSQL, on the writer's context like local batches, so that
     * each member sees every seq once and in order whichever node wrote it.
     */
    public void publishRemote(Room room, List<StoredMessage> messages) {
        onContext(() -> {
            if (suspect.contains(room)) {
                return; // the repair before the next batch reads the room from PostgreSQL anyway
            }
            List<StoredMessage> sorted = new ArrayList<>(messages);
            sorted.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            publishAbove(room, sorted);
        });
    }

    /**
     * The cluster's sweep for a publish that never arrived (the event bus is at most once): given
     * the active rooms whose stored last seq is above their lastSeq, reads those that were behind
     * the same seq on the previous sweep too (a publish on its way arrives within milliseconds, one
     * still missing a sweep later was lost, or is very late) from PostgreSQL above their lastSeq in
     * one statement and publishes them here, in order, once. Local batches go on meanwhile: a
     * late publish costs a room a read, never the writer a pause, and nothing is told to the other
     * nodes (each sweeps its own rooms).
     */
    public void catchUp(Map<Room, Long> behind) {
        onContext(() -> {
            Map<Room, Long> before = behindBefore;
            behindBefore = behind;
            Map<Long, Long> after = new LinkedHashMap<>();
            List<Room> lost = new ArrayList<>();
            for (Map.Entry<Room, Long> e : behind.entrySet()) {
                Room room = e.getKey();
                Long seen = before.get(room);
                if (seen != null && room.lastSeq() < seen && !suspect.contains(room)) {
                    lost.add(room);
                    after.put(room.id(), room.lastSeq());
                }
            }
            if (lost.isEmpty()) {
                return;
            }
            metrics.clusterCatchUp(lost.size());
            messages.above(after).onComplete(ar -> onContext(() -> {
                if (ar.failed()) {
                    return; // still behind on the next sweeps: read again then
                }
                for (Room room : lost) {
                    if (!suspect.contains(room)) {
                        publishAbove(room, ar.result().getOrDefault(room.id(), List.of()));
                    }
                }
            }));
        });
    }

    public void start() {
        context.runOnContext(v -> sweepTimer = vertx.setPeriodic(DEADLINE_SWEEP_MS, id -> sweepDeadlines()));
    }

    public int queued() {
        return queued.get();
    }

    /**
     * Whether a send would be taken now: the database is up and the queue is not so far behind that
     * a new send would likely miss the ack deadline (its oldest send has waited less than half of
     * it). Checked before a send is classified, so that an overloaded writer costs a refused send
     * next to nothing instead of a classification, a queue slot and a timed-out answer.
     */
    public boolean admits() {
        if (!db.isUp() || queued.get() >= queueMax) {
            return false;
        }
        PendingSend oldest = queue.peek();
        return oldest == null || System.nanoTime() - oldest.arrivedNanos < deadlineNanos / 2;
    }

    /** Queues a send; it is answered on whatever thread its batch completes on. */
    public void submit(PendingSend send) {
        if (!admits()) {
            send.fail(KringException.unavailable(Database.retryAfterMs()));
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
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> waitIdle(done));
        return done.future();
    }

    private void waitIdle(Promise<Void> done) {
        if (inFlight.isEmpty() && !repairing && queue.isEmpty() && deferred.isEmpty()) {
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

    /** Starts batches while there is room in the pipeline and work to do. */
    private void drain() {
        if (repairing) {
            return;
        }
        if (!suspect.isEmpty()) {
            if (inFlight.isEmpty()) {
                repair();
            }
            return;
        }
        while (inFlight.size() < pipeline) {
            List<PendingSend> batch = nextBatch();
            if (batch.isEmpty()) {
                return;
            }
            start(batch);
        }
    }

    /** Up to batchMax unanswered sends, deferring those whose key is already in flight. */
    private List<PendingSend> nextBatch() {
        List<PendingSend> batch = new ArrayList<>();
        List<PendingSend> stillDeferred = new ArrayList<>();
        PendingSend next;
        while (batch.size() < batchMax && (next = deferred.poll()) != null) {
            take(next, batch, stillDeferred);
        }
        while (batch.size() < batchMax && (next = queue.poll()) != null) {
            queued.decrementAndGet();
            take(next, batch, stillDeferred);
        }
        for (int i = stillDeferred.size() - 1; i >= 0; i--) {
            deferred.addFirst(stillDeferred.get(i));
        }
        return batch;
    }

    private void take(PendingSend send, List<PendingSend> batch, List<PendingSend> stillDeferred) {
        if (send.isAnswered()) {
            return;
        }
        if (inFlightKeys.contains(send.key)) {
            stillDeferred.add(send);
        } else {
            batch.add(send);
        }
    }

    private void start(List<PendingSend> batch) {
        inFlight.add(batch);
        for (PendingSend s : batch) {
            inFlightKeys.add(s.key);
        }
        long started = System.nanoTime();
        write(batch).onComplete(ar -> onContext(() -> {
            metrics.batchCommitted(batch.size(), System.nanoTime() - started);
            inFlight.remove(batch);
            for (PendingSend s : batch) {
                inFlightKeys.remove(s.key);
            }
            if (ar.failed()) {
                KringException error = db.failure(ar.cause());
                for (PendingSend s : batch) {
                    suspect.add(s.room);
                    s.fail(error);
                }
            }
            drain();
        }));
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /** Writes one batch and publishes it; fails if the statement fails. */
    private Future<Void> write(List<PendingSend> batch) {
        // Several sends with one idempotency key in one batch: the first is written, all get its seq.
        Map<String, List<PendingSend>> byKey = new LinkedHashMap<>();
        for (PendingSend s : batch) {
            byKey.computeIfAbsent(s.key, k -> new ArrayList<>(1)).add(s);
        }
        int n = byKey.size();
        Long[] roomIds = new Long[n];
        Long[] authorIds = new Long[n];
        String[] clientIds = new String[n];
        String[] bodies = new String[n];
        Boolean[] cws = new Boolean[n];
        Boolean[] cares = new Boolean[n];
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
            cares[i] = s.care;
            ords[i] = i;
            byOrd.add(same);
            i++;
        }
        Promise<Void> done = Promise.promise();
        long executed = System.nanoTime();
        db.writerPool().preparedQuery(BATCH_INSERT)
                .execute(Tuple.of(roomIds, authorIds, clientIds, bodies, cws, ords, cares))
                .onComplete(ar -> onContext(() -> {
                    metrics.statementCompleted(System.nanoTime() - executed);
                    if (ar.failed()) {
                        done.fail(ar.cause());
                    } else {
                        publish(ar.result(), byOrd).onComplete(done);
                    }
                }));
        return done.future();
    }

    private Future<Void> publish(RowSet<Row> rows, List<List<PendingSend>> byOrd) {
        Map<Room, List<StoredMessage>> fresh = new LinkedHashMap<>();
        long[] seqs = new long[byOrd.size()];
        long[] storedRoom = new long[byOrd.size()];
        boolean[] duplicate = new boolean[byOrd.size()];
        for (Row r : rows) {
            int ord = r.getInteger("ord");
            seqs[ord] = r.getLong("seq");
            storedRoom[ord] = r.getLong("room_id");
            duplicate[ord] = r.getBoolean("duplicate");
            if (!duplicate[ord]) {
                PendingSend s = byOrd.get(ord).get(0);
                fresh.computeIfAbsent(s.room, k -> new ArrayList<>()).add(new StoredMessage(
                        s.room.id(), seqs[ord], r.getLong("id"), s.clientMsgId, s.author.publicId(), s.author.name(),
                        s.author.role().wireName(), s.body, s.cw, s.care, r.getOffsetDateTime("created_at").toInstant(), null));
            }
        }
        List<Future<Void>> published = new ArrayList<>(fresh.size());
        for (Map.Entry<Room, List<StoredMessage>> e : fresh.entrySet()) {
            List<StoredMessage> list = e.getValue();
            list.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            published.add(publishAbove(e.getKey(), list));
        }
        return Future.all(published).map(done -> {
            java.util.function.Consumer<List<StoredMessage>> listener = committed;
            if (listener != null && !fresh.isEmpty()) {
                List<StoredMessage> all = new ArrayList<>();
                fresh.values().forEach(all::addAll);
                listener.accept(all);
            }
            for (int ord = 0; ord < byOrd.size(); ord++) {
                for (PendingSend s : byOrd.get(ord)) {
                    if (storedRoom[ord] != s.room.id()) {
                        s.fail(new KringException(ErrorCode.CONFLICT, "this clientMsgId was already used for a message in another room"));
                    } else {
                        s.succeed(seqs[ord], duplicate[ord] || s != byOrd.get(ord).get(0));
                    }
                }
            }
            return null;
        });
    }

    /**
     * Publishes a room's committed messages that are above its lastSeq, in order, reading any
     * gap below them from PostgreSQL first (an earlier batch that has not completed yet, or one
     * whose outcome was unknown). Runs on the writer's context.
     */
    private Future<Void> publishAbove(Room room, List<StoredMessage> committed) {
        return publishAbove(room, committed, true);
    }

    private Future<Void> publishAbove(Room room, List<StoredMessage> committed, boolean mayReadGap) {
        long last = room.lastSeq();
        List<StoredMessage> above = new ArrayList<>(committed.size());
        for (StoredMessage m : committed) {
            if (m.seq() > last) {
                above.add(m);
            }
        }
        if (above.isEmpty()) {
            return Future.succeededFuture();
        }
        if (above.get(0).seq() == last + 1) {
            for (int i = 1; i < above.size(); i++) {
                if (above.get(i).seq() != above.get(i - 1).seq() + 1) {
                    return gapNotFillable(room);
                }
            }
            cache.append(room.id(), above);
            room.publish(above);
            metrics.delivered((long) room.memberSockets() * above.size());
            return Future.succeededFuture();
        }
        if (!mayReadGap) {
            return gapNotFillable(room);
        }
        Promise<Void> done = Promise.promise();
        messages.range(room.id(), last, above.get(0).seq() - 1).onComplete(ar -> onContext(() -> {
            if (ar.failed()) {
                suspect.add(room);
                done.fail(ar.cause());
                return;
            }
            List<StoredMessage> all = new ArrayList<>(ar.result());
            all.addAll(above);
            publishAbove(room, all, false).onComplete(done);
        }));
        return done.future();
    }

    /**
     * Committed seqs that PostgreSQL cannot show contiguously: never expected (a batch only gets
     * seqs above rows that committed before it), but never published with a hole either. The
     * room is repaired from PostgreSQL before the next batch.
     */
    private Future<Void> gapNotFillable(Room room) {
        suspect.add(room);
        return Future.failedFuture(new IllegalStateException("seqs of room " + room.id() + " are not contiguous above " + room.lastSeq()));
    }

    /**
     * Publishes whatever committed beyond each suspect room's lastSeq; runs with nothing in flight.
     * One statement for all suspect rooms: after an outage hundreds may be suspect, and a query per
     * room would queue them all on the pool ahead of the next batch.
     */
    private void repair() {
        repairing = true;
        List<Room> rooms = new ArrayList<>(suspect);
        Map<Long, Long> after = new LinkedHashMap<>();
        for (Room room : rooms) {
            after.put(room.id(), room.lastSeq());
        }
        messages.above(after).compose(found -> {
            Promise<Void> p = Promise.promise();
            onContext(() -> {
                List<Future<Void>> published = new ArrayList<>(rooms.size());
                List<StoredMessage> all = new ArrayList<>();
                for (Room room : rooms) {
                    List<StoredMessage> list = found.getOrDefault(room.id(), List.of());
                    all.addAll(list);
                    published.add(publishAbove(room, list).onSuccess(v -> suspect.remove(room)));
                }
                java.util.function.Consumer<List<StoredMessage>> listener = committed;
                if (listener != null && !all.isEmpty()) {
                    listener.accept(all); // other nodes never heard of a batch whose outcome was unknown here
                }
                Future.all(published).<Void>mapEmpty().onComplete(p);
            });
            return p.future();
        }).onComplete(ar -> onContext(() -> {
            repairing = false;
            if (ar.failed()) {
                failQueued(db.failure(ar.cause()));
            } else {
                drain();
            }
        }));
    }

    private void failQueued(KringException error) {
        PendingSend s;
        while ((s = deferred.poll()) != null) {
            s.fail(error);
        }
        while ((s = queue.poll()) != null) {
            queued.decrementAndGet();
            s.fail(error);
        }
    }

    /**
     * Answers {@code unavailable} to sends that have waited past the deadline and drops the queued
     * ones. A late batch still in flight is left to complete: if it commits, its completion publishes
     * its messages (the senders, told {@code unavailable}, get the stored seq when they resend); if it
     * fails, its rooms become suspect there. Marking them suspect here as well made every slow batch
     * under load cost a repair read and stopped the pipeline meanwhile (issue 8: the collapse at
     * 19,000 senders).
     */
    private void sweepDeadlines() {
        long now = System.nanoTime();
        for (List<PendingSend> batch : inFlight) {
            for (PendingSend s : batch) {
                if (now - s.arrivedNanos > deadlineNanos && !s.isAnswered()) {
                    s.fail(KringException.unavailable(Database.retryAfterMs()));
                }
            }
        }
        for (java.util.Iterator<PendingSend> it = deferred.iterator(); it.hasNext(); ) {
            PendingSend s = it.next();
            if (now - s.arrivedNanos > deadlineNanos) {
                s.fail(KringException.unavailable(Database.retryAfterMs()));
                it.remove();
            }
        }
        for (java.util.Iterator<PendingSend> it = queue.iterator(); it.hasNext(); ) {
            PendingSend s = it.next();
            if (now - s.arrivedNanos > deadlineNanos) {
                s.fail(KringException.unavailable(Database.retryAfterMs()));
                it.remove();
                queued.decrementAndGet();
            }
        }
    }
}
