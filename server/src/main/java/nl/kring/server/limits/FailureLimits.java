package nl.kring.server.limits;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits on failed guesses at a secret (a staff password, a community's invite codes), counted per
 * source (the client's network address), per target and in total, so that guessing is bounded
 * while nobody can lock a given person out (issue 26, item 3; docs/operations.md, "Sign-in limits").
 *
 * <p>Two layers:
 * <ul>
 *   <li><b>Own limits</b>, always applied, that only the failing source spends: failures per source
 *       (over all targets: password spraying) and, where given, per (target, source) (one account
 *       guessed from one place). An attacker exhausts these for themselves only.</li>
 *   <li><b>Shared limits</b>, per target and in total, that bound guessing from many sources at
 *       once (a botnet). They refuse only <i>suspect</i> sources: those with a failure in the last
 *       {@link #SUSPECT_FOR}. A source that has not failed is never refused by them, so a staff
 *       member at their own desk (or a member with a valid invite) gets in even while an attack
 *       keeps the shared limits spent. The price: each new attacking source gets one guess an hour
 *       past the shared limits.</li>
 * </ul>
 * Only failures count: an attempt takes its tokens up front (so that parallel attempts cannot pass
 * a check together) and {@link Attempt#succeeded} gives them back. Keys are the source address
 * as given, kept only in the limiters' memory (this node's map, or the cluster's Hazelcast maps):
 * never logged, never stored. Thread-safe.
 */
public final class FailureLimits {

    /** How long a source that failed counts as suspect, and so is subject to the shared limits. */
    public static final Duration SUSPECT_FOR = Duration.ofHours(1);
    private static final double PER_HOUR = 1.0 / 3600;
    private static final long MAX_KEYS = 100_000;

    private final RateLimiter<String> perSource;
    private final RateLimiter<String> perTargetAndSource;
    private final RateLimiter<String> perTarget;
    private final RateLimiter<String> total;
    /** One token per source, taken by its first failure and back after {@link #SUSPECT_FOR}: empty means suspect. */
    private final RateLimiter<String> clean;

    private FailureLimits(RateLimiter<String> perSource, RateLimiter<String> perTargetAndSource, RateLimiter<String> perTarget,
                          RateLimiter<String> total, RateLimiter<String> clean) {
        this.perSource = perSource;
        this.perTargetAndSource = perTargetAndSource;
        this.perTarget = perTarget;
        this.total = total;
        this.clean = clean;
    }

    /**
     * Limits whose budgets are failures an hour (a full bucket, one back every hour / n).
     *
     * @param name                 the limiters' name prefix (a cluster map each)
     * @param perSourceHourly      failures one source may make over all targets
     * @param perTargetSourceHourly failures one source may make on one target; 0: no such limit
     * @param perTargetHourly      failures of suspect sources on one target
     * @param totalHourly          failures of suspect sources over all targets; 0: no such limit
     */
    public static FailureLimits hourly(RateLimiter.Factory limits, String name, int perSourceHourly, int perTargetSourceHourly,
                                       int perTargetHourly, int totalHourly) {
        return new FailureLimits(
                limits.create(name + "-source", perSourceHourly * PER_HOUR, perSourceHourly, MAX_KEYS),
                perTargetSourceHourly == 0 ? null
                        : limits.create(name + "-target-source", perTargetSourceHourly * PER_HOUR, perTargetSourceHourly, MAX_KEYS),
                limits.create(name + "-target", perTargetHourly * PER_HOUR, perTargetHourly, MAX_KEYS),
                totalHourly == 0 ? null : limits.create(name + "-total", totalHourly * PER_HOUR, totalHourly, 1),
                limits.create(name + "-suspect", 1.0 / SUSPECT_FOR.toSeconds(), 1, MAX_KEYS));
    }

    /** The same, with the per-target limit given as a rate and a burst (the sign-up limit per community). */
    public static FailureLimits perTargetRate(RateLimiter.Factory limits, String name, int perSourceHourly,
                                              double perTargetRate, int perTargetBurst) {
        return new FailureLimits(
                limits.create(name + "-source", perSourceHourly * PER_HOUR, perSourceHourly, MAX_KEYS),
                null,
                limits.create(name + "-target", perTargetRate, perTargetBurst, MAX_KEYS),
                null,
                limits.create(name + "-suspect", 1.0 / SUSPECT_FOR.toSeconds(), 1, MAX_KEYS));
    }

    /**
     * Starts an attempt of {@code source} on {@code target}: completes with the attempt, whose
     * {@link Attempt#refusedForMillis()} is 0 when it may go on (the caller then settles it) or
     * the milliseconds to wait when a limit refused it (nothing is then charged).
     */
    public Future<Attempt> begin(String target, String source) {
        Attempt attempt = new Attempt();
        return attempt.take(perSource, source)
                .compose(ok -> !ok || perTargetAndSource == null ? Future.succeededFuture(ok)
                        : attempt.take(perTargetAndSource, target + "\n" + source))
                .compose(ok -> !ok ? Future.succeededFuture(false) : clean.acquire(source).compose(wait -> {
                    if (wait == 0) {
                        attempt.taken.add(new Taken(clean, source));
                        return Future.succeededFuture(true);
                    }
                    return attempt.take(perTarget, target)
                            .compose(shared -> !shared || total == null ? Future.succeededFuture(shared) : attempt.take(total, ""));
                }))
                .map(ok -> {
                    if (!ok) {
                        attempt.succeeded();
                    }
                    return attempt;
                });
    }

    private record Taken(RateLimiter<String> limiter, String key) {
    }

    /** One attempt's tokens: kept when it {@link #failed()}, given back when it {@link #succeeded()}. */
    public static final class Attempt {
        private final List<Taken> taken = new ArrayList<>();
        private long refusedFor;

        /** 0 when the attempt may go on; else how long the source should wait (ms, at least 1). */
        public long refusedForMillis() {
            return refusedFor;
        }

        private Future<Boolean> take(RateLimiter<String> limiter, String key) {
            return limiter.acquire(key).map(wait -> {
                if (wait > 0) {
                    refusedFor = wait;
                    return false;
                }
                taken.add(new Taken(limiter, key));
                return true;
            });
        }

        /** The guess was right, or the attempt failed for another reason than a wrong secret: it does not count. */
        public void succeeded() {
            for (Taken t : taken) {
                t.limiter.refund(t.key);
            }
            taken.clear();
        }

        /** The guess was wrong: the attempt counts against every limit it was charged to (and marks the source suspect). */
        public void failed() {
            taken.clear();
        }
    }
}
