package nl.kring.server.shared;


/**
 * Who acts, as the permission table distinguishes them: the wire role, with members split by
 * the audience their invite was issued for (young people, or relatives and carers).
 */
public enum Actor {
    MEMBER("member"),
    NAASTE("member (naaste)"),
    PEER_EXPERT("peer_expert"),
    PROFESSIONAL("professional"),
    MODERATOR("moderator"),
    ADMIN("admin"),
    OPERATOR("operator");

    private final String label;

    Actor(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Actor of(Role role, Audience audience) {
        switch (role) {
            case MEMBER:
                return audience == Audience.NAASTE ? NAASTE : MEMBER;
            case PEER_EXPERT:
                return PEER_EXPERT;
            case PROFESSIONAL:
                return PROFESSIONAL;
            case MODERATOR:
                return MODERATOR;
            case ADMIN:
                return ADMIN;
            default:
                return OPERATOR;
        }
    }
}
