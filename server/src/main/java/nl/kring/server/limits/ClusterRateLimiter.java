package nl.kring.server.limits;

import com.hazelcast.core.HazelcastInstance;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Token buckets shared by the nodes of a cluster: Bucket4j's Hazelcast integration keeps each
 * key's bucket in a distributed map (with a backup on another node) and changes it with an entry
 * processor on the node that owns the key, so one member has one rate whichever nodes their
 * sockets are on. A take costs one round trip to the owner (none when this node owns the key).
 *
 * <p>When the map does not answer within {@link #TIMEOUT} (a node just died and its partitions are
 * moving, the cluster is split), the take falls back to this node's own bucket for the key: the
 * limit then holds per node, as without a cluster, and sends are never held up for the map. The
 * late take may still land on the owner: a token spent twice, never a send let through wrongly.
 */
public final class ClusterRateLimiter<K> implements RateLimiter<K> {

    /** How long a take waits for the cluster's answer before it uses this node's own bucket. */
    static final Duration TIMEOUT = Duration.ofMillis(250);

    private final AsyncProxyManager<K> buckets;
    private final Supplier<CompletableFuture<BucketConfiguration>> configuration;
    private final KeyedRateLimiter<K> fallback;

    ClusterRateLimiter(HazelcastInstance hazelcast, String name, double ratePerSecond, long burst, long maxKeys) {
        BucketConfiguration config = BucketConfiguration.builder().addLimit(KeyedRateLimiter.limit(ratePerSecond, burst)).build();
        CompletableFuture<BucketConfiguration> ready = CompletableFuture.completedFuture(config);
        this.configuration = () -> ready;
        // a bucket that has refilled to the brim is the same as none: the map forgets it a minute later
        this.buckets = Bucket4jHazelcast.<K>entryProcessorBasedBuilder(hazelcast.getMap("kring.rate." + name))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build()
                .asAsync();
        this.fallback = new KeyedRateLimiter<>(ratePerSecond, burst, maxKeys);
    }

    @Override
    public Future<Long> acquire(K key) {
        Context context = Vertx.currentContext();
        Promise<Long> answer = Promise.promise();
        CompletableFuture<ConsumptionProbe> take;
        try {
            take = buckets.getProxy(key, configuration).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            take = CompletableFuture.failedFuture(e);
        }
        take.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((probe, failure) -> {
            long wait = failure != null ? fallback.tryAcquire(key)
                    : probe.isConsumed() ? 0 : KeyedRateLimiter.waitMillis(probe.getNanosToWaitForRefill());
            if (context == null) {
                answer.complete(wait);
            } else {
                context.runOnContext(v -> answer.complete(wait));
            }
        });
        return answer.future();
    }

    /** Gives the token back in the cluster's bucket, and in this node's own when the cluster does not answer in time. */
    @Override
    public void refund(K key) {
        CompletableFuture<Void> give;
        try {
            give = buckets.getProxy(key, configuration).addTokens(1);
        } catch (RuntimeException e) {
            give = CompletableFuture.failedFuture(e);
        }
        give.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, failure) -> {
            if (failure != null) {
                fallback.refund(key);
            }
        });
    }

    /** Rate limiters whose buckets live in the cluster's Hazelcast maps, one map per name. */
    public static RateLimiter.Factory factory(HazelcastInstance hazelcast) {
        return new RateLimiter.Factory() {
            @Override
            public <K> RateLimiter<K> create(String name, double ratePerSecond, long burst, long maxKeys) {
                return new ClusterRateLimiter<>(hazelcast, name, ratePerSecond, burst, maxKeys);
            }
        };
    }
}
