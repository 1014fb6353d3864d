package nl.kring.server.rooms;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlowModeTest {

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final SlowMode slowMode = new SlowMode(clock::get);

    @Test
    void aSecondSendWithinTheIntervalWaitsForTheRest() {
        assertThat(slowMode.tryPass(1, 7, 10)).isZero();
        clock.addAndGet(4_000_000_000L);
        assertThat(slowMode.tryPass(1, 7, 10)).isEqualTo(6_000);
        clock.addAndGet(6_000_000_000L);
        assertThat(slowMode.tryPass(1, 7, 10)).isZero();
    }

    @Test
    void eachMemberAndEachRoomHasItsOwnInterval() {
        assertThat(slowMode.tryPass(1, 7, 10)).isZero();
        assertThat(slowMode.tryPass(2, 7, 10)).isZero();
        assertThat(slowMode.tryPass(1, 8, 10)).isZero();
        assertThat(slowMode.tryPass(1, 7, 10)).isPositive();
    }

    @Test
    void aRefusedSendDoesNotRestartTheInterval() {
        assertThat(slowMode.tryPass(1, 7, 10)).isZero();
        clock.addAndGet(9_000_000_000L);
        assertThat(slowMode.tryPass(1, 7, 10)).isEqualTo(1_000);
        clock.addAndGet(1_000_000_000L);
        assertThat(slowMode.tryPass(1, 7, 10)).isZero();
    }
}
