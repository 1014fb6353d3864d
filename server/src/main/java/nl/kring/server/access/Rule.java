package nl.kring.server.access;

/** One cell of the permission table. */
public enum Rule {
    /** Allowed (room conditions such as age band, region, read-only and capacity still apply to members). */
    YES("yes"),
    /** Refused. */
    NO("—"),
    /** Only for the people the room was opened for (a one-to-one talk's member and host). */
    PARTICIPANT("participants");

    private final String label;

    Rule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
