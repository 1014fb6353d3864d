package nl.kring.moderation;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.chatsafe.Finding;

/**
 * A community's #chatsafe policy: for each category (and, where set, category and severity)
 * the actions to take. The defaults follow the #chatsafe guidelines and are justified in
 * {@code docs/safety.md}. A message with several findings gets the union of their actions,
 * with {@code deliver} dropped when any of them holds. Immutable and thread-safe.
 */
public final class Policy {

    private static final Map<RiskCategory, Set<Action>> DEFAULTS = new EnumMap<>(RiskCategory.class);

    static {
        DEFAULTS.put(RiskCategory.NONE, EnumSet.of(Action.DELIVER));
        DEFAULTS.put(RiskCategory.SUICIDAL_IDEATION, EnumSet.of(Action.DELIVER, Action.PROMPT));
        DEFAULTS.put(RiskCategory.SELF_HARM, EnumSet.of(Action.DELIVER, Action.PROMPT));
        DEFAULTS.put(RiskCategory.THIRD_PARTY_RISK, EnumSet.of(Action.DELIVER, Action.PROMPT));
        DEFAULTS.put(RiskCategory.METHOD_DETAIL, EnumSet.of(Action.HOLD, Action.PROMPT));
        DEFAULTS.put(RiskCategory.PII, EnumSet.of(Action.HOLD));
        DEFAULTS.put(RiskCategory.HARASSMENT, EnumSet.of(Action.HOLD));
        DEFAULTS.put(RiskCategory.IMMINENT_RISK, EnumSet.of(Action.HOLD, Action.ALERT, Action.PROMPT));
    }

    /**
     * The model's uncertain findings (severity {@code low} in a category whose findings are
     * otherwise medium or more): delivered and reviewed later; for the author's own risk with a
     * gentle prompt.
     */
    private static final Map<RiskCategory, Set<Action>> UNCERTAIN = new EnumMap<>(RiskCategory.class);

    static {
        UNCERTAIN.put(RiskCategory.SUICIDAL_IDEATION, EnumSet.of(Action.DELIVER, Action.PROMPT, Action.REVIEW));
        UNCERTAIN.put(RiskCategory.SELF_HARM, EnumSet.of(Action.DELIVER, Action.PROMPT, Action.REVIEW));
        UNCERTAIN.put(RiskCategory.IMMINENT_RISK, EnumSet.of(Action.DELIVER, Action.PROMPT, Action.REVIEW));
        UNCERTAIN.put(RiskCategory.METHOD_DETAIL, EnumSet.of(Action.DELIVER, Action.REVIEW));
        UNCERTAIN.put(RiskCategory.THIRD_PARTY_RISK, EnumSet.of(Action.DELIVER, Action.REVIEW));
    }

    private final Map<String, Set<Action>> overrides;

    private Policy(Map<String, Set<Action>> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    public static Policy defaults() {
        return new Policy(Map.of());
    }

    /**
     * A policy with a community's overrides: keys are a category ({@code self_harm}) or a category
     * and severity ({@code harassment.medium}); values are action names. Throws
     * {@link IllegalArgumentException} naming the bad key or action.
     */
    public static Policy withOverrides(Map<String, List<String>> settings) {
        Map<String, Set<Action>> parsed = new HashMap<>();
        for (Map.Entry<String, List<String>> e : settings.entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 2);
            RiskCategory.fromWireName(parts[0]);
            if (parts.length == 2) {
                Severity.fromWireName(parts[1]);
            }
            Set<Action> actions = EnumSet.noneOf(Action.class);
            for (String a : e.getValue()) {
                try {
                    actions.add(Action.fromWireName(a));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("unknown action '" + a + "' for " + key);
                }
            }
            if (actions.isEmpty()) {
                throw new IllegalArgumentException(key + " needs at least one action");
            }
            parsed.put(key, actions);
        }
        return new Policy(parsed);
    }

    /** The actions for one category and severity. */
    public Set<Action> actions(RiskCategory category, Severity severity) {
        Set<Action> specific = overrides.get(category.wireName() + "." + severity.wireName());
        if (specific != null) {
            return specific;
        }
        if (severity == Severity.LOW && UNCERTAIN.containsKey(category)) {
            return UNCERTAIN.get(category);
        }
        Set<Action> general = overrides.get(category.wireName());
        return general != null ? general : DEFAULTS.get(category);
    }

    /**
     * The actions for a classified message: the union over its findings and its uncertain
     * findings, never both deliver and hold. An uncertain finding never holds: a community that
     * wants that says so for the category and severity {@code low} ({@code "imminent_risk.low"}).
     */
    public Set<Action> decide(Classification c) {
        if (c.findings().isEmpty() && c.uncertain().isEmpty()) {
            return actions(RiskCategory.NONE, Severity.NONE);
        }
        Set<Action> out = EnumSet.noneOf(Action.class);
        for (Finding f : c.findings()) {
            out.addAll(actions(f.category(), f.severity()));
        }
        for (Finding f : c.uncertain()) {
            out.addAll(actions(f.category(), f.severity()));
        }
        if (out.contains(Action.HOLD)) {
            out.remove(Action.DELIVER);
            out.remove(Action.CONTENT_WARNING);
        }
        return out;
    }

    /** One word for a decision, for the command line and logs: hold_alert, hold, warn, prompt, review or deliver. */
    public static String summary(Set<Action> actions) {
        if (actions.contains(Action.HOLD)) {
            return actions.contains(Action.ALERT) ? "hold_alert" : "hold";
        }
        if (actions.contains(Action.CONTENT_WARNING)) {
            return "warn";
        }
        if (actions.contains(Action.PROMPT)) {
            return "prompt";
        }
        return actions.contains(Action.REVIEW) ? "review" : "deliver";
    }
}
