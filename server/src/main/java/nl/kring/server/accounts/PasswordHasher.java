package nl.kring.server.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing with OWASP's minimum parameters (m=19456 KiB, t=2, p=1), stored as
 * a PHC string so that parameters can be raised later without invalidating old hashes.
 * CPU-heavy (tens of milliseconds): call from a worker thread, never an event loop. Thread-safe.
 */
public final class PasswordHasher {

    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Verified against when an e-mail address is unknown, so both failures take the same time. */
    private static final String DUMMY = new PasswordHasher().hash("kring-dummy-password-for-timing");

    public String hash(String password) {
        return hash(password, MEMORY_KIB, ITERATIONS, PARALLELISM);
    }

    /** Checks a password against a PHC string; {@code null} stored hash runs a dummy check and fails. */
    public boolean verify(String password, String stored) {
        if (stored == null) {
            verify(password, DUMMY);
            return false;
        }
        int[] params = parameters(stored);
        if (params == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = derive(password, salt, params[0], params[1], params[2], expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Whether a stored hash was made with weaker parameters than today's (or is not Argon2id):
     * the login that proves the password replaces it.
     */
    public boolean needsRehash(String stored) {
        int[] params = parameters(stored);
        return params == null || params[0] < MEMORY_KIB || params[1] < ITERATIONS || params[2] < PARALLELISM;
    }

    /** {m, t, p} of an Argon2id PHC string, or {@code null} when it is not one. */
    static int[] parameters(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id")) {
            return null;
        }
        int[] out = new int[3];
        try {
            for (String kv : parts[3].split(",")) {
                String[] pair = kv.split("=");
                switch (pair[0]) {
                    case "m" -> out[0] = Integer.parseInt(pair[1]);
                    case "t" -> out[1] = Integer.parseInt(pair[1]);
                    case "p" -> out[2] = Integer.parseInt(pair[1]);
                    default -> {
                        return null;
                    }
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
        return out;
    }

    /** A hash with chosen parameters (tests of the rehash path use weaker ones). */
    String hash(String password, int memoryKib, int iterations, int parallelism) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
