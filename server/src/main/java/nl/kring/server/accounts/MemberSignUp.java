package nl.kring.server.accounts;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.KringMetrics.AccountEvent;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.AgeBand;

/**
 * Anonymous member sign-up with an invite code, a pseudonym, an age band and optionally a
 * province; throttled per community against invite-code guessing ({@code KRING_SIGNUP_RATE},
 * {@code KRING_SIGNUP_BURST}); counted by outcome. Thread-safe.
 */
final class MemberSignUp {

    private final KringConfig config;
    private final Database db;
    private final AccountRepository accounts;
    private final SessionTokens tokens;
    private final KringMetrics metrics;
    /** Anonymous sign-ups per community (KRING_SIGNUP_RATE, KRING_SIGNUP_BURST), against invite-code guessing. */
    private final RateLimiter<String> joinLimiter;

    MemberSignUp(KringConfig config, Database db, AccountRepository accounts, SessionTokens tokens, KringMetrics metrics,
                 RateLimiter.Factory limits) {
        this.config = config;
        this.db = db;
        this.accounts = accounts;
        this.tokens = tokens;
        this.metrics = metrics;
        this.joinLimiter = limits.create("signups", config.signupRate(), config.signupBurst(), 10_000);
    }

    /** Member sign-up with an invite code. {@code region} is optional (a province). */
    Future<AuthService.SignedIn> joinAnonymous(String community, String inviteCode, String pseudonym, String ageBand, String region) {
        return signUp(community, inviteCode, pseudonym, ageBand, region).onComplete(ar -> {
            AccountEvent event = ar.succeeded() ? AccountEvent.SIGNUP_OK : AccountEvent.signUp(KringException.from(ar.cause()).code());
            if (event != null) {
                metrics.accountEvent(event);
            }
        });
    }

    private Future<AuthService.SignedIn> signUp(String community, String inviteCode, String pseudonym, String ageBand, String region) {
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
                        : tokens.authenticate(token).map(p -> new AuthService.SignedIn(token, p)));
    }
}
