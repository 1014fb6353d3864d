package nl.kring.server.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.limits.KeyedRateLimiter;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in of members (invite code) and staff (e-mail and password), bearer-token checks,
 * logout and tickets. Tokens are checked against PostgreSQL and cached for
 * {@link #CACHE_TTL}; a logout on this node drops the cache entry at once. Thread-safe.
 */
public final class AuthService {

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final KringConfig config;
    private final Database db;
    private final AccountRepository accounts;
    private final PasswordHasher hasher = new PasswordHasher();
    private final TicketStore tickets = new TicketStore();
    private final Cache<String, Principal> byToken = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_TTL).maximumSize(200_000).build();
    /** Login attempts per e-mail address (hashed): 10 a minute. */
    private final KeyedRateLimiter<String> loginLimiter = new KeyedRateLimiter<>(10.0 / 60, 10, 100_000);
    /** Anonymous sign-ups per community (KRING_SIGNUP_RATE, KRING_SIGNUP_BURST), against invite-code guessing. */
    private final KeyedRateLimiter<String> joinLimiter;
    private volatile LongConsumer sessionEnded = id -> { };

    public AuthService(Vertx vertx, KringConfig config, Database db) {
        this.vertx = vertx;
        this.config = config;
        this.db = db;
        this.accounts = new AccountRepository(db.pool());
        this.joinLimiter = new KeyedRateLimiter<>(config.signupRate(), config.signupBurst(), 10_000);
    }

    /** Called with a session id when it ends (logout), to close its sockets. */
    public void onSessionEnded(LongConsumer listener) {
        this.sessionEnded = listener;
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
                    byToken.put(key, found.get());
                    return Future.succeededFuture(found.get());
                });
    }

    /** Member sign-up with an invite code. */
    public Future<SignedIn> joinAnonymous(String community, String inviteCode, String pseudonym, String ageBand) {
        if (community == null || inviteCode == null || pseudonym == null || ageBand == null) {
            return Future.failedFuture(KringException.badRequest("community, inviteCode, pseudonym and ageBand are required"));
        }
        Optional<String> problem = Pseudonyms.problem(pseudonym);
        if (problem.isPresent()) {
            return Future.failedFuture(KringException.badRequest(problem.get()));
        }
        Optional<AgeBand> band = AgeBand.fromWireName(ageBand);
        if (band.isEmpty()) {
            return Future.failedFuture(KringException.badRequest("ageBand must be one of 12-15, 16-17, 18-21, 22-25, 26+"));
        }
        long wait = joinLimiter.tryAcquire(community.toLowerCase(Locale.ROOT));
        if (wait > 0) {
            return Future.failedFuture(new KringException(ErrorCode.RATE_LIMITED, "too many sign-ups, try again soon", wait));
        }
        String token = Secrets.newToken();
        Instant expires = Instant.now().plus(config.memberSessionTtl());
        return accounts.joinWithInvite(community, Secrets.sha256(Secrets.normaliseInviteCode(inviteCode)), pseudonym,
                        band.get(), Secrets.sha256(token), expires)
                .recover(t -> Future.failedFuture(Database.isUniqueViolation(t)
                        ? new KringException(ErrorCode.PSEUDONYM_TAKEN, "this pseudonym is taken in this community")
                        : db.failure(t)))
                .compose(joined -> joined.isEmpty()
                        ? Future.failedFuture(new KringException(ErrorCode.INVITE_INVALID, "this invite code is not valid"))
                        : authenticate(token).map(p -> new SignedIn(token, p)));
    }

    /** Staff sign-in; an unknown e-mail and a wrong password fail alike and take alike long. */
    public Future<SignedIn> login(String email, String password) {
        if (email == null || password == null || email.length() > 254 || password.length() > 1024) {
            return Future.failedFuture(KringException.badRequest("email and password are required"));
        }
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        long wait = loginLimiter.tryAcquire(Secrets.sha256Hex(normalised));
        if (wait > 0) {
            return Future.failedFuture(new KringException(ErrorCode.RATE_LIMITED, "too many attempts, try again later", wait));
        }
        return accounts.findStaff(normalised)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(staff -> vertx.executeBlocking(
                        () -> hasher.verify(password, staff.map(AccountRepository.StaffCredentials::passwordHash).orElse(null)), false)
                        .compose(ok -> {
                            if (!ok || staff.isEmpty()) {
                                return Future.failedFuture(new KringException(ErrorCode.LOGIN_FAILED, "e-mail address or password is wrong"));
                            }
                            String token = Secrets.newToken();
                            return accounts.createSession(staff.get().userId(), Secrets.sha256(token),
                                            Instant.now().plus(config.staffSessionTtl()))
                                    .recover(t -> Future.failedFuture(db.failure(t)))
                                    .compose(id -> authenticate(token))
                                    .map(p -> new SignedIn(token, p));
                        }));
    }

    /** Ends the session: revoked in PostgreSQL, forgotten here, its tickets dropped and its sockets closed. */
    public Future<Void> logout(Principal principal, String token) {
        return accounts.revokeSession(principal.sessionId())
                .recover(t -> Future.failedFuture(db.failure(t)))
                .onSuccess(v -> {
                    byToken.invalidate(Secrets.sha256Hex(token));
                    tickets.revokeSession(principal.sessionId());
                    sessionEnded.accept(principal.sessionId());
                });
    }

    public String issueTicket(String token, Principal principal) {
        return tickets.issue(token, principal.sessionId());
    }

    /** Consumes a ticket and checks its session again (it may have ended since). */
    public Future<Principal> redeemTicket(String ticket) {
        Optional<String> token = tickets.consume(ticket);
        if (token.isEmpty()) {
            return Future.failedFuture(new KringException(ErrorCode.UNAUTHORIZED, "missing, expired or used ticket"));
        }
        return authenticate(token.get());
    }

    /** Creates a staff account (admin API); {@code conflict} when the e-mail is taken. */
    public Future<Long> createStaff(Role role, String displayName, String email, String password, Set<String> communities) {
        return vertx.executeBlocking(() -> hasher.hash(password), false)
                .compose(hash -> accounts.createStaff(role, displayName, email.toLowerCase(Locale.ROOT), hash, false, communities))
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
                    .compose(hash -> accounts.createStaff(Role.ADMIN, "Beheerder", email, hash, true, Set.of()))
                    .onSuccess(id -> log.info("bootstrap admin created"))
                    .mapEmpty();
        });
    }

    /** A new token and whom it belongs to. */
    public record SignedIn(String token, Principal principal) {
    }
}
