package nl.kring.moderation.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * How urgent a queue item is. The queue is ordered by rank (imminent risk first, then
 * severity), then by age; each severity has a due time by which a human should have acted
 * (an operator's alert fires when the oldest item passes it). Reports carry the severity of
 * their category, raised to what #chatsafe finds in the message; an escalation by a peer expert
 * or professional is at least {@code high}. Stateless.
 *
 * <p>Due times follow the practice of crisis lines that triage by severity (imminent risk is
 * seen within minutes, everyday reports within hours): imminent 2 minutes, high 15 minutes,
 * medium 1 hour, low 4 hours.
 */
public final class Triage {

    /** Report categories of the protocol and the severity each starts at. */
    static final Map<String, Severity> REPORT_SEVERITY = Map.of(
            "unsafe", Severity.HIGH,
            "bullying", Severity.MEDIUM,
            "privacy", Severity.MEDIUM,
            "spam", Severity.LOW,
            "other", Severity.LOW);

    private Triage() {
    }

    /** Sort key, higher first: imminent 4, high 3, medium 2, low 1, none 0. */
    public static int rank(Severity s) {
        return s.ordinal();
    }

    /** How long an item of this severity may wait for a human. */
    public static Duration dueIn(Severity s) {
        return switch (s) {
            case IMMINENT -> Duration.ofMinutes(2);
            case HIGH -> Duration.ofMinutes(15);
            case MEDIUM -> Duration.ofHours(1);
            case LOW, NONE -> Duration.ofHours(4);
        };
    }

    public static Instant due(Severity s, Instant created) {
        return created.plus(dueIn(s));
    }

    /**
     * The severity of a reported message: the report category's, or what #chatsafe finds in the
     * message when that is more serious; at least high when staff escalate it.
     */
    public static Severity ofReport(String reportCategory, Severity classified, boolean byStaff) {
        Severity s = REPORT_SEVERITY.get(reportCategory);
        if (s == null) {
            throw new IllegalArgumentException("unknown report category: " + reportCategory);
        }
        s = max(s, classified);
        return byStaff ? max(s, Severity.HIGH) : s;
    }

    /**
     * The severity of a review item (a delivered message #chatsafe's model was unsure about): below
     * a sure finding of its category, and above the everyday low for the author's own acute risk:
     * imminent risk high (15 minutes), method detail medium (an hour), everything else low.
     */
    public static Severity ofReview(RiskCategory unsure) {
        return switch (unsure) {
            case IMMINENT_RISK -> Severity.HIGH;
            case METHOD_DETAIL -> Severity.MEDIUM;
            default -> Severity.LOW;
        };
    }

    public static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
