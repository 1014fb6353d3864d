package nl.kring.server.access;

import java.util.Optional;

/** The kinds of room. {@code spreekuur} and {@code private} rooms are made by the eSpreekuren feature, not by hand. */
public enum RoomKind {
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

    public String wireName() {
        return wireName;
    }

    /** Whether an admin creates this kind through the rooms API. */
    public boolean createdByAdmins() {
        return createdByAdmins;
    }

    public static Optional<RoomKind> fromWireName(String name) {
        for (RoomKind k : values()) {
            if (k.wireName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
