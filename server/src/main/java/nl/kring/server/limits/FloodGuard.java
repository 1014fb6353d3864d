package nl.kring.server.limits;

import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * Decides when a client that keeps being refused is flooding: each refusal (rate_limited or a
 * malformed frame) costs a strike; more than {@code strikes} within {@link #WINDOW} means flooding.
 * A well-behaved client that honours {@code retryAfterMs} never gets there. One per connection,
 * used from the connection's event loop only (not thread-safe).
 *
 * <p>The bucket is made at the first strike: a bucket made then is full, as one made at connect
 * would be by then, and most connections are never refused, so they do not keep a Bucket4j bucket
 * (about 300 bytes) for their whole life (two guards per session: see docs/benchmarks.md, memory).
 */
public final class FloodGuard {

    public static final Duration WINDOW = Duration.ofSeconds(10);

    private final int capacity;
    private Bucket strikes;

    public FloodGuard(int strikes) {
        this.capacity = strikes;
    }

    /** Records one refusal; true when the client has now run out of strikes. */
    public boolean strike() {
        if (strikes == null) {
            strikes = Bucket.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, WINDOW))
                    .build();
        }
        return !strikes.tryConsume(1);
    }
}
