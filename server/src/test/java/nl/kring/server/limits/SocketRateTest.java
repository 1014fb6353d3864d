package nl.kring.server.limits;

import java.util.Map;
import nl.kring.server.config.KringConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-socket request budget as a token bucket, on a clock the test moves (no event loop, no sleeping). */
class SocketRateTest {

    static final long SECOND = 1_000_000_000L;

    /** A socket's schedule, as Session keeps it. */
    static final class Socket {
        final SocketRate rate;
        long due;

        Socket(SocketRate rate, long openedAt) {
            this.rate = rate;
            this.due = openedAt;
        }

        /** 0 when the frame at {@code now} is admitted, else the wait in nanoseconds. */
        long frame(long now) {
            long wait = rate.delay(due, now);
            if (wait == 0) {
                due = rate.admit(due, now);
            }
            return wait;
        }
    }

    @Test
    void aNewSocketMaySendItsBurstAtOnceAndTheNextFrameWaitsOneRefill() {
        Socket s = new Socket(new SocketRate(2, 5), 0);
        for (int i = 0; i < 5; i++) {
            assertThat(s.frame(0)).as("frame %d of the burst", i + 1).isZero();
        }
        assertThat(s.frame(0)).isEqualTo(SECOND / 2);
        assertThat(s.frame(SECOND / 2 - 1)).as("a refused frame takes nothing").isEqualTo(1);
        assertThat(s.frame(SECOND / 2)).as("one token back after 1/rate").isZero();
        assertThat(s.frame(SECOND / 2)).isPositive();
    }

    @Test
    void anIdleSocketRefillsToItsBurstAndNoFurther() {
        Socket s = new Socket(new SocketRate(10, 3), 0);
        for (int i = 0; i < 3; i++) {
            s.frame(0);
        }
        long later = 3600 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(s.frame(later)).isZero();
        }
        assertThat(s.frame(later)).isPositive();
    }

    @Test
    void aSteadyRateAtTheLimitIsAlwaysAdmittedAndAboveItIsNot() {
        Socket atLimit = new Socket(new SocketRate(10, 1), 0);
        Socket above = new Socket(new SocketRate(10, 1), 0);
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            assertThat(atLimit.frame(i * SECOND / 10)).isZero();
            refused += above.frame(i * SECOND / 20) > 0 ? 1 : 0;
        }
        assertThat(refused).isBetween(499, 501);
    }

    @Test
    void worksWhereNanoTimeIsNegativeOrWrapsAround() {
        for (long start : new long[] {-5 * SECOND, Long.MAX_VALUE - SECOND}) {
            Socket s = new Socket(new SocketRate(1, 2), start);
            assertThat(s.frame(start)).isZero();
            assertThat(s.frame(start)).isZero();
            assertThat(s.frame(start)).isEqualTo(SECOND);
            assertThat(s.frame(start + 2 * SECOND)).isZero();
        }
    }

    /**
     * With the defaults, a client like the web client or the load generator: a resume burst (a join
     * and a history page for each of 8 rooms, an outbox of 10 sends, a check), then an hour at 4 frames
     * a second with a reconnect-sized burst of 20 every minute. Nothing is refused.
     */
    @Test
    void theDefaultsNeverRefuseANormalClient() {
        KringConfig defaults = KringConfig.fromEnv(Map.of());
        Socket s = new Socket(new SocketRate(defaults.requestRate(), defaults.requestBurst()), 0);
        for (int i = 0; i < 27; i++) {
            assertThat(s.frame(0)).isZero();
        }
        long now = SECOND;
        for (int second = 1; second < 3600; second++) {
            int frames = second % 60 == 0 ? 20 : 4;
            for (int i = 0; i < frames; i++) {
                assertThat(s.frame(now + i * SECOND / (frames * 2L))).as("second %d", second).isZero();
            }
            now += SECOND;
        }
    }

    @Test
    void retryAfterIsWholeMillisecondsRoundedUp() {
        assertThat(SocketRate.retryAfterMs(1)).isEqualTo(1);
        assertThat(SocketRate.retryAfterMs(1_000_000)).isEqualTo(1);
        assertThat(SocketRate.retryAfterMs(1_000_001)).isEqualTo(2);
        assertThat(SocketRate.retryAfterMs(100 * SECOND)).isEqualTo(100_000);
    }

    @Test
    void refusesARateOrBurstItCannotCountWith() {
        assertThatThrownBy(() -> new SocketRate(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SocketRate(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SocketRate(0.01, 10_000_000).delay(0L, 0L)).isZero();
    }
}
