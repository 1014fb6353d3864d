package nl.kring.server.accounts;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.limits.FailureLimits;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.KringMetrics.AccountEvent;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.AgeBand;

/**
 * Anonymous member sign-up with an invite code, a pseudonym, an age band and optionally a
 * province; counted by outcome. Wrong invite codes (and only those) are limited per source
 * ({@code KRING_SIGNUP_FAILURES_PER_SOURCE}) and, for sources that have failed before, per
 * community ({@code KRING_SIGNUP_RATE}, {@code KRING_SIGNUP_BURST}), against invite-code guessing
 * ({@link FailureLimits}): a valid invite is never refused because strangers tried wrong ones. Thread-safe.
 */
final class MemberSignUp {

    private final KringConfig config;
    private final Database db;
    private final AccountRepository accounts;
    private final SessionTokens tokens;
    private final KringMetrics metrics;
    /** Wrong invite codes per source, and per community (KRING_SIGNUP_RATE, KRING_SIGNUP_BURST) from sources that failed before. */
    private final FailureLimits failures;

    MemberSignUp(KringConfig config, Database db, AccountRepository accounts, SessionTokens tokens, KringMetrics metrics,
                 RateLimiter.Factory limits) {
        this.config = config;
        this.db = db;
        this.accounts = accounts;
        this.tokens = tokens;
        this.metrics = metrics;
        this.failures = FailureLimits.perTargetRate(limits, "signups", config.signIn().signUpPerSource(), config.signupRate(),
                config.signupBurst());
    }

    /** Member sign-up with an invite code. {@code region} is optional (a province); {@code source} a limiter key only. */
    Future<AuthService.SignedIn> joinAnonymous(String community, String inviteCode, String pseudonym, String ageBand, String region,
                                               String source) {
        return signUp(community, inviteCode, pseudonym, ageBand, region, source).onComplete(ar -> {
            AccountEvent event = ar.succeeded() ? AccountEvent.SIGNUP_OK : AccountEvent.signUp(KringException.from(ar.cause()).code());
            if (event != null) {
                metrics.accountEvent(event);
            }
        });
    }

    private Future<AuthService.SignedIn> signUp(String community, String inviteCode, String pseudonym, String ageBand, String region,
                                                String source) {
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
        return failures.begin(community.toLowerCase(Locale.ROOT), source).compose(attempt -> attempt.refusedForMillis() > 0
                ? Future.failedFuture(new KringException(ErrorCode.RATE_LIMITED, "too many wrong invite codes, try again later",
                        attempt.refusedForMillis()))
                : join(community, inviteCode, pseudonym, band.get(), region).onComplete(ar -> {
                    if (ar.failed() && KringException.from(ar.cause()).code() == ErrorCode.INVITE_INVALID) {
                        attempt.failed();
                    } else {
                        attempt.succeeded();
                    }
                }));
    }

    private Future<AuthService.SignedIn> join(String community, String inviteCode, String pseudonym, AgeBand band, String region) {
        String token = Secrets.newToken();
        Instant expires = Instant.now().plus(config.memberSessionTtl());
        return accounts.communityForJoin(community)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(target -> {
                    if (target.isEmpty()) {
                        return Future.failedFuture(new KringException(ErrorCode.INVITE_INVALID, "this invite code is not valid"));
                    }
                    if (!target.get().ageBands().contains(band.wireName())) {
                        return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN,
                                "ageBand: this community is for ages " + String.join(", ", target.get().ageBands().stream().sorted().toList())));
                    }
                    return accounts.joinWithInvite(target.get().id(), Secrets.sha256(Secrets.normaliseInviteCode(inviteCode)),
                                    pseudonym, band, region, Secrets.sha256(token), expires)
                            .recover(t -> Future.failedFuture(Database.isUniqueViolation(t)
                                    ? new KringException(ErrorCode.PSEUDONYM_TAKEN, "this pseudonym is taken in this community")
                                    : db.failure(t)));
                })
                .compose(joined -> joined.isEmpty()
                        ? Future.failedFuture(new KringException(ErrorCode.INVITE_INVALID, "this invite code is not valid"))
                        : tokens.authenticate(token).map(p -> new AuthService.SignedIn(token, p)));
    }
}
