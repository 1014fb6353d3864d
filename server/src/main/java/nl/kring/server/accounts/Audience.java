package nl.kring.server.accounts;

import java.util.Optional;

/** Whom a member's invite was issued for: a young person, or a relative or carer (naaste). */
public enum Audience {
    MEMBER("member"),
    NAASTE("naaste");

    private final String wireName;

    Audience(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Audience> fromWireName(String name) {
        for (Audience a : values()) {
            if (a.wireName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
