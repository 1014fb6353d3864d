package nl.kring.server.accounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nl.kring.server.config.KringConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts TOTP secrets at rest with the server key (AES-256-GCM, a random 96-bit nonce per
 * secret, the user id as associated data so that a sealed secret cannot be moved to another
 * account). A sealed value reads {@code v1:<base64 of nonce and ciphertext>}; a value without
 * that prefix is a base32 secret stored before encryption came in and is read as it is (the
 * caller seals it again at its next use). Thread-safe.
 */
final class SecretBox {

    static final String PREFIX = "v1:";
    /** The file that holds a generated key when KRING_SECRET_KEY is not set. */
    static final String KEY_FILE = "secret.key";

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the server key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box of this installation: KRING_SECRET_KEY, or else a key generated once into the data directory. */
    static SecretBox of(KringConfig config) {
        if (config.secretKey().isPresent()) {
            return new SecretBox(Base64.getDecoder().decode(config.secretKey().get()));
        }
        Path file = config.dataDir().resolve(KEY_FILE);
        if (config.databaseUrl().isPresent() || config.cluster().enabled()) {
            log.warn("KRING_SECRET_KEY is not set: TOTP secrets are encrypted with the key in {}; set KRING_SECRET_KEY, "
                    + "the same on every node", file);
        }
        return new SecretBox(keyFile(file));
    }

    /**
     * Reads the key file, or makes it: written in full under another name, then linked into place,
     * so that two servers starting on one data directory end up with the same key.
     */
    static byte[] keyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), KEY_FILE, ".new");
                try {
                    Files.writeString(temp, Base64.getEncoder().encodeToString(fresh));
                    Files.createLink(file, temp);
                    log.info("generated the server key for TOTP secrets [file: {}]", file);
                } catch (FileAlreadyExistsException e) {
                    // another server made it first: use theirs
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the server key " + file, e);
        }
    }

    /** Encrypts a secret for this user. */
    String seal(long userId, String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated(userId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JVM", e);
        }
    }

    /**
     * The secret of this user as stored: decrypted, or as it is when it was stored before
     * encryption ({@link #isSealed}); {@code null} stays {@code null}. Fails when the value was
     * sealed with another key (KRING_SECRET_KEY changed) or for another user.
     */
    String open(long userId, String stored) {
        if (stored == null || !isSealed(stored)) {
            return stored;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD(associated(userId));
            return new String(cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a TOTP secret does not open with the server key (was KRING_SECRET_KEY changed?)", e);
        }
    }

    static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    private static byte[] associated(long userId) {
        return ("kring-totp:" + userId).getBytes(StandardCharsets.UTF_8);
    }
}
