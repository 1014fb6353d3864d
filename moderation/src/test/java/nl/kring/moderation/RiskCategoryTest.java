package nl.kring.moderation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RiskCategoryTest {

    @Test
    void wireNamesRoundTrip() {
        for (RiskCategory c : RiskCategory.values()) {
            assertThat(RiskCategory.fromWireName(c.wireName())).isSameAs(c);
        }
        assertThat(RiskCategory.IMMINENT_RISK.wireName()).isEqualTo("imminent_risk");
    }

    @Test
    void unknownNamesAreRefused() {
        assertThatThrownBy(() -> RiskCategory.fromWireName("sad")).isInstanceOf(IllegalArgumentException.class);
    }
}
