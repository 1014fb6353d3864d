package nl.kring.server.access;

/** What someone may do. Room actions depend on the room's kind; the others apply to a whole community. */
public enum Action {
    JOIN("join", true),
    READ_HISTORY("read history", true),
    SEND("send", true),
    REPORT("report", true),
    MODERATE("moderate", true),
    MANAGE_ROOMS("manage rooms", true),
    ISSUE_INVITES("issue invites", false),
    MANAGE_STAFF("manage staff", false),
    MANAGE_COMMUNITY("manage community", false),
    GO_ON_DUTY("go on duty", false),
    HANDLE_ESCALATIONS("handle escalations", false),
    HOST_TALKS("host one-to-one talks", false),
    /** Make an admin account: installation-wide, for installation admins only (admins read conversations; operators do not). */
    CREATE_ADMINS("create admins", false),
    /** A room's slow mode, read-only and pinned notice, without its other settings (the moderators' console). */
    SET_ROOM_CONTROLS("set room controls", true),
    /** A community's live numbers (members online, open queue items): numbers only, no content. */
    SEE_LIVE_NUMBERS("see live numbers", false),
    /** The audit trail of staff actions (of the communities one works in; installation-wide staff: all). */
    READ_AUDIT("read the audit trail", false),
    /** VraagBaak (protocol section 9): ask the community a question. */
    ASK_QUESTIONS("ask questions", false),
    /** VraagBaak: see the community's unpublished questions (without the asker) and answer them. */
    ANSWER_QUESTIONS("answer questions", false),
    /** VraagBaak: the editors' work: see every question, assign, reword, clear risk, publish, return, reject. */
    EDIT_QUESTIONS("edit questions", false),
    /** The installation's status (nodes, connections, database, oldest queue item, alerts): installation-wide staff only. */
    SEE_INSTALLATION_STATUS("see installation status", false);

    private final String label;
    private final boolean roomScoped;

    Action(String label, boolean roomScoped) {
        this.label = label;
        this.roomScoped = roomScoped;
    }

    public String label() {
        return label;
    }

    /** Whether the answer depends on the room's kind. */
    public boolean roomScoped() {
        return roomScoped;
    }
}
