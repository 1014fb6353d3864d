package nl.kring.server.shared;

import java.util.Optional;
import nl.kring.server.protocol.WireNamed;

/** The only age information Kring keeps about a member: a band, never a birth date. */
public enum AgeBand implements WireNamed {
    AGE_12_15("12-15"),
    AGE_16_17("16-17"),
    AGE_18_21("18-21"),
    AGE_22_25("22-25"),
    AGE_26_PLUS("26+");

    private final String wireName;

    AgeBand(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<AgeBand> fromWireName(String name) {
        return WireNamed.parse(AgeBand.class, name);
    }
}
