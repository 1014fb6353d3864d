package nl.kring.server.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResumePlanTest {

    @Test
    void decidesBetweenLiveReplayAndReset() {
        assertThat(ResumePlan.decide(null, 0, 1, 50, 1, 100)).isEqualTo(ResumePlan.LIVE);
        assertThat(ResumePlan.decide(1, 40, 1, 50, 1, 100)).isEqualTo(ResumePlan.REPLAY);
        assertThat(ResumePlan.decide(1, 50, 1, 50, 1, 100)).isEqualTo(ResumePlan.REPLAY);
        assertThat(ResumePlan.decide(2, 40, 1, 50, 1, 100)).as("foreign epoch").isEqualTo(ResumePlan.RESET);
        assertThat(ResumePlan.decide(1, 51, 1, 50, 1, 100)).as("ahead of the room").isEqualTo(ResumePlan.RESET);
        assertThat(ResumePlan.decide(1, -1, 1, 50, 1, 100)).isEqualTo(ResumePlan.RESET);
        assertThat(ResumePlan.decide(1, 10, 1, 50, 20, 100)).as("older than retained").isEqualTo(ResumePlan.RESET);
        assertThat(ResumePlan.decide(1, 19, 1, 50, 20, 100)).as("just retained").isEqualTo(ResumePlan.REPLAY);
        assertThat(ResumePlan.decide(1, 0, 1, 101, 1, 100)).as("gap beyond the replay limit").isEqualTo(ResumePlan.RESET);
        assertThat(ResumePlan.decide(1, 1, 1, 101, 1, 100)).isEqualTo(ResumePlan.REPLAY);
    }
}
