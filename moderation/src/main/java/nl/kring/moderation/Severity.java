package nl.kring.moderation;

import java.util.Locale;

/** How much a classified message weighs, lowest first. The policy maps category and severity to actions. */
public enum Severity {
    NONE, LOW, MEDIUM, HIGH, IMMINENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
