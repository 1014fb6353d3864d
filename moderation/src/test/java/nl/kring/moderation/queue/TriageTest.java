package nl.kring.moderation.queue;

import java.time.Instant;
import nl.kring.moderation.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TriageTest {

    @Test
    void imminentRiskRanksAboveEveryOtherSeverityAndIsDueFirst() {
        assertThat(Triage.rank(Severity.IMMINENT)).isGreaterThan(Triage.rank(Severity.HIGH));
        assertThat(Triage.rank(Severity.HIGH)).isGreaterThan(Triage.rank(Severity.MEDIUM));
        assertThat(Triage.rank(Severity.MEDIUM)).isGreaterThan(Triage.rank(Severity.LOW));
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        assertThat(Triage.due(Severity.IMMINENT, t)).isEqualTo(Instant.parse("2026-11-24T10:02:00Z"));
        assertThat(Triage.due(Severity.HIGH, t)).isBefore(Triage.due(Severity.MEDIUM, t));
        assertThat(Triage.due(Severity.MEDIUM, t)).isBefore(Triage.due(Severity.LOW, t));
    }

    @Test
    void aReportTakesTheMoreSeriousOfItsCategoryAndWhatChatsafeFindsAndStaffEscalationsAreAtLeastHigh() {
        assertThat(Triage.ofReport("spam", Severity.NONE, false)).isEqualTo(Severity.LOW);
        assertThat(Triage.ofReport("unsafe", Severity.NONE, false)).isEqualTo(Severity.HIGH);
        assertThat(Triage.ofReport("other", Severity.IMMINENT, false)).isEqualTo(Severity.IMMINENT);
        assertThat(Triage.ofReport("spam", Severity.LOW, true)).isEqualTo(Severity.HIGH);
        assertThatThrownBy(() -> Triage.ofReport("boring", Severity.NONE, false)).hasMessageContaining("boring");
    }

    @Test
    void actionsParseFromTheirWireNamesAndOnlyOutcomesResolveAnItem() {
        assertThat(ModAction.fromWireName("release")).isEqualTo(ModAction.RELEASE);
        assertThat(ModAction.RELEASE.terminal()).isTrue();
        assertThat(ModAction.WARN.terminal()).isFalse();
        assertThat(ModAction.MUTE.terminal()).isFalse();
        assertThat(ModAction.ESCALATE.terminal()).isFalse();
        assertThatThrownBy(() -> ModAction.fromWireName("shout")).hasMessageContaining("shout");
    }

    @Test
    void aFallbackRefusesAnEmptyNoticeAndAnAbsurdSlowMode() {
        assertThat(Fallback.DEFAULTS.holdFlagged()).isTrue();
        assertThatThrownBy(() -> new Fallback(0, true, " ")).hasMessageContaining("notice");
        assertThatThrownBy(() -> new Fallback(3601, true, "x")).hasMessageContaining("slowModeSeconds");
    }

    @Test
    void withoutAModeratorTheDefaultFallbackHoldsEveryFlaggedMessageKeepsItsPromptAndLeavesPlainOnesAlone() {
        nl.kring.moderation.chatsafe.Classifier classifier = nl.kring.moderation.chatsafe.Classifier.builtIn();
        nl.kring.moderation.Policy policy = nl.kring.moderation.Policy.defaults();
        var heavy = classifier.classify("ik denk de laatste tijd echt vaak aan zelfmoord");
        var plain = classifier.classify("hoe laat begint de groep?");
        assertThat(policy.decide(heavy)).contains(nl.kring.moderation.Action.DELIVER);
        assertThat(Fallback.DEFAULTS.apply(heavy, policy.decide(heavy)))
                .contains(nl.kring.moderation.Action.HOLD, nl.kring.moderation.Action.PROMPT)
                .doesNotContain(nl.kring.moderation.Action.DELIVER);
        assertThat(Fallback.DEFAULTS.apply(plain, policy.decide(plain))).isEqualTo(policy.decide(plain));
        Fallback open = new Fallback(30, false, "Geen moderator; bel 113 bij nood.");
        assertThat(open.apply(heavy, policy.decide(heavy))).isEqualTo(policy.decide(heavy));
    }
}

