package nl.kring.server.limits;

/**
 * The per-socket budget of request frames (KRING_REQUEST_RATE, KRING_REQUEST_BURST): a token bucket
 * of {@code burst} frames refilled at {@code rate} frames per second, kept as one number per socket,
 * the time at which its schedule of admitted frames is due (the generic cell rate algorithm, which
 * admits exactly what that token bucket admits). Immutable and thread-safe; one per node, shared by
 * every socket. The socket keeps its own {@code due} value and updates it on its own event loop.
 *
 * <p>Why not Bucket4j, as the send limiter has: this check runs for every frame on the hot path,
 * and a Bucket4j bucket allocates on every take and synchronises (or CASes) on its state, and costs
 * about 300 bytes per socket. A frame's socket is confined to one event loop, so a plain long and
 * a few arithmetic operations do the same work with no allocation and no lock.
 */
public final class SocketRate {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** Nanoseconds between two frames at the sustained rate (one token's refill). */
    private final long interval;
    /** How far ahead of now a socket's schedule may run and still be admitted: {@code (burst - 1)} intervals. */
    private final long tolerance;

    /**
     * @param rate  frames per second a socket may keep sending (at least 0.01, so that the arithmetic below
     *              cannot overflow: KringConfig validates the range)
     * @param burst frames a socket may send at once (at least 1)
     */
    public SocketRate(double rate, int burst) {
        if (!(rate >= 0.01) || burst < 1) {
            throw new IllegalArgumentException("rate must be at least 0.01 and burst at least 1");
        }
        this.interval = Math.max(1, (long) (NANOS_PER_SECOND / rate));
        this.tolerance = Math.multiplyExact(interval, (long) burst - 1);
    }

    /**
     * Nanoseconds until a frame arriving at {@code now} would be admitted, for a socket whose schedule is
     * due at {@code due} (both {@link System#nanoTime()} values); 0 means admit it now. A new socket's
     * schedule is due when it opens (a full budget).
     */
    public long delay(long due, long now) {
        long ahead = due - now - tolerance;
        return ahead > 0 ? ahead : 0;
    }

    /** The socket's schedule after admitting a frame at {@code now}. */
    public long admit(long due, long now) {
        return (due - now > 0 ? due : now) + interval;
    }

    /** A wait as the protocol's {@code retryAfterMs}: whole milliseconds, rounded up, at least 1. */
    public static long retryAfterMs(long waitNanos) {
        return Math.max(1, (waitNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
    }
}
