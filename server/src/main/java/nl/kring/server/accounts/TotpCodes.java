package nl.kring.server.accounts;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import nl.kring.server.db.Database;
import nl.kring.server.shared.Role;

/**
 * TOTP codes of the second factor: which roles must enrol one when KRING_REQUIRE_TOTP is on, and
 * accepting a code once (right code, within one step of now, its step not used before; the step
 * is stored in PostgreSQL, so a replay fails on every node). Thread-safe.
 */
final class TotpCodes {

    /** Roles that must enrol a second factor when KRING_REQUIRE_TOTP is on. */
    static final Set<Role> ROLES = Set.of(Role.MODERATOR, Role.ADMIN, Role.OPERATOR);

    private final Database db;
    private final AccountRepository accounts;

    TotpCodes(Database db, AccountRepository accounts) {
        this.db = db;
        this.accounts = accounts;
    }

    /** Accepts a TOTP code for this account once: right code, within one step of now, not used before. */
    Future<Boolean> use(long userId, String secret, String code) {
        OptionalLong step = Totp.verify(secret, code, null, Instant.now());
        if (step.isEmpty()) {
            return Future.succeededFuture(false);
        }
        return accounts.useTotpStep(userId, step.getAsLong()).recover(t -> Future.failedFuture(db.failure(t)));
    }
}
