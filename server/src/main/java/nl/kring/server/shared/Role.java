package nl.kring.server.shared;

import java.util.Optional;
import nl.kring.server.protocol.WireNamed;

/** Who someone is in Kring. Members are anonymous; the others are staff with a login (the operator included). */
public enum Role implements WireNamed {
    MEMBER("member"),
    PEER_EXPERT("peer_expert"),
    PROFESSIONAL("professional"),
    MODERATOR("moderator"),
    ADMIN("admin"),
    /** Runs the installation: communities and staff, never a conversation. */
    OPERATOR("operator");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public boolean isStaff() {
        return this != MEMBER;
    }

    public static Optional<Role> fromWireName(String name) {
        return WireNamed.parse(Role.class, name);
    }
}
