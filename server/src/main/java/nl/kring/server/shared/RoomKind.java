package nl.kring.server.shared;

import java.util.Optional;
import nl.kring.server.protocol.WireNamed;

/** The kinds of room. {@code spreekuur} and {@code private} rooms are made by the eSpreekuren feature, not by hand. */
public enum RoomKind implements WireNamed {
    COMMUNITY("community", true),
    NAASTEN("naasten", true),
    AGE_BANDED("age_banded", true),
    SPREEKUUR("spreekuur", false),
    PRIVATE("private", false);

    private final String wireName;
    private final boolean createdByAdmins;

    RoomKind(String wireName, boolean createdByAdmins) {
        this.wireName = wireName;
        this.createdByAdmins = createdByAdmins;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** Whether an admin creates this kind through the rooms API. */
    public boolean createdByAdmins() {
        return createdByAdmins;
    }

    public static Optional<RoomKind> fromWireName(String name) {
        return WireNamed.parse(RoomKind.class, name);
    }
}
