package nl.kring.server.messages;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.KringException;

/**
 * The writer's admission and the sends waiting for a batch: refuses a send when the queue has
 * fallen behind, hands out batches of unanswered sends in arrival order, and holds back a send
 * whose idempotency key (author, clientMsgId) is in a batch in flight, so that two batches never
 * race on one key (it goes into the next batch after that one lands).
 *
 * <p>Threading: {@link #admits}, {@link #add} and {@link #queued} are thread-safe (a lock-free
 * queue fed from every event loop); everything else is confined to the writer's context.
 */
final class SendQueue {

    private final int batchMax;
    private final int queueMax;
    private final long deadlineNanos;

    private final ConcurrentLinkedQueue<PendingSend> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Context-confined from here on. */
    private final ArrayDeque<PendingSend> deferred = new ArrayDeque<>();
    private final Set<String> inFlightKeys = new HashSet<>();

    SendQueue(int batchMax, int queueMax, long deadlineNanos) {
        this.batchMax = batchMax;
        this.queueMax = queueMax;
        this.deadlineNanos = deadlineNanos;
    }

    int queued() {
        return queued.get();
    }

    /**
     * Whether the queue takes a send now: it is not full and not so far behind that a new send
     * would likely miss the ack deadline (its oldest send has waited less than half of it).
     */
    boolean admits() {
        if (queued.get() >= queueMax) {
            return false;
        }
        PendingSend oldest = queue.peek();
        return oldest == null || System.nanoTime() - oldest.arrivedNanos < deadlineNanos / 2;
    }

    void add(PendingSend send) {
        queue.add(send);
        queued.incrementAndGet();
    }

    /** Whether nothing waits, deferred sends included. */
    boolean isEmpty() {
        return queue.isEmpty() && deferred.isEmpty();
    }

    /**
     * Up to batchMax unanswered sends, held-back ones first, deferring those whose key is already in
     * flight; their keys are in flight from now until {@link #landed}.
     */
    List<PendingSend> nextBatch() {
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
        for (PendingSend s : batch) {
            inFlightKeys.add(s.key);
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

    /** The batch's statement completed (committed or failed): its keys may be written again. */
    void landed(List<PendingSend> batch) {
        for (PendingSend s : batch) {
            inFlightKeys.remove(s.key);
        }
    }

    /** Answers every waiting send with {@code error} (the repair before the next batch failed). */
    void failAll(KringException error) {
        PendingSend s;
        while ((s = deferred.poll()) != null) {
            s.fail(error);
        }
        while ((s = queue.poll()) != null) {
            queued.decrementAndGet();
            s.fail(error);
        }
    }

    /** Answers {@code unavailable} to the waiting sends that arrived more than the ack deadline before {@code now}, and drops them. */
    void sweep(long now) {
        for (Iterator<PendingSend> it = deferred.iterator(); it.hasNext(); ) {
            PendingSend s = it.next();
            if (now - s.arrivedNanos > deadlineNanos) {
                s.fail(KringException.unavailable(Database.retryAfterMs()));
                it.remove();
            }
        }
        for (Iterator<PendingSend> it = queue.iterator(); it.hasNext(); ) {
            PendingSend s = it.next();
            if (now - s.arrivedNanos > deadlineNanos) {
                s.fail(KringException.unavailable(Database.retryAfterMs()));
                it.remove();
                queued.decrementAndGet();
            }
        }
    }
}
