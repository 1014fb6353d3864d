package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.Set;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff accounts coming into being: one created through the admin API, and the installation-wide
 * admin from {@code KRING_ADMIN_*} at start-up. Passwords are hashed off the event loop.
 * Thread-safe.
 */
final class StaffAccounts {

    private static final Logger log = LoggerFactory.getLogger(StaffAccounts.class);

    private final Vertx vertx;
    private final KringConfig config;
    private final Database db;
    private final AccountRepository accounts;
    private final PasswordHasher hasher;

    StaffAccounts(Vertx vertx, KringConfig config, Database db, AccountRepository accounts, PasswordHasher hasher) {
        this.vertx = vertx;
        this.config = config;
        this.db = db;
        this.accounts = accounts;
        this.hasher = hasher;
    }

    /** Creates a staff account (admin API); {@code conflict} when the e-mail is taken. */
    Future<Long> create(Role role, String displayName, String email, String realName, String password,
                        boolean allCommunities, Set<String> communities) {
        return vertx.executeBlocking(() -> hasher.hash(password), false)
                .compose(hash -> accounts.createStaff(role, displayName, email.toLowerCase(Locale.ROOT), realName, hash,
                        allCommunities, communities))
                .recover(t -> Future.failedFuture(Database.isUniqueViolation(t)
                        ? new KringException(ErrorCode.CONFLICT, "a staff account with this e-mail address exists")
                        : db.failure(t)));
    }

    /** Creates the installation-wide admin from KRING_ADMIN_* when no admin exists yet. */
    Future<Void> bootstrapAdmin() {
        if (config.adminEmail().isEmpty()) {
            return Future.succeededFuture();
        }
        String email = config.adminEmail().get();
        if (config.adminPassword().orElse("").length() < PasswordPolicy.RECOMMENDED_LENGTH) {
            log.warn("KRING_ADMIN_PASSWORD is shorter than {} characters; choose a longer one", PasswordPolicy.RECOMMENDED_LENGTH);
        }
        return accounts.anyAdmin().compose(exists -> {
            if (exists) {
                return Future.<Void>succeededFuture();
            }
            return vertx.executeBlocking(() -> hasher.hash(config.adminPassword().orElseThrow()), false)
                    .compose(hash -> accounts.createStaff(Role.ADMIN, "Beheerder", email, null, hash, true, Set.of()))
                    .onSuccess(id -> log.info("bootstrap admin created"))
                    .mapEmpty();
        });
    }
}
