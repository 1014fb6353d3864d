package nl.kring.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Token buckets (Bucket4j) per key, kept in a bounded Caffeine map that forgets idle keys.
 * A key is a user id, an e-mail hash, a community slug or a request's source address (that one
 * in memory only: see {@link FailureLimits}). Thread-safe.
 */
public final class KeyedRateLimiter<K> implements RateLimiter<K> {

    private final Cache<K, Bucket> buckets;
    private final Bandwidth limit;

    /**
     * @param ratePerSecond tokens added per second (may be below 1)
     * @param burst         bucket capacity
     */
    public KeyedRateLimiter(double ratePerSecond, long burst, long maxKeys) {
        Duration refillPeriod = refillPeriod(ratePerSecond);
        this.limit = limit(ratePerSecond, burst);
        this.buckets = Caffeine.newBuilder()
                .executor(Runnable::run) // maintenance on the caller, no pool hand-off (see HistoryCache)
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofNanos(Math.max(refillPeriod.toNanos() * burst, Duration.ofMinutes(1).toNanos())))
                .build();
    }

    @Override
    public Future<Long> acquire(K key) {
        return Future.succeededFuture(tryAcquire(key));
    }

    @Override
    public void refund(K key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    /** One bucket's limit: {@code burst} tokens, one back every 1/{@code ratePerSecond} s (shared with {@link ClusterRateLimiter}). */
    static Bandwidth limit(double ratePerSecond, long burst) {
        return Bandwidth.builder().capacity(burst).refillGreedy(1, refillPeriod(ratePerSecond)).build();
    }

    /** The time one token takes to come back. */
    private static Duration refillPeriod(double ratePerSecond) {
        return Duration.ofNanos(Math.max(1, (long) (1_000_000_000L / ratePerSecond)));
    }

    /** The milliseconds a refused take waits for a token (at least 1). */
    static long waitMillis(long nanosToWait) {
        return Math.max(1, (nanosToWait + 999_999) / 1_000_000);
    }

    /** Takes one token: 0 when allowed, else the milliseconds until a token is there (at least 1). */
    public long tryAcquire(K key) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(limit)
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return waitMillis(probe.getNanosToWaitForRefill());
    }
}
