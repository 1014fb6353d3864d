package nl.kring.moderation;

/**
 * The #chatsafe categories that every message is classified into. The classifier and the
 * per-community policy that act on them are built by the #chatsafe issue; the names here
 * are the wire names used in prompts and in the moderation queue.
 */
public enum RiskCategory {
    NONE("none"),
    SUICIDAL_IDEATION("suicidal_ideation"),
    SELF_HARM("self_harm"),
    METHOD_DETAIL("method_detail"),
    IMMINENT_RISK("imminent_risk"),
    THIRD_PARTY_RISK("third_party_risk"),
    PII("pii"),
    HARASSMENT("harassment");

    private final String wireName;

    RiskCategory(String wireName) {
        this.wireName = wireName;
    }

    /** The snake_case name used on the wire and in data files. */
    public String wireName() {
        return wireName;
    }

    /** Looks a category up by its wire name; throws {@link IllegalArgumentException} for an unknown one. */
    public static RiskCategory fromWireName(String name) {
        for (RiskCategory c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown risk category: " + name);
    }
}
