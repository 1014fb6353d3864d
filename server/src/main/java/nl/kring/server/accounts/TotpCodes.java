package nl.kring.server.accounts;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import nl.kring.server.db.Database;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TOTP codes of the second factor: which roles must enrol one when KRING_REQUIRE_TOTP is on, and
 * accepting a code once (right code, within one step of now, its step not used before; the step
 * is stored in PostgreSQL, so a replay fails on every node). Secrets are stored sealed with the
 * server key ({@link SecretBox}); one stored in plain text before that is sealed at its first
 * good use. Thread-safe.
 */
final class TotpCodes {

    /** Roles that must enrol a second factor when KRING_REQUIRE_TOTP is on. */
    static final Set<Role> ROLES = Set.of(Role.MODERATOR, Role.ADMIN, Role.OPERATOR);

    private static final Logger log = LoggerFactory.getLogger(TotpCodes.class);

    private final Database db;
    private final AccountRepository accounts;
    private final SecretBox box;
    /**
     * Confirm and remove attempts per user: 5 at once, then one a minute (about 1,440 guesses a
     * day at 3 valid codes in a million: 0.4 %). Sign-in has its own limit per e-mail address.
     */
    private final RateLimiter<Long> attempts;

    TotpCodes(Database db, AccountRepository accounts, SecretBox box, RateLimiter.Factory limits) {
        this.db = db;
        this.accounts = accounts;
        this.box = box;
        this.attempts = limits.create("totp-attempts", 1.0 / 60, 5, 100_000);
    }

    /** A new secret, sealed for storage. */
    String seal(long userId, String secret) {
        return box.seal(userId, secret);
    }

    /**
     * Accepts a TOTP code for this account once: right code, within one step of now, not used
     * before. {@code stored} is the column as read (sealed, or plain from before).
     */
    Future<Boolean> use(long userId, String stored, String code) {
        String secret = box.open(userId, stored);
        OptionalLong step = Totp.verify(secret, code, null, Instant.now());
        if (step.isEmpty()) {
            return Future.succeededFuture(false);
        }
        return accounts.useTotpStep(userId, step.getAsLong()).recover(t -> Future.failedFuture(db.failure(t)))
                .compose(ok -> ok && !SecretBox.isSealed(stored) ? sealPlain(userId, stored).map(true) : Future.succeededFuture(ok));
    }

    /** {@link #use} for confirming or removing a factor: {@code rate_limited} after 5 tries within a few minutes. */
    Future<Boolean> useLimited(long userId, String stored, String code) {
        return attempts.acquire(userId).compose(wait -> wait > 0
                ? Future.failedFuture(new KringException(ErrorCode.RATE_LIMITED, "too many codes tried, try again later", wait))
                : use(userId, stored, code));
    }

    /** Replaces a secret stored in plain text by its sealed form; a failure is logged and tried again at the next use. */
    private Future<Void> sealPlain(long userId, String plain) {
        return accounts.replaceTotpSecret(userId, plain, box.seal(userId, plain))
                .onSuccess(v -> log.info("TOTP secret encrypted [user: {}]", userId))
                .recover(t -> {
                    log.warn("TOTP secret not yet encrypted [user: {}]", userId);
                    return Future.succeededFuture();
                });
    }
}
