package nl.kring.server.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import nl.kring.server.peers.Notice;
import nl.kring.server.peers.Peers;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.KringMetrics.AccountEvent;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.shared.AgeBand;

/**
 * Sign-in of members (invite code) and staff (e-mail, password and, when enrolled, a TOTP
 * code), bearer-token checks, tickets, and the end of sessions (logout, revocation, bans).
 * Tokens are checked against PostgreSQL and cached for {@link #CACHE_TTL}; everything that ends
 * a session on this node drops the cache entries at once and closes the sockets through
 * {@link SocketCloser}. Thread-safe.
 */
public final class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    static final Duration CACHE_TTL = Duration.ofSeconds(30);
    /** Roles that must enrol a second factor when KRING_REQUIRE_TOTP is on. */
    static final Set<Role> TOTP_ROLES = Set.of(Role.MODERATOR, Role.ADMIN, Role.OPERATOR);

    /** Closes sockets on this node: of one auth session, or of every session of a user. */
    public interface SocketCloser {
        void closeSession(long sessionId);

        void closeUser(long userId, CloseCode code);
    }

    private final Vertx vertx;
    private final KringMetrics metrics;
    private final KringConfig config;
    private final Database db;
    private final AccountRepository accounts;
    private final PasswordHasher hasher = new PasswordHasher();
    private final TicketStore tickets = new TicketStore();
    private final Cache<String, Principal> byToken = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterWrite(CACHE_TTL).maximumSize(200_000).build();
    /** Login attempts per e-mail address (hashed): 10 a minute, wrong TOTP codes included. */
    private final RateLimiter<String> loginLimiter;
    /** Anonymous sign-ups per community (KRING_SIGNUP_RATE, KRING_SIGNUP_BURST), against invite-code guessing. */
    private final RateLimiter<String> joinLimiter;
    private volatile Peers peers = Peers.ALONE;
    private volatile SocketCloser sockets = new SocketCloser() {
        @Override
        public void closeSession(long sessionId) {
        }

        @Override
        public void closeUser(long userId, CloseCode code) {
        }
    };

    public AuthService(Vertx vertx, KringConfig config, Database db, KringMetrics metrics, RateLimiter.Factory limits) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config;
        this.db = db;
        this.accounts = new AccountRepository(db.pool());
        this.loginLimiter = limits.create("logins", 10.0 / 60, 10, 100_000);
        this.joinLimiter = limits.create("signups", config.signupRate(), config.signupBurst(), 10_000);
    }

    public void onSocketsToClose(SocketCloser closer) {
        this.sockets = closer;
    }

    public AccountRepository accounts() {
        return accounts;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    /** The principal behind a bearer token; fails with {@code unauthorized}. */
    public Future<Principal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Future.failedFuture(new KringException(ErrorCode.UNAUTHORIZED, "missing or invalid token"));
        }
        String key = Secrets.sha256Hex(token);
        Principal cached = byToken.getIfPresent(key);
        if (cached != null && cached.expiresAt().isAfter(Instant.now())) {
            return Future.succeededFuture(cached);
        }
        return accounts.findSession(Secrets.sha256(token))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(found -> {
                    if (found.isEmpty()) {
                        return Future.failedFuture(new KringException(ErrorCode.UNAUTHORIZED, "missing or invalid token"));
                    }
                    Principal p = withTotpRule(found.get());
                    byToken.put(key, p);
                    return Future.succeededFuture(p);
                });
    }

    private Principal withTotpRule(AccountRepository.SessionRow row) {
        Principal p = row.principal();
        boolean required = config.requireTotp() && TOTP_ROLES.contains(p.role()) && !row.totpEnabled();
        if (!required) {
            return p;
        }
        return new Principal(p.userId(), p.publicId(), p.name(), p.role(), p.communityId(), p.communitySlug(), p.ageBand(),
                p.audience(), p.region(), p.allCommunities(), p.staffCommunities(), p.staffCommunitySlugs(), p.sessionId(),
                p.expiresAt(), true);
    }

    /** Member sign-up with an invite code. {@code region} is optional (a province). */
    public Future<SignedIn> joinAnonymous(String community, String inviteCode, String pseudonym, String ageBand, String region) {
        return signUp(community, inviteCode, pseudonym, ageBand, region)
                .onComplete(ar -> count(ar.succeeded() ? AccountEvent.SIGNUP_OK
                        : AccountEvent.signUp(KringException.from(ar.cause()).code())));
    }

    private void count(AccountEvent event) {
        if (event != null) {
            metrics.accountEvent(event);
        }
    }

    private Future<SignedIn> signUp(String community, String inviteCode, String pseudonym, String ageBand, String region) {
        if (community == null || community.length() > 63) {
            return Future.failedFuture(KringException.badRequest("community is required"));
        }
        if (inviteCode == null || inviteCode.isBlank() || inviteCode.length() > 64) {
            return Future.failedFuture(KringException.badRequest("inviteCode is required"));
        }
        if (pseudonym == null) {
            return Future.failedFuture(KringException.badRequest("pseudonym is required"));
        }
        Optional<String> problem = Pseudonyms.problem(pseudonym);
        if (problem.isPresent()) {
            return Future.failedFuture(KringException.badRequest(problem.get()));
        }
        Optional<AgeBand> band = AgeBand.fromWireName(ageBand);
        if (band.isEmpty()) {
            return Future.failedFuture(KringException.badRequest("ageBand must be one of 12-15, 16-17, 18-21, 22-25, 26+"));
        }
        if (region != null && !Regions.isValid(region)) {
            return Future.failedFuture(KringException.badRequest("region must be a province: " + String.join(", ", Regions.PROVINCES)));
        }
        String token = Secrets.newToken();
        Instant expires = Instant.now().plus(config.memberSessionTtl());
        return joinLimiter.acquire(community.toLowerCase(Locale.ROOT))
                .compose(wait -> wait > 0
                        ? Future.failedFuture(new KringException(ErrorCode.RATE_LIMITED, "too many sign-ups, try again soon", wait))
                        : accounts.communityForJoin(community))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(target -> {
                    if (target.isEmpty()) {
                        return Future.failedFuture(new KringException(ErrorCode.INVITE_INVALID, "this invite code is not valid"));
                    }
                    if (!target.get().ageBands().contains(band.get().wireName())) {
                        return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN,
                                "ageBand: this community is for ages " + String.join(", ", target.get().ageBands().stream().sorted().toList())));
                    }
                    return accounts.joinWithInvite(target.get().id(), Secrets.sha256(Secrets.normaliseInviteCode(inviteCode)),
                                    pseudonym, band.get(), region, Secrets.sha256(token), expires)
                            .recover(t -> Future.failedFuture(Database.isUniqueViolation(t)
                                    ? new KringException(ErrorCode.PSEUDONYM_TAKEN, "this pseudonym is taken in this community")
                                    : db.failure(t)));
                })
                .compose(joined -> joined.isEmpty()
                        ? Future.failedFuture(new KringException(ErrorCode.INVITE_INVALID, "this invite code is not valid"))
                        : authenticate(token).map(p -> new SignedIn(token, p)));
    }

    /**
     * Staff sign-in. An unknown e-mail and a wrong password fail alike and take alike long; a
     * staff member with a second factor also needs {@code totp} ({@code totp_required} when it is
     * missing after a right password). A hash made with weaker parameters than today's is
     * replaced on the way.
     */
    public Future<SignedIn> login(String email, String password, String totp) {
        return checkLogin(email, password, totp)
                .onComplete(ar -> count(ar.succeeded() ? AccountEvent.LOGIN_OK : AccountEvent.login(KringException.from(ar.cause()).code())));
    }

    private Future<SignedIn> checkLogin(String email, String password, String totp) {
        if (email == null || password == null || email.length() > 254 || password.length() > 1024) {
            return Future.failedFuture(KringException.badRequest("email and password are required"));
        }
        if (totp != null && totp.length() > 16) {
            return Future.failedFuture(KringException.badRequest("totp must be the 6-digit code"));
        }
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        return loginLimiter.acquire(Secrets.sha256Hex(normalised))
                .compose(wait -> wait > 0
                        ? Future.failedFuture(new KringException(ErrorCode.RATE_LIMITED, "too many attempts, try again later", wait))
                        : accounts.findStaff(normalised))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(staff -> vertx.executeBlocking(
                        () -> hasher.verify(password, staff.map(AccountRepository.StaffCredentials::passwordHash).orElse(null)), false)
                        .compose(ok -> {
                            if (!ok || staff.isEmpty()) {
                                return Future.failedFuture(loginFailed());
                            }
                            AccountRepository.StaffCredentials account = staff.get();
                            return secondFactor(account, totp)
                                    .compose(v -> rehashIfWeak(account, password))
                                    .compose(v -> openStaffSession(account.userId()));
                        }));
    }

    private Future<Void> secondFactor(AccountRepository.StaffCredentials account, String totp) {
        if (!account.totpEnabled()) {
            return Future.succeededFuture();
        }
        if (totp == null) {
            return Future.failedFuture(new KringException(ErrorCode.TOTP_REQUIRED, "enter the code from your authenticator app"));
        }
        return useTotp(account.userId(), account.totpSecret(), totp)
                .compose(ok -> ok ? Future.<Void>succeededFuture() : Future.failedFuture(loginFailed()));
    }

    /** Accepts a TOTP code for this account once: right code, within one step of now, not used before. */
    public Future<Boolean> useTotp(long userId, String secret, String code) {
        OptionalLong step = Totp.verify(secret, code, null, Instant.now());
        if (step.isEmpty()) {
            return Future.succeededFuture(false);
        }
        return accounts.useTotpStep(userId, step.getAsLong()).recover(t -> Future.failedFuture(db.failure(t)));
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

    /** A new session of the same account for another device (the member carries the token over, for example as a QR code). */
    public Future<SignedIn> newDeviceSession(Principal p) {
        String token = Secrets.newToken();
        Instant expires = Instant.now().plus(p.isMember() ? config.memberSessionTtl() : config.staffSessionTtl());
        return accounts.createSession(p.userId(), Secrets.sha256(token), expires)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(id -> authenticate(token))
                .map(q -> new SignedIn(token, q));
    }

    private Future<SignedIn> openStaffSession(long userId) {
        String token = Secrets.newToken();
        return accounts.createSession(userId, Secrets.sha256(token), Instant.now().plus(config.staffSessionTtl()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(id -> authenticate(token))
                .map(p -> new SignedIn(token, p));
    }

    private static KringException loginFailed() {
        return new KringException(ErrorCode.LOGIN_FAILED, "e-mail address, password or code is wrong");
    }

    /** Ends the session behind this token: revoked in PostgreSQL, forgotten here, its tickets dropped and its sockets closed (4500). */
    public Future<Void> logout(Principal principal, String token) {
        return revoke(principal.userId(), principal.sessionId(), "logout")
                .onSuccess(found -> {
                    byToken.invalidate(Secrets.sha256Hex(token));
                    forgetSession(principal.sessionId());
                })
                .mapEmpty();
    }

    /**
     * Ends one session of a user (a device they no longer trust); false when it was not open.
     * The token is not known here, so the cache is searched for the session.
     */
    public Future<Boolean> endSession(long userId, long sessionId, String reason) {
        return revoke(userId, sessionId, reason)
                .onSuccess(found -> {
                    byToken.asMap().values().removeIf(p -> p.sessionId() == sessionId);
                    forgetSession(sessionId);
                });
    }

    private Future<Boolean> revoke(long userId, long sessionId, String reason) {
        return accounts.revokeSession(sessionId, userId, reason).recover(t -> Future.failedFuture(db.failure(t)));
    }

    private void forgetSession(long sessionId) {
        tickets.revokeSession(sessionId);
        sockets.closeSession(sessionId);
        peers.tell(Notice.SESSION_ENDED, new JsonObject().put("session", sessionId));
    }

    /** Another node ended a session: forget it here too (cached token, tickets) and close its sockets here. */
    private void sessionEndedElsewhere(long sessionId) {
        byToken.asMap().values().removeIf(p -> p.sessionId() == sessionId);
        tickets.revokeSession(sessionId);
        sockets.closeSession(sessionId);
    }

    /**
     * Ends every session of a user (ban: close 4503; erasure, revocation: 4500). The database
     * change comes first, so that no other node's cache can bring a session back for longer
     * than {@link #CACHE_TTL}; this node forgets them at once.
     */
    public Future<List<Long>> endUser(long userId, String reason, CloseCode code) {
        return accounts.revokeUserSessions(userId, reason)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .onSuccess(ids -> forgetUser(userId, code));
    }

    /** Drops a user's cached sessions and tickets here and closes their sockets (after a ban or a change of their account). */
    public void forgetUser(long userId, CloseCode code) {
        forgetUserHere(userId, code);
        JsonObject notice = new JsonObject().put("user", userId);
        if (code != null) {
            notice.put("code", code.name());
        }
        peers.tell(Notice.USER_ENDED, notice);
    }

    private void forgetUserHere(long userId, CloseCode code) {
        byToken.asMap().values().removeIf(p -> p.userId() == userId);
        tickets.revokeUser(userId);
        if (code != null) {
            sockets.closeUser(userId, code);
        }
    }

    /**
     * Joins the cluster: sessions and users ended on another node are forgotten here within the
     * event bus's delay (not after {@link #CACHE_TTL}), and tickets this node issued can be redeemed
     * through any node (the load balancer may send the upgrade elsewhere).
     */
    public void joinCluster(Peers cluster) {
        this.peers = cluster;
        cluster.on(Notice.SESSION_ENDED, n -> sessionEndedElsewhere(n.getLong("session")));
        cluster.on(Notice.USER_ENDED, n -> forgetUserHere(n.getLong("user"),
                n.containsKey("code") ? CloseCode.valueOf(n.getString("code")) : null));
        cluster.answer(Notice.TICKET, n -> tickets.consume(n.getString("ticket"))
                .map(token -> Future.succeededFuture(new JsonObject().put("token", token)))
                .orElseGet(() -> Future.failedFuture("missing, expired or used ticket")));
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
        if (principal.totpRequired()) {
            throw new KringException(ErrorCode.TOTP_REQUIRED, "enrol a second factor first");
        }
        return peers.node() + "." + tickets.issue(token, principal.sessionId(), principal.userId());
    }

    /**
     * Consumes a ticket and checks its session again (it may have ended since). A ticket starts
     * with the tag of the node that issued it; one issued by another node is redeemed there.
     */
    public Future<Principal> redeemTicket(String ticket) {
        int dot = ticket == null || ticket.length() > 100 ? -1 : ticket.indexOf('.');
        if (dot <= 0) {
            return Future.failedFuture(badTicket());
        }
        String node = ticket.substring(0, dot);
        String own = ticket.substring(dot + 1);
        if (node.equals(peers.node())) {
            return tickets.consume(own).map(this::authenticate).orElseGet(() -> Future.failedFuture(badTicket()));
        }
        return peers.ask(node, Notice.TICKET, new JsonObject().put("ticket", own))
                .recover(t -> Future.failedFuture(badTicket()))
                .compose(answer -> authenticate(answer.getString("token")));
    }

    private static KringException badTicket() {
        return new KringException(ErrorCode.UNAUTHORIZED, "missing, expired or used ticket");
    }

    /** Creates a staff account (admin API); {@code conflict} when the e-mail is taken. */
    public Future<Long> createStaff(Role role, String displayName, String email, String realName, String password,
                                    boolean allCommunities, Set<String> communities) {
        return vertx.executeBlocking(() -> hasher.hash(password), false)
                .compose(hash -> accounts.createStaff(role, displayName, email.toLowerCase(Locale.ROOT), realName, hash,
                        allCommunities, communities))
                .recover(t -> Future.failedFuture(Database.isUniqueViolation(t)
                        ? new KringException(ErrorCode.CONFLICT, "a staff account with this e-mail address exists")
                        : db.failure(t)));
    }

    /** Creates the installation-wide admin from KRING_ADMIN_* when no admin exists yet. */
    public Future<Void> bootstrapAdmin() {
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

    /** A new token and whom it belongs to. */
    public record SignedIn(String token, Principal principal) {
    }
}
