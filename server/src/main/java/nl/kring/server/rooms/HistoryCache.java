package nl.kring.server.rooms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.kring.server.shared.StoredMessage;

/**
 * The newest messages of active rooms, bounded in total by weight (Caffeine). Each room keeps a
 * contiguous tail of at most {@code perRoom} messages; anything outside it is read from
 * PostgreSQL. Appended to only by the message writer, after commit; read from any thread.
 */
public final class HistoryCache {

    private final int perRoom;
    private final Cache<Long, Tail> tails;

    public HistoryCache(int perRoom, long maxBytes) {
        this.perRoom = perRoom;
        this.tails = Caffeine.newBuilder()
                // Maintenance (buffer drains, eviction) on the writing thread: by default every write
                // scheduled it on ForkJoinPool.commonPool, a thread wake-up per committed batch (2 % of
                // the server's CPU in deliveries-30k, plus the pool's worker). The other caches written
                // on an event loop (tickets, tokens, rate buckets, slow mode) do the same.
                .executor(Runnable::run)
                .maximumWeight(Math.max(1, maxBytes))
                .weigher((Long id, Tail t) -> t.weight())
                .build();
    }

    /** Appends committed messages of one room (ascending). A break in seq restarts the tail. */
    public void append(long roomId, List<StoredMessage> messages) {
        if (perRoom == 0 || messages.isEmpty()) {
            return;
        }
        tails.asMap().compute(roomId, (id, tail) -> {
            Tail t = tail == null ? new Tail() : tail;
            t.append(messages, perRoom);
            return t;
        });
    }

    /** Seeds a room's tail (at activation) with its newest committed messages. */
    public void seed(long roomId, List<StoredMessage> newest) {
        if (perRoom == 0 || newest.isEmpty()) {
            return;
        }
        tails.asMap().putIfAbsent(roomId, new Tail().append(newest, perRoom));
    }

    /** Messages with {@code afterSeq < seq <= upToSeq} if the tail holds all of them. */
    public Optional<List<StoredMessage>> range(long roomId, long afterSeq, long upToSeq) {
        if (upToSeq <= afterSeq) {
            return Optional.of(List.of());
        }
        Tail t = tails.getIfPresent(roomId);
        return t == null ? Optional.empty() : t.range(afterSeq, upToSeq);
    }

    /** Runs Caffeine's pending maintenance (evictions) now; it otherwise runs asynchronously. For tests. */
    void cleanUp() {
        tails.cleanUp();
    }

    /** Replaces a cached message by its redacted form (no-op when the tail does not hold it). */
    public void redact(long roomId, long seq, String reason) {
        Tail t = tails.getIfPresent(roomId);
        if (t != null) {
            t.redact(seq, reason);
        }
    }

    /** Replaces a cached message by another form of it with the same seq (a hidden message shown again). */
    public void replace(long roomId, StoredMessage message) {
        Tail t = tails.getIfPresent(roomId);
        if (t != null) {
            t.replace(message.seq(), m -> message);
        }
    }

    /** A contiguous run of a room's newest messages. Guarded by its own monitor. */
    private static final class Tail {
        private final ArrayDeque<StoredMessage> messages = new ArrayDeque<>();
        private int weight;

        synchronized Tail append(List<StoredMessage> batch, int max) {
            for (StoredMessage m : batch) {
                if (!messages.isEmpty() && m.seq() != messages.peekLast().seq() + 1) {
                    if (m.seq() <= messages.peekLast().seq()) {
                        continue;
                    }
                    messages.clear();
                    weight = 0;
                }
                messages.addLast(m);
                weight += m.weight();
                while (messages.size() > max) {
                    weight -= messages.removeFirst().weight();
                }
            }
            return this;
        }

        synchronized void redact(long seq, String reason) {
            replace(seq, m -> m.redacted(reason));
        }

        synchronized void replace(long seq, java.util.function.UnaryOperator<StoredMessage> change) {
            if (messages.isEmpty() || seq < messages.peekFirst().seq() || seq > messages.peekLast().seq()) {
                return;
            }
            ArrayDeque<StoredMessage> copy = new ArrayDeque<>(messages.size());
            for (StoredMessage m : messages) {
                if (m.seq() == seq) {
                    weight -= m.weight();
                    m = change.apply(m);
                    weight += m.weight();
                }
                copy.addLast(m);
            }
            messages.clear();
            messages.addAll(copy);
        }

        synchronized int weight() {
            return weight + 64;
        }

        synchronized Optional<List<StoredMessage>> range(long afterSeq, long upToSeq) {
            if (messages.isEmpty() || afterSeq + 1 < messages.peekFirst().seq() || upToSeq > messages.peekLast().seq()) {
                return Optional.empty();
            }
            List<StoredMessage> out = new ArrayList<>((int) Math.min(upToSeq - afterSeq, messages.size()));
            for (StoredMessage m : messages) {
                if (m.seq() > afterSeq && m.seq() <= upToSeq) {
                    out.add(m);
                }
            }
            return Optional.of(out);
        }
    }
}
