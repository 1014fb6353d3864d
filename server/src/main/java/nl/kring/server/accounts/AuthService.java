package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.peers.Peers;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;

/**
 * Who someone is, as the other packages ask it: sign-in of members ({@link MemberSignUp}) and
 * staff ({@link StaffSignIn}, with {@link TotpCodes}), bearer-token checks ({@link SessionTokens}),
 * WebSocket tickets ({@link WebSocketTickets}), the end of sessions ({@link SessionEnds}),
 * staff accounts ({@link StaffAccounts}) and their passwords ({@link PasswordChange}). This class builds those parts and passes each call on;
 * a staff member's display name and session list are its own. Thread-safe.
 */
public final class AuthService {

    /** Closes sockets on this node: of one auth session, or of every session of a user. */
    public interface SocketCloser {
        void closeSession(long sessionId);

        void closeUser(long userId, CloseCode code);
    }

    private final KringConfig config;
    private final Database db;
    private final AccountRepository accounts;
    private final PasswordHasher hasher = new PasswordHasher();
    private final SessionTokens tokens;
    private final TotpCodes totp;
    private final MemberSignUp signUp;
    private final StaffSignIn signIn;
    private final SessionEnds ends;
    private final WebSocketTickets tickets;
    private final StaffAccounts staff;
    private final PasswordChange passwords;
    private final Vertx vertx;
    private final RevocationWatch revocations;
    private final RecoveryCodes recoveryCodes;

    public AuthService(Vertx vertx, KringConfig config, Database db, KringMetrics metrics, RateLimiter.Factory limits) {
        this.config = config;
        this.db = db;
        this.accounts = new AccountRepository(db.pool());
        this.tokens = new SessionTokens(config, db, accounts);
        this.totp = new TotpCodes(db, accounts, SecretBox.of(config), limits);
        this.recoveryCodes = new RecoveryCodes(db);
        this.signIn = new StaffSignIn(vertx, config, db, accounts, hasher, totp, recoveryCodes, tokens, metrics, limits);
        this.signUp = new MemberSignUp(config, db, accounts, tokens, metrics, limits);
        TicketStore store = new TicketStore();
        this.ends = new SessionEnds(db, accounts, tokens, store);
        this.tickets = new WebSocketTickets(store, tokens);
        this.staff = new StaffAccounts(vertx, config, db, accounts, hasher);
        this.passwords = new PasswordChange(vertx, db, accounts, hasher, ends, limits);
        this.vertx = vertx;
        this.revocations = new RevocationWatch(db, ends);
    }

    /**
     * Looks in PostgreSQL every 500 ms for sessions revoked and users banned, disabled or erased
     * (here, on another node, or in SQL) and ends them on this node: within about a second even
     * when the cluster's notice is lost; see {@link RevocationWatch}. Once, from the server's start.
     */
    public void watchRevocations() {
        revocations.start(vertx);
    }

    public void onSocketsToClose(SocketCloser closer) {
        ends.onSocketsToClose(closer);
    }

