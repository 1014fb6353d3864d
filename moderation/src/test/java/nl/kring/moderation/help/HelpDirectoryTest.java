package nl.kring.moderation.help;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HelpDirectoryTest {

    @Test
    void openingHoursAreAmsterdamWallClockTimeAcrossDaylightSaving() {
        OpeningHours office = OpeningHours.parse("mon-fri 09:00-17:00");
        // Friday 27 March 2026, winter time (UTC+1): 08:30 UTC is 09:30 in Amsterdam
        assertThat(office.isOpen(Instant.parse("2026-03-27T08:30:00Z"))).isTrue();
        assertThat(office.isOpen(Instant.parse("2026-03-27T16:30:00Z"))).isFalse();
        // Monday 30 March 2026, summer time (UTC+2): 07:30 UTC is 09:30 in Amsterdam, 15:30 UTC is 17:30
        assertThat(office.isOpen(Instant.parse("2026-03-30T07:30:00Z"))).isTrue();
        assertThat(office.isOpen(Instant.parse("2026-03-30T15:30:00Z"))).isFalse();
        // Saturday
        assertThat(office.isOpen(Instant.parse("2026-03-28T10:00:00Z"))).isFalse();
    }

    @Test
    void aRangeThatEndsBeforeItStartsRunsPastMidnight() {
        OpeningHours night = OpeningHours.parse("sun 20:00-02:00");
        assertThat(night.isOpen(Instant.parse("2026-11-22T22:00:00Z"))).isTrue();   // Sunday 23:00 local
        assertThat(night.isOpen(Instant.parse("2026-11-22T23:30:00Z"))).isTrue();   // Monday 00:30 local
        assertThat(night.isOpen(Instant.parse("2026-11-23T02:00:00Z"))).isFalse();  // Monday 03:00 local
        assertThat(night.isOpen(Instant.parse("2026-11-22T12:00:00Z"))).isFalse();   // Sunday 13:00 local
    }

    @Test
    void badHoursSayWhatIsWrong() {
        assertThatThrownBy(() -> OpeningHours.parse("weekdays 9-5")).hasMessageContaining("weekdays");
        assertThatThrownBy(() -> OpeningHours.parse("mon 9-17")).hasMessageContaining("09:00-17:00");
        assertThatThrownBy(() -> OpeningHours.parse("")).hasMessageContaining("always");
    }

    @Test
    void crisisLinesAreAlwaysThereAndFirstAndOnlyOpenEntriesAreShown() {
        HelpResource korrelatie = new HelpResource("7", "MIND Korrelatie", "Anoniem praten", "0900-1450",
                "https://www.mindkorrelatie.nl", OpeningHours.parse("mon-fri 09:00-18:00"), false);
        HelpDirectory d = new HelpDirectory(List.of(korrelatie));
        Instant mondayMorning = Instant.parse("2026-11-23T09:00:00Z");
        Instant sundayNight = Instant.parse("2026-11-22T22:00:00Z");
        assertThat(d.openAt(mondayMorning)).extracting(HelpResource::id).containsExactly("113", "112", "7");
        assertThat(d.openAt(sundayNight)).extracting(HelpResource::id).containsExactly("113", "112");
        assertThat(HelpDirectory.ZELFMOORDPREVENTIE.phone()).isEqualTo("0800-0113");
    }
}
