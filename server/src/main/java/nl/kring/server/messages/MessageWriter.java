package nl.kring.server.messages;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomPublisher;

/**
 * Group commit, the durable commit and the ack: sends from every socket queue here and are
 * written in batches, one SQL statement ({@link BatchInsert}: one round trip, one transaction,
 * one WAL flush) per batch, with up to {@code KRING_WRITER_PIPELINE} batches in flight on
 * separate connections. While batches commit, the next ones fill, so batch size follows load.
 * Only after a batch commits does the writer report it to the {@link RoomPublisher}, which
 * delivers it to the rooms (filling any gap from PostgreSQL); then the senders are answered.
 *
 * <p>A batch whose outcome is unknown (connection lost during commit) makes its rooms suspect
 * at the publisher, and the writer starts no batch until, with nothing in flight, the publisher
 * has read and delivered whatever committed ({@link RoomPublisher#repair}). Admission and the
 * order of waiting sends are {@link SendQueue}'s.
 *
 * <p>Threading: {@link #submit}, {@link #admits} and {@link #queued} are thread-safe; everything
 * else runs on the publisher's context, which is the writer's own.
 */
public final class MessageWriter {

    /** How often queued and in-flight sends are checked against the ack deadline. */
    static final long DEADLINE_SWEEP_MS = 100;

    private final Vertx vertx;
    private final Context context;
    private final Database db;
    private final RoomPublisher publisher;
    private final KringMetrics metrics;
    private final int pipeline;
    private final long deadlineNanos;
    private final SendQueue sends;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Context-confined from here on. */
    private final Set<List<PendingSend>> inFlight = new HashSet<>();
    private boolean repairing;
    private long sweepTimer = -1;

    /** @param publisher delivers what committed; its context becomes the writer's */
    public MessageWriter(Vertx vertx, KringConfig config, Database db, RoomPublisher publisher, KringMetrics metrics) {
        this.vertx = vertx;
        this.context = publisher.context();
        this.db = db;
        this.publisher = publisher;
        this.metrics = metrics;
        this.pipeline = config.writerPipeline();
        this.deadlineNanos = config.ackDeadline().toNanos();
        this.sends = new SendQueue(config.batchMaxSize(), config.batchMaxSize() * 64, deadlineNanos);
    }

    public void start() {
        context.runOnContext(v -> sweepTimer = vertx.setPeriodic(DEADLINE_SWEEP_MS, id -> sweepDeadlines()));
    }

    public int queued() {
        return sends.queued();
    }

    /**
     * Whether a send would be taken now: the database is up and the queue is not so far behind that
     * a new send would likely miss the ack deadline (its oldest send has waited less than half of
     * it). Checked before a send is classified, so that an overloaded writer costs a refused send
     * next to nothing instead of a classification, a queue slot and a timed-out answer.
     */
    public boolean admits() {
        return db.isUp() && sends.admits();
    }

    /** Queues a send; it is answered on whatever thread its batch completes on. */
    public void submit(PendingSend send) {
        if (!admits()) {
            send.fail(KringException.unavailable(Database.retryAfterMs()));
            return;
        }
        sends.add(send);
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
        if (inFlight.isEmpty() && !repairing && sends.isEmpty()) {
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

    /** Starts batches while there is room in the pipeline and work to do; repairs suspect rooms first. */
    private void drain() {
        if (repairing) {
            return;
        }
        if (publisher.hasSuspect()) {
            if (inFlight.isEmpty()) {
                repair();
            }
            return;
        }
        while (inFlight.size() < pipeline) {
            List<PendingSend> batch = sends.nextBatch();
            if (batch.isEmpty()) {
                return;
            }
            start(batch);
        }
    }

    private void start(List<PendingSend> batch) {
        inFlight.add(batch);
        long started = System.nanoTime();
        write(batch).onComplete(ar -> onContext(() -> {
            metrics.batchCommitted(batch.size(), System.nanoTime() - started);
            inFlight.remove(batch);
            sends.landed(batch);
            if (ar.failed()) {
                KringException error = db.failure(ar.cause());
                for (PendingSend s : batch) {
                    publisher.suspect(s.room);
                    s.fail(error);
                }
            }
            drain();
        }));
    }

    /** Writes one batch, has it delivered and answers its senders; fails if the statement or the delivery fails. */
    private Future<Void> write(List<PendingSend> batch) {
        BatchInsert insert = new BatchInsert(batch);
        Promise<Void> done = Promise.promise();
        long executed = System.nanoTime();
        db.writerPool().preparedQuery(BatchInsert.SQL)
                .execute(insert.params())
                .onComplete(ar -> onContext(() -> {
                    metrics.statementCompleted(System.nanoTime() - executed);
                    if (ar.failed()) {
                        done.fail(ar.cause());
                    } else {
                        publisher.publishCommitted(insert.read(ar.result())).<Void>map(published -> {
                            insert.answer();
                            return null;
                        }).onComplete(done);
                    }
                }));
        return done.future();
    }

    /** Has the publisher deliver what committed in the suspect rooms; runs with nothing in flight. */
    private void repair() {
        repairing = true;
        publisher.repair().onComplete(ar -> onContext(() -> {
            repairing = false;
            if (ar.failed()) {
                sends.failAll(db.failure(ar.cause()));
            } else {
                drain();
            }
        }));
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
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
        sends.sweep(now);
    }
}
