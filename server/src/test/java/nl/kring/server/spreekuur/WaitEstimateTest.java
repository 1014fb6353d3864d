package nl.kring.server.spreekuur;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wait estimate a member sees in the one-to-one queue, from hosts present, talks running and recent talk lengths. */
class WaitEstimateTest {

    static Duration min(long m) {
        return Duration.ofMinutes(m);
    }

    @Test
    void withoutHistoryATalkIsTakenToLastFifteenMinutes() {
        WaitEstimate e = WaitEstimate.fromRecent(List.of());
        assertThat(e.typical()).isEqualTo(min(15));
        assertThat(e.minutes(1, 1, 0)).as("a free host: no wait").isEqualTo(OptionalLong.of(0));
        assertThat(e.minutes(1, 1, 1)).as("the host is talking").isEqualTo(OptionalLong.of(15));
        assertThat(e.minutes(3, 1, 1)).isEqualTo(OptionalLong.of(45));
    }

    @Test
    void moreHostsShortenTheWait() {
        WaitEstimate e = WaitEstimate.fromRecent(List.of(min(20)));
        assertThat(e.minutes(4, 2, 2)).as("4 talks to end, two at a time").isEqualTo(OptionalLong.of(40));
        assertThat(e.minutes(1, 3, 2)).as("a third host is free").isEqualTo(OptionalLong.of(0));
    }

    @Test
    void theTypicalLengthIsTheMedianSoOneLongTalkDoesNotScareEveryoneOff() {
        WaitEstimate e = WaitEstimate.fromRecent(List.of(min(10), min(12), min(90), min(11), min(14)));
        assertThat(e.typical()).isEqualTo(min(12));
        assertThat(WaitEstimate.fromRecent(List.of(min(10), min(20))).typical()).isEqualTo(min(15));
        assertThat(WaitEstimate.fromRecent(List.of(Duration.ofSeconds(5))).typical()).as("at least a minute").isEqualTo(min(1));
    }

    @Test
    void onlyTheMostRecentTalksCountAndSecondsRoundUpToAMinute() {
        List<Duration> lengths = new java.util.ArrayList<>();
        for (int i = 0; i < WaitEstimate.RECENT_TALKS; i++) {
            lengths.add(min(10));
        }
        lengths.add(min(60));
        lengths.add(min(60));
        assertThat(WaitEstimate.fromRecent(lengths).typical()).isEqualTo(min(10));
        WaitEstimate e = WaitEstimate.fromRecent(List.of(Duration.ofSeconds(61)));
        assertThat(e.minutes(2, 1, 0)).isEqualTo(OptionalLong.of(2));
    }

    @Test
    void noHostPresentMeansNoEstimateAndNonsenseIsRefused() {
        WaitEstimate e = WaitEstimate.fromRecent(List.of());
        assertThat(e.minutes(1, 0, 0)).isEmpty();
        assertThatThrownBy(() -> e.minutes(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.minutes(1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
