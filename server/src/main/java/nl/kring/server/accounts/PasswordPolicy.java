package nl.kring.server.accounts;

/**
 * Staff password rules. The minimum follows NIST SP 800-63B (at least 8 characters, no
 * composition rules); the identity issue adds breached-password checks and MFA.
 */
public final class PasswordPolicy {

    /** Shortest password accepted for a staff account created through the API. */
    public static final int MIN_LENGTH = 8;
    /** Below this the bootstrap admin still starts, with a warning in the log. */
    public static final int RECOMMENDED_LENGTH = 12;

    private PasswordPolicy() {
    }
}
