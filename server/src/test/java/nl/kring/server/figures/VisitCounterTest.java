package nl.kring.server.figures;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions for the figures: joins within 30 minutes are one, days are Amsterdam days, nothing is lost when writing fails. */
class VisitCounterTest {

    static final Instant EVENING = Instant.parse("2026-11-24T19:00:00Z"); // 20:00 in Amsterdam

    @Test
    void joinsWithinThirtyMinutesAreOneSessionAndLaterOnesStartAnother() {
        VisitCounter c = new VisitCounter();
        assertThat(c.joined(1, 7, EVENING)).isTrue();
        // a phone on poor reception reconnects every few minutes: the same session
        assertThat(c.joined(1, 7, EVENING.plus(Duration.ofMinutes(5)))).isFalse();
        assertThat(c.joined(1, 7, EVENING.plus(Duration.ofMinutes(34)))).isFalse();
        // another room and another member are sessions of their own
        assertThat(c.joined(2, 7, EVENING)).isTrue();
        assertThat(c.joined(1, 8, EVENING)).isTrue();
        // 30 minutes after the last join, coming in again is a new session
        assertThat(c.joined(1, 7, EVENING.plus(Duration.ofMinutes(64)))).isTrue();
        assertThat(c.drain(EVENING.plus(Duration.ofMinutes(65)))).containsExactlyInAnyOrder(
                new VisitCounter.Visit(1, LocalDate.of(2026, 11, 24), 7, 2),
                new VisitCounter.Visit(2, LocalDate.of(2026, 11, 24), 7, 1),
                new VisitCounter.Visit(1, LocalDate.of(2026, 11, 24), 8, 1));
        // drained: nothing twice
        assertThat(c.drain(EVENING.plus(Duration.ofMinutes(66)))).isEmpty();
    }

    @Test
    void aSessionCountsOnTheAmsterdamDayItStarted() {
        VisitCounter c = new VisitCounter();
        // 23:50 UTC on the 24th is 00:50 on the 25th in Amsterdam
        c.joined(1, 7, Instant.parse("2026-11-24T23:50:00Z"));
        c.joined(1, 8, Instant.parse("2026-11-24T22:50:00Z"));
        assertThat(c.drain(Instant.parse("2026-11-25T00:00:00Z"))).containsExactlyInAnyOrder(
                new VisitCounter.Visit(1, LocalDate.of(2026, 11, 25), 7, 1),
                new VisitCounter.Visit(1, LocalDate.of(2026, 11, 24), 8, 1));
    }

    @Test
    void visitsThatCouldNotBeWrittenGoWithTheNextOnesAndOldJoinsAreForgotten() {
        VisitCounter c = new VisitCounter();
        c.joined(1, 7, EVENING);
        List<VisitCounter.Visit> failed = c.drain(EVENING.plus(Duration.ofMinutes(1)));
        c.joined(1, 7, EVENING.plus(Duration.ofMinutes(40)));
        c.restore(failed);
        assertThat(c.drain(EVENING.plus(Duration.ofMinutes(41))))
                .containsExactly(new VisitCounter.Visit(1, LocalDate.of(2026, 11, 24), 7, 2));
        assertThat(c.remembered()).isEqualTo(1);
        c.drain(EVENING.plus(Duration.ofMinutes(71)));
        assertThat(c.remembered()).isZero();
    }
}
