package nl.kring.moderation.chatsafe;

import java.util.List;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * What the classifier made of a message: the most serious finding, and every finding (the
 * policy acts on all of them: an ideation that also gives a phone number is both prompted and
 * held). Immutable.
 *
 * @param rule the id of the rule behind the most serious finding, or {@code null} for none
 */
public record Classification(RiskCategory category, Severity severity, String rule, List<Finding> findings) {

    public static final Classification NONE = new Classification(RiskCategory.NONE, Severity.NONE, null, List.of());

    public Classification {
        findings = List.copyOf(findings);
    }

    /** Whether any finding has this category. */
    public boolean has(RiskCategory c) {
        for (Finding f : findings) {
            if (f.category() == c) {
                return true;
            }
        }
        return false;
    }
}
