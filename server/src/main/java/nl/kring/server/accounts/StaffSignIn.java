package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Locale;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.limits.FailureLimits;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.KringMetrics.AccountEvent;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff sign-in with e-mail, password and, when enrolled, a TOTP code; counted by outcome.
 * Failures (wrong passwords and wrong codes) are limited per source, per (address, source), and,
 * for sources that have failed before, per address and in total ({@link FailureLimits}), so that
 * spraying and guessing are bounded and nobody can lock a staff member out. Password hashing runs
 * off the event loop. Thread-safe.
 */
final class StaffSignIn {

    private static final Logger log = LoggerFactory.getLogger(StaffSignIn.class);

    private final Vertx vertx;
    private final KringConfig config;
    private final Database db;
    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final TotpCodes totp;
    private final RecoveryCodes recoveryCodes;
    private final SessionTokens tokens;
    private final KringMetrics metrics;
    /** Failed sign-ins (wrong TOTP codes included) per source, per e-mail address (hashed) and in total. */
    private final FailureLimits failures;

    StaffSignIn(Vertx vertx, KringConfig config, Database db, AccountRepository accounts, PasswordHasher hasher, TotpCodes totp,
                RecoveryCodes recoveryCodes, SessionTokens tokens, KringMetrics metrics, RateLimiter.Factory limits) {
        this.recoveryCodes = recoveryCodes;
        this.vertx = vertx;
        this.config = config;
        this.db = db;
        this.accounts = accounts;
        this.hasher = hasher;
        this.totp = totp;
        this.tokens = tokens;
        this.metrics = metrics;
        KringConfig.SignInLimits l = config.signIn();
        this.failures = FailureLimits.hourly(limits, "logins", l.loginPerSource(), l.loginPerAddressSource(), l.loginPerAddress(),
                l.loginTotal());
    }

    /**
     * Staff sign-in. An unknown e-mail and a wrong password fail alike and take alike long; a
     * staff member with a second factor also needs {@code totp} ({@code totp_required} when it is
     * missing after a right password); a recovery code ({@link RecoveryCodes}) may stand in for
     * {@code totp}, once, and a wrong one counts as a failure like a wrong code. A hash made with
     * weaker parameters than today's is replaced on the way. {@code source} is the client's network
     * address (a limiter key only).
     */
    Future<AuthService.SignedIn> login(String email, String password, String totp, String recoveryCode, String source) {
        return checkLogin(email, password, totp, recoveryCode, source).onComplete(ar -> {
            AccountEvent event = ar.succeeded() ? AccountEvent.LOGIN_OK : AccountEvent.login(KringException.from(ar.cause()).code());
            if (event != null) {
                metrics.accountEvent(event);
            }
        });
    }

    private Future<AuthService.SignedIn> checkLogin(String email, String password, String totp, String recoveryCode, String source) {
        if (email == null || password == null || email.length() > 254 || password.length() > 1024) {
            return Future.failedFuture(KringException.badRequest("email and password are required"));
        }
        if (totp != null && totp.length() > 16) {
            return Future.failedFuture(KringException.badRequest("totp must be the 6-digit code"));
        }
        if (recoveryCode != null && recoveryCode.length() > 32) {
            return Future.failedFuture(KringException.badRequest("recoveryCode must be one of your recovery codes"));
        }
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        return failures.begin(Secrets.sha256Hex(normalised), source).compose(attempt -> attempt.refusedForMillis() > 0
                ? Future.failedFuture(new KringException(ErrorCode.RATE_LIMITED, "too many attempts, try again later",
                        attempt.refusedForMillis()))
                : verify(normalised, password, totp, recoveryCode).onComplete(ar -> {
                    if (ar.failed() && KringException.from(ar.cause()).code() == ErrorCode.LOGIN_FAILED) {
                        attempt.failed();
                    } else {
                        attempt.succeeded();
                    }
                }));
    }

    private Future<AuthService.SignedIn> verify(String normalised, String password, String totp, String recoveryCode) {
        return accounts.findStaff(normalised)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(staff -> vertx.executeBlocking(
                        () -> hasher.verify(password, staff.map(AccountRepository.StaffCredentials::passwordHash).orElse(null)), false)
                        .compose(ok -> {
                            if (!ok || staff.isEmpty()) {
                                return Future.failedFuture(loginFailed());
                            }
                            AccountRepository.StaffCredentials account = staff.get();
                            return secondFactor(account, totp, recoveryCode)
                                    .compose(v -> rehashIfWeak(account, password))
                                    .compose(v -> tokens.open(account.userId(), Instant.now().plus(config.staffSessionTtl())));
                        }));
    }

    private Future<Void> secondFactor(AccountRepository.StaffCredentials account, String code, String recoveryCode) {
        if (!account.totpEnabled()) {
            return Future.succeededFuture();
        }
        if (code == null && recoveryCode != null) {
            return recoveryCodes.use(account.userId(), recoveryCode)
                    .compose(ok -> ok ? Future.<Void>succeededFuture() : Future.failedFuture(loginFailed()));
        }
        if (code == null) {
            return Future.failedFuture(new KringException(ErrorCode.TOTP_REQUIRED, "enter the code from your authenticator app"));
        }
        return totp.use(account.userId(), account.totpSecret(), code)
                .compose(ok -> ok ? Future.<Void>succeededFuture() : Future.failedFuture(loginFailed()));
    }

    /** Replaces a hash made with weaker parameters; a failure is logged and does not stop the sign-in. */
    private Future<Void> rehashIfWeak(AccountRepository.StaffCredentials account, String password) {
        if (!hasher.needsRehash(account.passwordHash())) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> hasher.hash(password), false)
                .compose(hash -> accounts.updatePasswordHash(account.userId(), hash))
                .onSuccess(v -> log.info("password hash upgraded [user: {}]", account.userId()))
                .recover(t -> {
                    log.warn("password rehash failed [user: {}]", account.userId());
                    return Future.succeededFuture();
                });
    }

    private static KringException loginFailed() {
        return new KringException(ErrorCode.LOGIN_FAILED, "e-mail address, password or code is wrong");
    }
}
