package nl.kring.server.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

/**
 * Bearer tokens: a new session and its token, and the check of a token against PostgreSQL,
 * cached for {@link #CACHE_TTL} (staff who must still enrol a second factor get a principal that
 * says so). What ends a session drops its entries here at once. Thread-safe.
 */
final class SessionTokens {

    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final KringConfig config;
    private final Database db;
    private final AccountRepository accounts;
    private final Cache<String, Principal> byToken = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterWrite(CACHE_TTL).maximumSize(200_000).build();

    SessionTokens(KringConfig config, Database db, AccountRepository accounts) {
        this.config = config;
        this.db = db;
        this.accounts = accounts;
    }

    /** The principal behind a bearer token; fails with {@code unauthorized}. */
    Future<Principal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Future.failedFuture(new KringException(ErrorCode.UNAUTHORIZED, "missing or invalid token"));
        }
        return authenticateHash(Secrets.sha256Hex(token));
    }

    /**
     * The principal behind the SHA-256 (hex) of a bearer token, as sessions store it: what a
     * ticket stands for, so that redeeming one on another node sends no token (docs/adr/0011).
     */
    Future<Principal> authenticateHash(String key) {
        if (key == null || !key.matches("[0-9a-f]{64}")) {
            return Future.failedFuture(new KringException(ErrorCode.UNAUTHORIZED, "missing or invalid token"));
        }
        Principal cached = byToken.getIfPresent(key);
        if (cached != null && cached.expiresAt().isAfter(Instant.now())) {
            return Future.succeededFuture(cached);
        }
        return accounts.findSession(java.util.HexFormat.of().parseHex(key))
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
        boolean required = (row.totpRequired() || config.requireTotp() && TotpCodes.ROLES.contains(p.role())) && !row.totpEnabled();
        if (!required) {
            return p;
        }
        return new Principal(p.userId(), p.publicId(), p.name(), p.role(), p.communityId(), p.communitySlug(), p.ageBand(),
                p.audience(), p.region(), p.allCommunities(), p.staffCommunities(), p.staffCommunitySlugs(), p.sessionId(),
                p.expiresAt(), true, p.passwordChangeRequired());
    }

    /** Opens a session of this user until {@code expires}: a new token and whom it belongs to. */
    Future<AuthService.SignedIn> open(long userId, Instant expires) {
        String token = Secrets.newToken();
        return accounts.createSession(userId, Secrets.sha256(token), expires)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(id -> authenticate(token))
                .map(p -> new AuthService.SignedIn(token, p));
    }

    /** Forgets the cached principal of this token. */
    void forgetToken(String token) {
        byToken.invalidate(Secrets.sha256Hex(token));
    }

    /** Forgets the cached principal of a session (its token is not known here, so the cache is searched). */
    void forgetSession(long sessionId) {
        byToken.asMap().values().removeIf(p -> p.sessionId() == sessionId);
    }

    /** Forgets every cached principal of a user. */
    void forgetUser(long userId) {
        byToken.asMap().values().removeIf(p -> p.userId() == userId);
    }
}
