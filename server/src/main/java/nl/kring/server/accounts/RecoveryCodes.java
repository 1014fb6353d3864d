package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import nl.kring.server.db.Database;

/**
 * Recovery codes of a staff member's second factor: ten at a time, each 12 characters from a
 * 31-character alphabet without look-alikes (about 59 bits of randomness, so a SHA-256 of the code is as safe to keep as a password hash
 * would be and costs nothing to check), shown once, kept hashed, each accepted once at sign-in in
 * place of a TOTP code. A new set replaces the old. Thread-safe.
 */
final class RecoveryCodes {

    static final int COUNT = 10;
    private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    static final String FORGET = "DELETE FROM totp_recovery_codes WHERE user_id = $1";
    static final String ADD = "INSERT INTO totp_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])";
    static final String USE = """
            UPDATE totp_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING 1""";

    private final Database db;

    RecoveryCodes(Database db) {
        this.db = db;
    }

    /** A new set for this user, replacing the old one; the codes as the user sees them ("k7qm-2xhd-9prt"). */
    Future<List<String>> replace(long userId) {
        List<String> codes = new ArrayList<>();
        byte[][] hashes = new byte[COUNT][];
        for (int i = 0; i < COUNT; i++) {
            String code = newCode();
            codes.add(code);
            hashes[i] = Secrets.sha256(normalise(code));
        }
        return db.pool().withTransaction(conn -> conn.preparedQuery(FORGET).execute(Tuple.of(userId))
                        .compose(v -> conn.preparedQuery(ADD).execute(Tuple.of(userId, (Object) hashes(hashes)))))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(codes);
    }

    /** Accepts a code once; false when it is wrong or was used. */
    Future<Boolean> use(long userId, String code) {
        return db.pool().preparedQuery(USE).execute(Tuple.of(userId, io.vertx.core.buffer.Buffer.buffer(Secrets.sha256(normalise(code)))))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> rows.size() > 0);
    }

    /** Removes every code of the user (the second factor is removed). */
    static Future<Void> forget(SqlClient client, long userId) {
        return client.preparedQuery(FORGET).execute(Tuple.of(userId)).mapEmpty();
    }

    /** Lower case, without separators or spaces, as typed or pasted. */
    static String normalise(String code) {
        return code.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    static String newCode() {
        StringBuilder sb = new StringBuilder(14);
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static io.vertx.core.buffer.Buffer[] hashes(byte[][] raw) {
        io.vertx.core.buffer.Buffer[] out = new io.vertx.core.buffer.Buffer[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = io.vertx.core.buffer.Buffer.buffer(raw[i]);
        }
        return out;
    }
}
