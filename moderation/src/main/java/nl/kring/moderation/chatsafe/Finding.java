package nl.kring.moderation.chatsafe;

import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * One rule that matched: its category, severity and id. Words are not kept (no content leaves
 * the classifier but the rule id).
 */
public record Finding(RiskCategory category, Severity severity, String rule) {
}
