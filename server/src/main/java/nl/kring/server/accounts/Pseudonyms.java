package nl.kring.server.accounts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The protocol's pseudonym rules (3 to 24 letters, digits, '-' and '_') plus the privacy rule
 * that a pseudonym must not look like contact details. Pure and thread-safe.
 */
public final class Pseudonyms {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]{3,24}");
    /**
     * A phone number: all digits (eight or more, '-' or '_' between them), or a Dutch number
     * inside a name (06-12345678, 0031612345678, 020_1234567). Long digit runs that are no phone
     * number, like a year or a counter (user_1732459999), are allowed.
     */
    private static final Pattern PHONE_LIKE = Pattern.compile(
            "[0-9][0-9_-]{7,}|.*(?<![0-9])(\\+31|0031|0)[-_]?[1-9]([-_]?[0-9]){8}(?![0-9]).*");
    /** Words that make a pseudonym read as an e-mail address without the '@' (janjansen_gmail_com). */
    private static final Pattern EMAIL_LIKE = Pattern.compile(
            "(?i).*[-_](gmail|hotmail|outlook|live|icloud|yahoo|ziggo|kpnmail|home)[-_](com|nl|be).*|(?i).*[-_]at[-_].+[-_](com|nl|be)");

    private Pseudonyms() {
    }

    /** Empty when acceptable, else the reason in plain Dutch-friendly English for the error message. */
    public static Optional<String> problem(String pseudonym) {
        if (pseudonym == null || !ALLOWED.matcher(pseudonym).matches()) {
            return Optional.of("pseudonym must be 3 to 24 letters, digits, '-' or '_'");
        }
        if (PHONE_LIKE.matcher(pseudonym).matches()) {
            return Optional.of("pseudonym must not look like a phone number");
        }
        if (EMAIL_LIKE.matcher(pseudonym).matches()) {
            return Optional.of("pseudonym must not look like an e-mail address");
        }
        return Optional.empty();
    }
}
