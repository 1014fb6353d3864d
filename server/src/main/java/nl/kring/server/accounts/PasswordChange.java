package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

/**
 * A staff member's own password change (every other session of theirs ends, its sockets close
 * with 4500), and an admin's reset to a temporary password. Hashing runs off the event loop. Thread-safe.
 */
final class PasswordChange {

    private final Vertx vertx;
    private final Database db;
    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final SessionEnds ends;
    /** Change attempts per user: 5 at once, then one a minute, so that a stolen session cannot guess the password. */
    private final RateLimiter<Long> attempts;

    PasswordChange(Vertx vertx, Database db, AccountRepository accounts, PasswordHasher hasher, SessionEnds ends,
                   RateLimiter.Factory limits) {
        this.vertx = vertx;
        this.db = db;
        this.accounts = accounts;
        this.hasher = hasher;
        this.ends = ends;
        this.attempts = limits.create("password-changes", 1.0 / 60, 5, 100_000);
    }

    /**
     * Replaces the password of the signed-in staff member: {@code forbidden} for a member or a
     * wrong current password, {@code bad_request} for a new one that {@link PasswordPolicy} refuses
     * or that equals the current one, {@code rate_limited} after 5 tries. Audited.
     */
    Future<Void> change(Principal p, String current, String next) {
        if (p.isMember()) {
            return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "a member has no password"));
        }
        if (current == null || current.isEmpty() || current.length() > PasswordPolicy.MAX_LENGTH) {
            return Future.failedFuture(KringException.badRequest("currentPassword is required"));
        }
        String problem = PasswordPolicy.problem(next);
        if (problem != null) {
            return Future.failedFuture(KringException.badRequest(problem));
        }
        if (next.equals(current)) {
            return Future.failedFuture(KringException.badRequest("newPassword must differ from currentPassword"));
        }
        return attempts.acquire(p.userId())
                .compose(wait -> wait > 0
                        ? Future.failedFuture(new KringException(ErrorCode.RATE_LIMITED, "too many attempts, try again later", wait))
                        : accounts.findStaff(p.userId()).recover(t -> Future.failedFuture(db.failure(t))))
                .compose(staff -> vertx.executeBlocking(() -> staff.isPresent()
                        && hasher.verify(current, staff.get().passwordHash()), false))
                .compose(ok -> ok ? hash(next)
                        : Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "the current password is wrong")))
                .compose(hash -> accounts.changePassword(p.userId(), p.sessionId(), hash, conn -> AuditLog.record(conn,
                                p.userId(), "staff.password_changed", null, p.userId(), null, null, null, null))
                        .recover(t -> Future.failedFuture(db.failure(t))))
                .map(ended -> {
                    ends.endedOthers(p.userId(), ended);
                    return null;
                });
    }

    /**
     * An admin's reset of a staff member's password: a temporary password (16 symbols of 31, about
     * 79 bits, easy to read aloud) replaces theirs, with which they must choose a new one at sign-in;
     * every session of theirs ends (4500), and {@code audit} is written in the same transaction.
     * The temporary password is returned once and stored only as its hash.
     */
    Future<String> reset(long userId, Function<SqlConnection, Future<Void>> audit) {
        String password = Secrets.newInviteCode();
        return hash(password)
                .compose(hash -> accounts.resetPassword(userId, hash, audit).recover(t -> Future.failedFuture(db.failure(t))))
                .map(ended -> {
                    ends.forgetUser(userId, CloseCode.SESSION_ENDED);
                    return password;
                });
    }

    private Future<String> hash(String password) {
        return vertx.executeBlocking(() -> hasher.hash(password), false);
    }
}
