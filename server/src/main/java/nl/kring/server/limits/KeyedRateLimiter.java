package nl.kring.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Token buckets (Bucket4j) per key, kept in a bounded Caffeine map that forgets idle keys.
 * A key is a user id, an e-mail hash or a community slug: never an IP address. Thread-safe.
 */
public final class KeyedRateLimiter<K> {

    private final Cache<K, Bucket> buckets;
    private final long capacity;
    private final Duration refillPeriod;

    /**
     * @param ratePerSecond tokens added per second (may be below 1)
     * @param burst         bucket capacity
     */
    public KeyedRateLimiter(double ratePerSecond, long burst, long maxKeys) {
        this.capacity = burst;
        this.refillPeriod = Duration.ofNanos(Math.max(1, (long) (1_000_000_000L / ratePerSecond)));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofNanos(Math.max(refillPeriod.toNanos() * burst, Duration.ofMinutes(1).toNanos())))
                .build();
    }

    /** Takes one token: 0 when allowed, else the milliseconds until a token is there (at least 1). */
    public long tryAcquire(K key) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(1, refillPeriod))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999) / 1_000_000);
    }
}
