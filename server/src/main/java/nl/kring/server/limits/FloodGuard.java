package nl.kring.server.limits;

import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * Decides when a client that keeps being refused is flooding: each refusal (rate_limited or a
 * malformed frame) costs a strike; more than {@code strikes} within {@link #WINDOW} means flooding.
 * A well-behaved client that honours {@code retryAfterMs} never gets there. One per connection;
 * Bucket4j makes it thread-safe, though it is used from the connection's event loop only.
 */
public final class FloodGuard {

    public static final Duration WINDOW = Duration.ofSeconds(10);

    private final Bucket strikes;

    public FloodGuard(int strikes) {
        this.strikes = Bucket.builder()
                .addLimit(limit -> limit.capacity(strikes).refillGreedy(strikes, WINDOW))
                .build();
    }

    /** Records one refusal; true when the client has now run out of strikes. */
    public boolean strike() {
        return !strikes.tryConsume(1);
    }
}
