package nl.kring.moderation;

import java.util.List;
import java.util.Map;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.chatsafe.Finding;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTest {

    static Classification of(Finding... findings) {
        return new Classification(findings[0].category(), findings[0].severity(), findings[0].rule(), List.of(findings));
    }

    @Test
    void theDefaultsDeliverWithCareAndHoldWhatEndangersOthers() {
        Policy p = Policy.defaults();
        assertThat(p.decide(Classification.NONE)).containsExactly(Action.DELIVER);
        assertThat(p.actions(RiskCategory.SUICIDAL_IDEATION, Severity.MEDIUM)).containsExactlyInAnyOrder(Action.DELIVER, Action.PROMPT);
        assertThat(p.actions(RiskCategory.SELF_HARM, Severity.MEDIUM)).containsExactlyInAnyOrder(Action.DELIVER, Action.PROMPT);
        assertThat(p.actions(RiskCategory.THIRD_PARTY_RISK, Severity.MEDIUM)).containsExactlyInAnyOrder(Action.DELIVER, Action.PROMPT);
        assertThat(p.actions(RiskCategory.METHOD_DETAIL, Severity.HIGH)).contains(Action.HOLD).doesNotContain(Action.DELIVER);
        assertThat(p.actions(RiskCategory.PII, Severity.LOW)).containsExactly(Action.HOLD);
        assertThat(p.actions(RiskCategory.HARASSMENT, Severity.LOW)).containsExactly(Action.HOLD);
        assertThat(p.actions(RiskCategory.IMMINENT_RISK, Severity.IMMINENT))
                .containsExactlyInAnyOrder(Action.HOLD, Action.ALERT, Action.PROMPT);
    }

    @Test
    void aMessageWithSeveralFindingsGetsAllTheirCareButIsNeverBothDeliveredAndHeld() {
        Classification mixed = of(new Finding(RiskCategory.SUICIDAL_IDEATION, Severity.MEDIUM, "si.x"),
                new Finding(RiskCategory.PII, Severity.LOW, "pii.phone"));
        assertThat(Policy.defaults().decide(mixed)).containsExactlyInAnyOrder(Action.HOLD, Action.PROMPT);
        assertThat(Policy.summary(Policy.defaults().decide(mixed))).isEqualTo("hold");
    }

    @Test
    void aCommunityOverridesByCategoryOrByCategoryAndSeverity() {
        Policy p = Policy.withOverrides(Map.of("self_harm", List.of("deliver", "prompt", "content_warning"),
                "harassment.medium", List.of("hold", "alert")));
        assertThat(p.actions(RiskCategory.SELF_HARM, Severity.MEDIUM)).contains(Action.CONTENT_WARNING);
        assertThat(p.actions(RiskCategory.HARASSMENT, Severity.MEDIUM)).containsExactlyInAnyOrder(Action.HOLD, Action.ALERT);
        assertThat(p.actions(RiskCategory.HARASSMENT, Severity.LOW)).containsExactly(Action.HOLD);
        assertThatThrownBy(() -> Policy.withOverrides(Map.of("sadness", List.of("hold")))).hasMessageContaining("sadness");
        assertThatThrownBy(() -> Policy.withOverrides(Map.of("pii", List.of("shout")))).hasMessageContaining("shout");
    }
}
