package nl.kring.server.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The strikes a client may take before it counts as flooding (the bucket is made at the first one). */
class FloodGuardTest {

    @Test
    void theStrikeAfterTheLastAllowedOneIsFlooding() {
        FloodGuard guard = new FloodGuard(3);
        assertThat(guard.strike()).as("first strike").isFalse();
        assertThat(guard.strike()).as("second strike").isFalse();
        assertThat(guard.strike()).as("third strike").isFalse();
        assertThat(guard.strike()).as("fourth strike within the window").isTrue();
        assertThat(guard.strike()).as("and it stays so while the strikes keep coming").isTrue();
    }

    @Test
    void aSingleStrikeAllowedFloodsOnTheSecond() {
        FloodGuard guard = new FloodGuard(1);
        assertThat(guard.strike()).isFalse();
        assertThat(guard.strike()).isTrue();
    }

    @Test
    void guardsAreIndependent() {
        FloodGuard a = new FloodGuard(1);
        FloodGuard b = new FloodGuard(1);
        assertThat(a.strike()).isFalse();
        assertThat(a.strike()).isTrue();
        assertThat(b.strike()).as("another connection's guard is untouched").isFalse();
    }
}
