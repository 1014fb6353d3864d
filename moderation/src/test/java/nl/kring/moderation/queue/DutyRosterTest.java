package nl.kring.moderation.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DutyRosterTest {

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T20:00:00Z"));

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.set(now.get().plus(d));
        }
    }

    @Test
    void aCommunityIsCoveredWhileAtLeastOneModeratorIsOnDutyAndProfessionalsAloneDoNotCoverIt() {
        DutyRoster roster = new DutyRoster(new HandClock(), Duration.ofMinutes(5));
        assertThat(roster.covered(1)).isFalse();
        assertThat(roster.start(new DutyRoster.Shift(10, 1, false))).as("a professional").isFalse();
        assertThat(roster.covered(1)).isFalse();
        assertThat(roster.start(new DutyRoster.Shift(11, 1, true))).as("first moderator covers").isTrue();
        assertThat(roster.start(new DutyRoster.Shift(12, 1, true))).as("second changes nothing").isFalse();
        assertThat(roster.end(11, 1)).isFalse();
        assertThat(roster.covered(1)).isTrue();
        assertThat(roster.end(12, 1)).as("last moderator leaves").isTrue();
        assertThat(roster.covered(1)).isFalse();
        assertThat(roster.onDuty(10, 1)).isTrue();
    }

    @Test
    void aShiftLapsesOnlyAfterItsStaffMemberHasBeenDisconnectedLongerThanTheGrace() {
        HandClock clock = new HandClock();
        DutyRoster roster = new DutyRoster(clock, Duration.ofMinutes(5));
        roster.start(new DutyRoster.Shift(11, 1, true));
        roster.start(new DutyRoster.Shift(11, 2, true));
        roster.start(new DutyRoster.Shift(12, 1, true));
        Set<Long> connected = new java.util.HashSet<>(Set.of(12L));
        clock.advance(Duration.ofMinutes(4));
        assertThat(roster.lapsed(connected::contains)).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(roster.lapsed(connected::contains)).extracting(DutyRoster.Shift::communityId).containsExactlyInAnyOrder(1L, 2L);
        // 12 was seen connected a moment ago: its grace starts from then
        connected.clear();
        clock.advance(Duration.ofMinutes(4));
        assertThat(roster.lapsed(connected::contains)).noneMatch(s -> s.userId() == 12);
    }
}
