package nl.kring.server.accounts;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, as every authenticator
 * app expects). The one-time passwords come from java-otp; this class adds the verification
 * policy: one step of clock drift either way, and a step is never accepted twice (the caller
 * stores the accepted step and passes it back as {@code lastStep}). Thread-safe.
 */
public final class Totp {

    static final Duration STEP = Duration.ofSeconds(30);
    static final int DIGITS = 6;
    /** 160-bit secrets, as RFC 4226 recommends. */
    static final int SECRET_BYTES = 20;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base32 BASE32 = new Base32();

    private Totp() {
    }

    /** A new random secret, base32 without padding (how authenticator apps take it). */
    public static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return BASE32.encodeToString(bytes).replace("=", "");
    }

    /** The {@code otpauth://} URI an authenticator app reads (usually from a QR code). */
    public static String uri(String secret, String account, String issuer) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP.toSeconds();
    }

    /** The time step an instant falls in. */
    public static long step(Instant at) {
        return at.getEpochSecond() / STEP.toSeconds();
    }

    /** The code for a time step (for tests and for the enrolment check). */
    public static String code(String secret, long step) {
        try {
            TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(STEP, DIGITS);
            SecretKeySpec key = new SecretKeySpec(BASE32.decode(secret.toUpperCase(Locale.ROOT)), generator.getAlgorithm());
            return generator.generateOneTimePasswordString(key, Instant.ofEpochSecond(step * STEP.toSeconds()));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not a usable TOTP secret", e);
        }
    }

    /**
     * The step a code is valid for (now, one before or one after), newer than {@code lastStep};
     * empty when the code is wrong, malformed or was used already.
     */
    public static OptionalLong verify(String secret, String code, Long lastStep, Instant now) {
        if (secret == null || code == null) {
            return OptionalLong.empty();
        }
        String digits = code.replace(" ", "");
        if (digits.length() != DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long current = step(now);
        OptionalLong match = OptionalLong.empty();
        for (long s = current - 1; s <= current + 1; s++) {
            boolean equal = MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII),
                    digits.getBytes(StandardCharsets.US_ASCII));
            if (equal && (lastStep == null || s > lastStep) && match.isEmpty()) {
                match = OptionalLong.of(s);
            }
        }
        return match;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
