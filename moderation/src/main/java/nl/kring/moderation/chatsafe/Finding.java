package nl.kring.moderation.chatsafe;

import java.util.List;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * One finding: its category, severity and source ({@code rule} is a rule id, or {@code model}
 * for the trained model), the score (1 for a rule; the model's calibrated probability of the
 * category) and why: for the model, the words of the message that weighed most for the category
 * (normalised), most weight first; empty for a rule, whose id says why. Shown to moderators only;
 * never logged.
 */
public record Finding(RiskCategory category, Severity severity, String rule, double score, List<String> why) {

    /** The source name of the trained model's findings. */
    public static final String MODEL = "model";

    public Finding {
        why = List.copyOf(why);
    }

    /** A rule's finding. */
    public Finding(RiskCategory category, Severity severity, String rule) {
        this(category, severity, rule, 1.0, List.of());
    }

    public boolean fromModel() {
        return MODEL.equals(rule);
    }

    /** One line for a moderator: "model 0.93: pillen, gespaard, alles" or the rule id. */
    public String explain() {
        if (!fromModel()) {
            return rule;
        }
        return String.format(java.util.Locale.ROOT, "%s %s %.2f%s%s", MODEL, category.wireName(), score,
                why.isEmpty() ? "" : ": ", String.join(", ", why));
    }
}
