package nl.kring.server.rooms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Slow mode: a member may send in a room at most once every N seconds (the room's setting),
 * across all their sockets on this node. Thread-safe; entries are forgotten an hour after a
 * member's last send (slow mode is at most an hour).
 */
public final class SlowMode {

    private record Key(long userId, long roomId) {
    }

    private final Cache<Key, Long> lastSend;
    private final LongSupplier nanoTime;

    public SlowMode() {
        this(System::nanoTime);
    }

    public SlowMode(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastSend = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).ticker(nanoTime::getAsLong)
                .executor(Runnable::run) // maintenance on the caller, no pool hand-off (see HistoryCache)
                .maximumSize(1_000_000).build();
    }

    /** Records a send and returns 0, or returns the milliseconds to wait when the member sent too recently. */
    public long tryPass(long userId, long roomId, int seconds) {
        long now = nanoTime.getAsLong();
        long interval = seconds * 1_000_000_000L;
        long[] wait = {0};
        lastSend.asMap().compute(new Key(userId, roomId), (k, last) -> {
            if (last != null && now - last < interval) {
                wait[0] = Math.max(1, (interval - (now - last)) / 1_000_000);
                return last;
            }
            return now;
        });
        return wait[0];
    }
}
