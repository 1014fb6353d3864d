package nl.kring.server.limits;

import io.vertx.core.Future;

/**
 * Token buckets per key (a user id, an e-mail hash, a community slug, a request's source address:
 * the last in memory only, never logged or stored; see {@link FailureLimits}): this
 * node's own ({@link KeyedRateLimiter}) or shared by the nodes of a cluster, so that a member with
 * sockets on three nodes still gets one rate (issue 9).
 */
public interface RateLimiter<K> {

    /** Takes one token: 0 when allowed, else the milliseconds until a token is there (at least 1); completes on the caller's context. */
    Future<Long> acquire(K key);

    /** Gives one token back (an attempt that turned out not to count); never beyond the bucket's capacity. Best effort. */
    void refund(K key);

    /** Makes the rate limiters of one kind: per node, or per cluster. */
    interface Factory {
        <K> RateLimiter<K> create(String name, double ratePerSecond, long burst, long maxKeys);

        /** Each node its own buckets. */
        Factory LOCAL = new Factory() {
            @Override
            public <K> RateLimiter<K> create(String name, double ratePerSecond, long burst, long maxKeys) {
                return new KeyedRateLimiter<>(ratePerSecond, burst, maxKeys);
            }
        };
    }
}
