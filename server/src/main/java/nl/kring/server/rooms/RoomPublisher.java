package nl.kring.server.rooms;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.shared.StoredMessage;

/**
 * Delivers committed messages to this node's rooms, each once and in seq order: "everything
 * above the room's lastSeq" goes into the {@link HistoryCache} tail and out through
 * {@link Room#publish} (which sets lastSeq before it posts the broadcast). When a room's first new
 * seq is not lastSeq + 1 (an earlier batch has not completed yet, a batch's outcome was unknown,
 * another node's notice is missing), the gap is read from PostgreSQL first ({@link PublishStep}).
 * A room whose delivered state cannot be trusted (its batch failed, its gap read failed) is
 * suspect until {@link #repair} has read it; the message writer repairs before its next batch.
 *
 * <p>Who listens to what this node committed ({@link #onCommitted}: the cluster's fan-out) is
 * told once per batch, after the batch is delivered here and before its senders are answered.
 *
 * <p>Threading: {@link #publishRemote}, {@link #catchUp} and {@link #onCommitted} may be called
 * from any thread; everything else runs on the publisher's own context, which the message writer
 * shares ({@link #context()}), so a batch is delivered on the context where it committed.
 */
public final class RoomPublisher {

    private final Context context;
    private final MessageRepository messages;
    private final HistoryCache cache;
    private final KringMetrics metrics;
    /** Context-confined. */
    private final Set<Room> suspect = new HashSet<>();
    /** Rooms seen behind PostgreSQL by the last catch-up sweep, with the stored seq seen then. */
    private Map<Room, Long> behindBefore = Map.of();
    /** Told of every message this node committed, after it is published here; null alone. */
    private volatile Consumer<List<StoredMessage>> committed;

    /**
     * @param messages reads of the gaps; the server gives it the writer's own connections, so that a
     *                 repair never queues behind the reads it unblocks
     */
    public RoomPublisher(Vertx vertx, MessageRepository messages, HistoryCache cache, KringMetrics metrics) {
        this.context = vertx.getOrCreateContext();
        this.messages = messages;
        this.cache = cache;
        this.metrics = metrics;
    }

    /** The context every delivery runs on; the message writer runs its batches here too. */
    public Context context() {
        return context;
    }

    /** Sets who is told of each batch's committed messages (once per batch, after they are published here). */
    public void onCommitted(Consumer<List<StoredMessage>> listener) {
        this.committed = listener;
    }

    /**
     * Delivers one committed batch's new messages, by room (each list in the batch's order), then
     * tells the listener. Fails if a room could not be delivered contiguously (the room is suspect
     * then). On the publisher's context.
     */
    public Future<Void> publishCommitted(Map<Room, List<StoredMessage>> fresh) {
        List<Future<Void>> published = new ArrayList<>(fresh.size());
        for (Map.Entry<Room, List<StoredMessage>> e : fresh.entrySet()) {
            List<StoredMessage> list = e.getValue();
            list.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            published.add(publishAbove(e.getKey(), list));
        }
        return Future.all(published).map(done -> {
            Consumer<List<StoredMessage>> listener = committed;
            if (listener != null && !fresh.isEmpty()) {
                List<StoredMessage> all = new ArrayList<>();
                fresh.values().forEach(all::addAll);
                listener.accept(all);
            }
            return null;
        });
    }

    /** Marks a room whose delivered state cannot be trusted (its batch's outcome is unknown). On the publisher's context. */
    public void suspect(Room room) {
        suspect.add(room);
    }

    /** Whether a room waits for {@link #repair}. On the publisher's context. */
    public boolean hasSuspect() {
        return !suspect.isEmpty();
    }

    /**
     * Publishes whatever committed beyond each suspect room's lastSeq and tells the listener (other
     * nodes never heard of a batch whose outcome was unknown here). One statement for all suspect
     * rooms: after an outage hundreds may be suspect, and a query per room would queue them all on
     * the pool ahead of the next batch. The writer calls it with nothing in flight.
     */
    public Future<Void> repair() {
        List<Room> rooms = new ArrayList<>(suspect);
        Map<Long, Long> after = new LinkedHashMap<>();
        for (Room room : rooms) {
            after.put(room.id(), room.lastSeq());
        }
        return messages.above(after).compose(found -> {
            Promise<Void> p = Promise.promise();
            onContext(() -> {
                List<Future<Void>> published = new ArrayList<>(rooms.size());
                List<StoredMessage> all = new ArrayList<>();
                for (Room room : rooms) {
                    List<StoredMessage> list = found.getOrDefault(room.id(), List.of());
                    all.addAll(list);
                    published.add(publishAbove(room, list).onSuccess(v -> suspect.remove(room)));
                }
                Consumer<List<StoredMessage>> listener = committed;
                if (listener != null && !all.isEmpty()) {
                    listener.accept(all);
                }
                Future.all(published).<Void>mapEmpty().onComplete(p);
            });
            return p.future();
        });
    }

    /**
     * Messages another node committed, for a room active here: published above the room's lastSeq,
     * after any gap is read from PostgreSQL, on the publisher's context like local batches, so that
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

    /**
     * Publishes a room's committed messages (ascending) that are above its lastSeq, reading any
     * gap below them from PostgreSQL first. On the publisher's context.
     */
    private Future<Void> publishAbove(Room room, List<StoredMessage> committed) {
        return publishAbove(room, committed, true);
    }

    private Future<Void> publishAbove(Room room, List<StoredMessage> committed, boolean mayReadGap) {
        long last = room.lastSeq();
        List<StoredMessage> above = PublishStep.above(last, committed);
        switch (PublishStep.of(last, above)) {
            case NOTHING_NEW:
                return Future.succeededFuture();
            case PUBLISH:
                cache.append(room.id(), above);
                room.publish(above);
                metrics.delivered((long) room.memberSockets() * above.size());
                return Future.succeededFuture();
            case NOT_CONTIGUOUS:
                return gapNotFillable(room);
            default:
                break;
        }
        if (!mayReadGap) {
            return gapNotFillable(room); // the gap as read from PostgreSQL still does not reach lastSeq
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
     * Committed seqs that PostgreSQL cannot show contiguously: the room is repaired from PostgreSQL
     * before the next batch.
     */
    private Future<Void> gapNotFillable(Room room) {
        suspect.add(room);
        return Future.failedFuture(new IllegalStateException("seqs of room " + room.id() + " are not contiguous above " + room.lastSeq()));
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
