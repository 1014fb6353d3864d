package nl.kring.moderation.chatsafe;

import java.util.List;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * What the classifier made of a message: the most serious finding, every finding (the policy
 * acts on all of them: an ideation that also gives a phone number is both prompted and held),
 * and the model's uncertain findings: a score between "clearly fine" and "sure", which the policy
 * turns into a low-priority review (never a hold). Immutable.
 *
 * @param rule      the source of the most serious finding (a rule id or {@code model}), or {@code null} for none
 * @param uncertain the model's findings in its review band, severity {@code low}; empty when it is sure either way
 */
public record Classification(RiskCategory category, Severity severity, String rule, List<Finding> findings,
                             List<Finding> uncertain) {

    public static final Classification NONE = new Classification(RiskCategory.NONE, Severity.NONE, null, List.of());

    public Classification {
        findings = List.copyOf(findings);
        uncertain = List.copyOf(uncertain);
    }

    public Classification(RiskCategory category, Severity severity, String rule, List<Finding> findings) {
        this(category, severity, rule, findings, List.of());
    }

    /** Whether any (sure) finding has this category. */
    public boolean has(RiskCategory c) {
        for (Finding f : findings) {
            if (f.category() == c) {
                return true;
            }
        }
        return false;
    }

    /** The most serious uncertain finding, or null. */
    public Finding topUncertain() {
        Finding top = null;
        for (Finding f : uncertain) {
            if (top == null || Classifier.outranks(f, top) || (f.category() == top.category() && f.score() > top.score())) {
                top = f;
            }
        }
        return top;
    }

    /** Every finding's explanation (sure ones first), for moderators. */
    public List<String> explanations() {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(findings.size() + uncertain.size());
        for (Finding f : findings) {
            out.add(f.explain());
        }
        for (Finding f : uncertain) {
            out.add("? " + f.explain());
        }
        return out;
    }
}
