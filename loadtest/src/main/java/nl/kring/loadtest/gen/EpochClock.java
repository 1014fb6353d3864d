package nl.kring.loadtest.gen;

import java.time.Instant;

/**
 * Microseconds since the epoch from the monotonic clock, anchored once to the wall clock. All
 * generator processes on one machine read the same wall clock, so a send stamp made in one
 * process and read in another gives a true delivery latency.
 */
public final class EpochClock {

    private final long offsetMicros;

    public EpochClock() {
        long best = Long.MAX_VALUE;
        long offset = 0;
        // Take the anchor with the narrowest bracket of monotonic reads around the wall-clock read.
        for (int i = 0; i < 50; i++) {
            long before = System.nanoTime();
            Instant now = Instant.now();
            long after = System.nanoTime();
            if (after - before < best) {
                best = after - before;
                long wall = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
                offset = wall - (before + (after - before) / 2) / 1000;
            }
        }
        this.offsetMicros = offset;
    }

    public long nowMicros() {
        return offsetMicros + System.nanoTime() / 1000;
    }
}
