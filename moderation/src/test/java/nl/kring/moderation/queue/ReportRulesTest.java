package nl.kring.moderation.queue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The report rules count reporters, not reports, and never hide staff (issue 26, item 1). The
 * tests of one member's reports and of staff authors are new: the old rule took a count of
 * reports on the author (it hid after one member's five reports) and knew nothing of the author's
 * role, so these could not even be stated against it (they fail to compile on the old code; the
 * server's ReportAbuseTest shows the old behaviour failing end to end).
 */
class ReportRulesTest {

    static final ReportRules RULES = ReportRules.DEFAULTS;
    static final boolean MEMBER = false;
    static final boolean STAFF = true;

    @Test
    void aMessageIsHiddenAtThreeReportersAndAnAuthorsMessagesAtFiveReportersADay() {
        assertThat(RULES.afterReport(MEMBER, 1, List.of(1L))).isEqualTo(ReportRules.Outcome.NOTHING);
        assertThat(RULES.afterReport(MEMBER, 2, List.of(1L, 2L, 3L, 4L))).isEqualTo(ReportRules.Outcome.NOTHING);
        assertThat(RULES.afterReport(MEMBER, 3, List.of(1L, 2L, 3L))).isEqualTo(ReportRules.Outcome.HIDE_MESSAGE);
        assertThat(RULES.afterReport(MEMBER, 1, List.of(1L, 2L, 3L, 4L, 5L)))
                .isEqualTo(ReportRules.Outcome.HIDE_AUTHORS_REPORTED_MESSAGES);
        assertThatThrownBy(() -> new ReportRules(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReportRules(3, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneMembersReportsOfFiveMessagesCountOnce() {
        // GIVEN one member who reported five messages of the same author today
        List<Long> reporters = Collections.nCopies(5, 42L);
        // THEN the author's messages stay, and so does the last one reported
        assertThat(RULES.afterReport(MEMBER, 1, reporters)).isEqualTo(ReportRules.Outcome.NOTHING);
        // AND two members' ten reports are two reporters
        List<Long> two = new java.util.ArrayList<>(Collections.nCopies(5, 42L));
        two.addAll(Collections.nCopies(5, 43L));
        assertThat(RULES.afterReport(MEMBER, 2, two)).isEqualTo(ReportRules.Outcome.NOTHING);
    }

    @Test
    void aStaffMembersMessagesAreNeverHiddenByTheRules() {
        List<Long> many = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(RULES.afterReport(STAFF, 3, List.of(1L, 2L, 3L))).isEqualTo(ReportRules.Outcome.NOTHING);
        assertThat(RULES.afterReport(STAFF, 10, many)).isEqualTo(ReportRules.Outcome.NOTHING);
    }
}
