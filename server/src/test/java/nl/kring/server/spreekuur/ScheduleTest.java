package nl.kring.server.spreekuur;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Consultation-hour schedules in Europe/Amsterdam, across daylight-saving changes, with the clock as an argument. */
class ScheduleTest {

    static Instant at(String amsterdamLocal) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(amsterdamLocal), Schedule.AMSTERDAM).toInstant();
    }

    @Test
    void aWeeklySessionKeepsItsWallClockTimeAcrossBothDaylightSavingChanges() {
        // Tuesdays 19:00-20:30 from March to November 2026 (DST starts 29 March, ends 25 October)
        Schedule s = Schedule.weekly(LocalDate.of(2026, 3, 24), LocalTime.of(19, 0), Duration.ofMinutes(90), null);
        List<Schedule.Occurrence> spring = s.between(at("2026-03-23T00:00"), at("2026-04-01T00:00"));
        assertThat(spring).extracting(Schedule.Occurrence::start).containsExactly(
                Instant.parse("2026-03-24T18:00:00Z"), Instant.parse("2026-03-31T17:00:00Z"));
        List<Schedule.Occurrence> autumn = s.between(at("2026-10-19T00:00"), at("2026-11-01T00:00"));
        assertThat(autumn).extracting(Schedule.Occurrence::start).containsExactly(
                Instant.parse("2026-10-20T17:00:00Z"), Instant.parse("2026-10-27T18:00:00Z"));
        assertThat(autumn.get(1).end()).isEqualTo(Instant.parse("2026-10-27T19:30:00Z"));
    }

    @Test
    void aStartInTheSpringGapMovesForwardAndOneInTheAutumnOverlapTakesTheEarlierInstant() {
        Schedule gap = Schedule.once(LocalDate.of(2026, 3, 29), LocalTime.of(2, 30), Duration.ofHours(1));
        assertThat(gap.between(at("2026-03-28T00:00"), at("2026-03-30T00:00")).get(0).start())
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z")); // 03:30 summer time
        Schedule overlap = Schedule.once(LocalDate.of(2026, 10, 25), LocalTime.of(2, 30), Duration.ofHours(1));
        assertThat(overlap.between(at("2026-10-24T00:00"), at("2026-10-26T00:00")).get(0).start())
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 summer time, the first of the two
    }

    @Test
    void theRoomWaitsFifteenMinutesBeforeTheStartIsOpenDuringTheSessionAndClosedAfter() {
        Schedule s = Schedule.once(LocalDate.of(2026, 11, 24), LocalTime.of(19, 0), Duration.ofHours(1));
        assertThat(s.phase(at("2026-11-24T18:44"))).isEqualTo(Schedule.Phase.CLOSED);
        assertThat(s.phase(at("2026-11-24T18:45"))).isEqualTo(Schedule.Phase.WAITING);
        assertThat(s.phase(at("2026-11-24T19:00"))).isEqualTo(Schedule.Phase.OPEN);
        assertThat(s.phase(at("2026-11-24T19:59:59"))).isEqualTo(Schedule.Phase.OPEN);
        assertThat(s.phase(at("2026-11-24T20:00"))).isEqualTo(Schedule.Phase.CLOSED);
        assertThat(s.currentOrNext(at("2026-11-24T20:00"))).isEmpty();
    }

    @Test
    void aWeeklySessionStopsAfterItsLastDayAndTheNextOneIsFoundFromAnyMoment() {
        Schedule s = Schedule.weekly(LocalDate.of(2026, 1, 6), LocalTime.of(16, 0), Duration.ofHours(1), LocalDate.of(2026, 12, 22));
        assertThat(s.currentOrNext(at("2026-11-25T10:00")).orElseThrow().start()).isEqualTo(at("2026-12-01T16:00"));
        assertThat(s.currentOrNext(at("2026-12-22T16:30")).orElseThrow().start()).isEqualTo(at("2026-12-22T16:00"));
        assertThat(s.currentOrNext(at("2026-12-22T17:00"))).isEmpty();
        // a year of Tuesdays from far after the first day, without walking every week from it
        assertThat(s.between(at("2026-01-01T00:00"), at("2027-01-01T00:00"))).hasSize(51);
    }

    @Test
    void impossibleSchedulesAreRefused() {
        assertThatThrownBy(() -> Schedule.once(LocalDate.of(2026, 1, 1), LocalTime.NOON, Duration.ZERO)).hasMessageContaining("1 minute");
        assertThatThrownBy(() -> Schedule.once(LocalDate.of(2026, 1, 1), LocalTime.NOON, Duration.ofHours(13))).hasMessageContaining("12 hours");
        assertThatThrownBy(() -> Schedule.weekly(LocalDate.of(2026, 2, 1), LocalTime.NOON, Duration.ofHours(1), LocalDate.of(2026, 1, 1)))
                .hasMessageContaining("last day");
    }
}
