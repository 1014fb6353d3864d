package nl.kring.server.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random credentials (session tokens, tickets, invite codes, public ids) and their hashes.
 * Tokens and codes are stored only as SHA-256 hashes: they carry 128+ bits of entropy, so a
 * fast hash is enough. Thread-safe.
 */
public final class Secrets {

    /** Invite code alphabet without look-alikes (no 0/O, 1/I/L) so codes survive being read aloud. */
    private static final char[] CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    private static final char[] ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A bearer token: 256 random bits, URL-safe. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "kr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A WebSocket ticket: 192 random bits. */
    public static String newTicket() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An invite code like {@code K7QX-M2PA-9RTE-HW4N}: 16 symbols of 31, about 79 bits. */
    public static String newInviteCode() {
        StringBuilder sb = new StringBuilder(19);
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)]);
        }
        return sb.toString();
    }

    /** Normalises a typed invite code: upper case, no spaces or dashes. */
    public static String normaliseInviteCode(String code) {
        return code.toUpperCase(java.util.Locale.ROOT).replaceAll("[\\s-]", "");
    }

    /** A pseudonymous public id for {@code author.id}: random, says nothing about the user. */
    public static String newPublicId() {
        StringBuilder sb = new StringBuilder("u_");
        for (int i = 0; i < 16; i++) {
            sb.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        return sb.toString();
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static String sha256Hex(String value) {
        return java.util.HexFormat.of().formatHex(sha256(value));
    }
}