    public AccountRepository accounts() {
        return accounts;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    /** The principal behind a bearer token; fails with {@code unauthorized}. */
    public Future<Principal> authenticate(String token) {
        return tokens.authenticate(token);
    }

    /**
     * Member sign-up with an invite code. {@code region} is optional (a province); {@code source} is
     * the client's network address, a key for the in-memory limits on wrong invites only.
     */
    public Future<SignedIn> joinAnonymous(String community, String inviteCode, String pseudonym, String ageBand, String region,
                                          String source) {
        return signUp.joinAnonymous(community, inviteCode, pseudonym, ageBand, region, source);
    }

    /** Staff sign-in with e-mail, password and, when enrolled, a TOTP code, from {@code source} ({@link StaffSignIn#login}). */
    public Future<SignedIn> login(String email, String password, String totp, String source) {
        return signIn.login(email, password, totp, null, source);
    }

    /** {@link #login}, where a recovery code of the second factor may stand in for the TOTP code (each code works once). */
    public Future<SignedIn> login(String email, String password, String totp, String recoveryCode, String source) {
        return signIn.login(email, password, totp, recoveryCode, source);
    }

    /** A new set of recovery codes for the second factor, replacing the old one; shown once. */
    public Future<List<String>> newRecoveryCodes(long userId) {
        return recoveryCodes.replace(userId);
    }

    /** Removes the recovery codes of a user whose second factor is removed. */
    public Future<Void> forgetRecoveryCodes(long userId) {
        return RecoveryCodes.forget(db.pool(), userId).recover(t -> Future.failedFuture(db.failure(t)));
    }

    /**
     * Accepts a TOTP code for this account once: right code, within one step of now, not used
     * before; {@code stored} is the secret as stored. For confirming and removing a factor:
     * {@code rate_limited} after 5 tries within a few minutes.
     */
    public Future<Boolean> useTotp(long userId, String stored, String code) {
        return totp.useLimited(userId, stored, code);
    }

    /** A TOTP secret sealed with the server key, for storing. */
    public String sealTotpSecret(long userId, String secret) {
        return totp.seal(userId, secret);
    }

    /** A staff member's own password change; see {@link PasswordChange#change}. */
    public Future<Void> changePassword(Principal p, String currentPassword, String newPassword) {
        return passwords.change(p, currentPassword, newPassword);
    }

    /**
     * An admin's reset of a staff member's password (with {@code audit} in the same transaction):
     * the temporary password, which they must replace at sign-in; see {@link PasswordChange#reset}.
     */
    public Future<String> resetPassword(long userId, Function<SqlConnection, Future<Void>> audit) {
        return passwords.reset(userId, audit);
    }

    /** A new session of the same account for another device (the member carries the token over, for example as a QR code). */
    public Future<SignedIn> newDeviceSession(Principal p) {
        return tokens.open(p.userId(), Instant.now().plus(p.isMember() ? config.memberSessionTtl() : config.staffSessionTtl()));
    }

    /** Ends the session behind this token: revoked in PostgreSQL, forgotten here, its tickets dropped and its sockets closed (4500). */
    public Future<Void> logout(Principal principal, String token) {
        return ends.logout(principal, token);
    }

    /** Ends one session of a user (a device they no longer trust); false when it was not open. */
    public Future<Boolean> endSession(long userId, long sessionId, String reason) {
        return ends.endSession(userId, sessionId, reason);
    }

    /** Ends every session of a user (ban: close 4503; erasure, revocation: 4500); see {@link SessionEnds#endUser}. */
    public Future<List<Long>> endUser(long userId, String reason, CloseCode code) {
        return ends.endUser(userId, reason, code);
    }

    /** Drops a user's cached sessions and tickets here and closes their sockets (after a ban or a change of their account). */
    public void forgetUser(long userId, CloseCode code) {
        ends.forgetUser(userId, code);
    }

    /**
     * Joins the cluster: sessions and users ended on another node are forgotten here within the
     * event bus's delay (not after the token cache's 30 s), and tickets this node issued can be
     * redeemed through any node (the load balancer may send the upgrade elsewhere).
     */
    public void joinCluster(Peers cluster) {
        ends.joinCluster(cluster);
        tickets.joinCluster(cluster);
    }

    /**
     * A staff member chooses the display name members see ("partly anonymous"). Sockets opened
     * from now on send with it, and history shows it for earlier messages too (history reads the
     * current name). Members keep the pseudonym they joined with.
     */
    public Future<Principal> changeDisplayName(Principal p, String token, String displayName) {
        if (p.isMember()) {
            return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "a member's pseudonym cannot be changed"));
        }
        if (displayName == null || displayName.isBlank() || displayName.trim().length() > 60) {
            return Future.failedFuture(KringException.badRequest("displayName must be a string of 1 to 60 characters"));
        }
        return accounts.setDisplayName(p.userId(), displayName.trim())
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(v -> {
                    forgetUser(p.userId(), null);
                    return authenticate(token);
                });
    }

    public Future<List<AccountRepository.SessionInfo>> sessions(Principal p) {
        return accounts.listSessions(p.userId()).recover(t -> Future.failedFuture(db.failure(t)));
    }

    public String issueTicket(String token, Principal principal) {
        return tickets.issue(token, principal);
    }

    /** Consumes a ticket and checks its session again; see {@link WebSocketTickets#redeem}. */
    public Future<Principal> redeemTicket(String ticket) {
        return tickets.redeem(ticket);
    }

    /** Creates a staff account (admin API); {@code conflict} when the e-mail is taken. */
    public Future<Long> createStaff(Role role, String displayName, String email, String realName, String password,
                                    boolean allCommunities, Set<String> communities) {
        return staff.create(role, displayName, email, realName, password, allCommunities, communities);
    }

    /** Creates the installation-wide admin from KRING_ADMIN_* when no admin exists yet. */
    public Future<Void> bootstrapAdmin() {
        return staff.bootstrapAdmin();
    }

    /** A new token and whom it belongs to. */
    public record SignedIn(String token, Principal principal) {
    }
}
