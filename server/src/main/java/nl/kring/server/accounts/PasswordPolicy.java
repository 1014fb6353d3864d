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
    /** Longest password accepted (Argon2 takes any length; this bounds the work a request can ask for). */
    public static final int MAX_LENGTH = 1024;

    private PasswordPolicy() {
    }

    /**
     * Why {@code password} may not become a staff member's new password, or {@code null} when it
     * may: too short, too long, or fewer than three different characters ("aaaaaaaa").
     */
    public static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "newPassword must be at least " + MIN_LENGTH + " characters";
        }
        if (password.length() > MAX_LENGTH) {
            return "newPassword must be at most " + MAX_LENGTH + " characters";
        }
        if (password.chars().distinct().count() < 3) {
            return "newPassword must not repeat one or two characters";
        }
        return null;
    }
}
