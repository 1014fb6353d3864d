package nl.kring.server.shared;

import java.util.Optional;
import nl.kring.server.protocol.WireNamed;

/** Whom a member's invite was issued for: a young person, or a relative or carer (naaste). */
public enum Audience implements WireNamed {
    MEMBER("member"),
    NAASTE("naaste");

    private final String wireName;

    Audience(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<Audience> fromWireName(String name) {
        return WireNamed.parse(Audience.class, name);
    }
}
