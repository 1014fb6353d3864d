package nl.kring.server.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import nl.kring.server.protocol.KringException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool and what Kring knows of the database's health. A periodic probe
 * ({@code SELECT 1}, every {@link #PROBE_INTERVAL_MS} ms) keeps {@link #isUp()} current and
 * applies pending migrations once the server answers, so that Kring can start before its
 * database and recovers by itself. Thread-safe.
 */
public final class Database {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    static final long PROBE_INTERVAL_MS = 250;
    /**
     * The least that clients are told to wait after {@code unavailable}: about one probe cycle and a
     * reconnect. {@link #retryAfterMs()} adds up to as much again at random.
     */
    private static final long RETRY_AFTER_MS = 1000;
    /** How long a query waits for a free pooled connection before it is answered {@code unavailable}. */
    static final int POOL_WAIT_SECONDS = 2;
    /** The main pool's name in Vert.x's pool metrics. */
    public static final String POOL_NAME = "kring-pg";

    private final Vertx vertx;
    private final DatabaseTarget target;
    private final Pool pool;
    private final Pool writerPool;
    private final Pool probePool;
    private final int poolSize;
    private final AtomicBoolean up = new AtomicBoolean(false);
    private final AtomicBoolean migrated = new AtomicBoolean(false);
    private final AtomicBoolean migrating = new AtomicBoolean(false);
    private final AtomicReference<String> reason = new AtomicReference<>("not checked yet");
    private long timerId = -1;
    private final java.util.concurrent.atomic.AtomicLong busyLogged = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - 2_000_000_000L);

    /** A database with one writer connection beside the {@code poolSize} pooled ones (tests, tools). */
    public Database(Vertx vertx, DatabaseTarget target, int poolSize) {
        this(vertx, target, poolSize, 1);
    }

    /**
     * @param poolSize          connections for reads and every other statement
     * @param writerConnections connections of the message writer's own: its group commits never wait in the
     *                          pool's queue behind reads (at 19,000 sessions joining, a batch waited up to the
     *                          whole pool timeout behind thousands of joins and every send timed out, issue 8)
     */
    public Database(Vertx vertx, DatabaseTarget target, int poolSize, int writerConnections) {
        this.vertx = vertx;
        this.target = target;
        this.poolSize = poolSize;
        this.pool = pool(vertx, target, new PoolOptions().setMaxSize(poolSize).setConnectionTimeout(POOL_WAIT_SECONDS)
                .setMaxWaitQueueSize(10_000).setName(POOL_NAME).setShared(false));
        this.writerPool = pool(vertx, target, new PoolOptions().setMaxSize(writerConnections).setConnectionTimeout(POOL_WAIT_SECONDS)
                .setName("kring-pg-writer").setShared(false));
        // The probe has a connection of its own: behind a busy pool's queue it would time out and
        // mark a database that is merely loaded as down, refusing every send (found under load, issue 8).
        this.probePool = pool(vertx, target, new PoolOptions().setMaxSize(1).setConnectionTimeout(1)
                .setName("kring-pg-probe").setShared(false));
    }

    private static Pool pool(Vertx vertx, DatabaseTarget target, PoolOptions options) {
        return PgBuilder.pool()
                .with(options)
                // A refused or unanswered connect must fail well within the 1 s promised to senders.
                .with(new io.vertx.core.net.NetClientOptions().setConnectTimeout(700).setTcpNoDelay(true))
                .connectingTo(target.connectOptions())
                .using(vertx)
                .build();
    }

    /** Migrates now (blocking the caller, at start-up) and starts the probe; fails if the database cannot be reached. */
    public Future<Void> start() {
        return vertx.<Void>executeBlocking(() -> {
            Migrations.migrate(target);
            return null;
        }).compose(v -> firstConnection(FIRST_CONNECTION_TRIES)).onSuccess(v -> {
            migrated.set(true);
            up.set(true);
            reason.set("ok");
        }).onComplete(ar -> timerId = vertx.setPeriodic(PROBE_INTERVAL_MS, id -> probe()));
    }

    /** How many pool waits the start gives PostgreSQL to accept the pool's first connection (2 s each). */
    private static final int FIRST_CONNECTION_TRIES = 15;

    /**
     * The main pool's first connection, before the start's first queries. On a busy machine a new
     * backend can take longer than the pool's 2 s wait, and the whole start failed on it ("Timeout
     * waiting for connection", issue 26); the connection being made stays in the pool when a wait
     * ends, so the next wait finds it.
     */
    private Future<Void> firstConnection(int tries) {
        return pool.query("SELECT 1").execute().<Void>mapEmpty()
                .recover(t -> tries > 1 && isPoolBusy(t) ? firstConnection(tries - 1) : Future.failedFuture(t));
    }

    /**
     * What a client is told to wait after {@code unavailable}: 1 to 2 s, spread at random so that
     * the thousands refused in one overloaded second do not all come back in one millisecond
     * (a fixed 1 s kept a retry storm going at 19,000 senders, issue 8).
     */
    public static long retryAfterMs() {
        return RETRY_AFTER_MS + java.util.concurrent.ThreadLocalRandom.current().nextLong(RETRY_AFTER_MS + 1);
    }

    /** One probe: {@code SELECT 1} on the probe's own connection; marks the database up or down. */
    Future<Void> probe() {
        return probePool.query("SELECT 1").execute()
                .timeout(Math.max(PROBE_INTERVAL_MS * 3, 1000), java.util.concurrent.TimeUnit.MILLISECONDS)
                .onSuccess(rs -> {
                    if (!migrated.get()) {
                        migrateInBackground();
                    }
                    if (up.compareAndSet(false, true)) {
                        log.info("database reachable again [target: {}]", target);
                    }
                    reason.set(migrated.get() ? "ok" : "schema not migrated");
                })
                .onFailure(this::markDown)
                .mapEmpty();
    }

    private void migrateInBackground() {
        if (!migrating.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> Migrations.migrate(target)).onComplete(ar -> {
            migrating.set(false);
            if (ar.succeeded()) {
                migrated.set(true);
                log.info("schema migrated [migrations applied: {}]", ar.result());
            } else {
                log.warn("schema migration failed [reason: {}]", ar.cause().getMessage());
            }
        });
    }

    /** Records that a query failed for lack of a database; sends are refused until the probe succeeds. */
    public void markDown(Throwable cause) {
        reason.set("database unreachable");
        if (up.compareAndSet(true, false)) {
            log.warn("database unreachable [target: {}, error: {}: {}]", target, cause.getClass().getSimpleName(), cause.getMessage());
        }
    }

    public Pool pool() {
        return pool;
    }

    /** The most connections {@link #pool()} holds (KRING_DB_POOL_SIZE); Vert.x names that pool {@value #POOL_NAME}. */
    public int poolSize() {
        return poolSize;
    }

    /** The message writer's own connections: group commits and the writer's gap reads, nothing else. */
    public Pool writerPool() {
        return writerPool;
    }

    public boolean isUp() {
        return up.get();
    }

    /** Ready means: the database answers and the schema is migrated. */
    public boolean isReady() {
        return up.get() && migrated.get();
    }

    public String reason() {
        return reason.get();
    }

    /**
     * Maps a database failure to a client-facing one: lost connections and timeouts become
     * {@code unavailable} (and mark the database down); SQL errors are bugs, so {@code internal}.
     */
    public KringException failure(Throwable t) {
        if (t instanceof KringException k) {
            return k;
        }
        if (isPoolBusy(t)) {
            // Every connection was busy for the whole wait (a reconnect storm): the database is up, the caller retries.
            // Told once a second at most: a storm answers thousands of queries this way.
            long now = System.nanoTime();
            long last = busyLogged.get();
            if (now - last > 1_000_000_000L && busyLogged.compareAndSet(last, now)) {
                log.warn("database pool busy [waited: {} s]", POOL_WAIT_SECONDS);
            }
            return KringException.unavailable(retryAfterMs());
        }
        if (t instanceof PgException pg && !isConnectionState(pg.getSqlState())) {
            log.error("query failed [sqlState: {}]", pg.getSqlState(), pg);
            return KringException.from(t);
        }
        if (!(t instanceof PgException) && !isConnectionFailure(t)) {
            // A bug on our side (a wrong parameter count, an encoding error): internal, and the database stays up.
            log.error("query failed [error: {}]", t.getClass().getSimpleName(), t);
            return KringException.from(t);
        }
        markDown(t);
        return KringException.unavailable(retryAfterMs());
    }

    /** Whether a query gave up waiting for a free pooled connection: overload, not an outage. */
    public static boolean isPoolBusy(Throwable t) {
        return t instanceof io.vertx.core.VertxException && "Timeout waiting for connection".equals(t.getMessage());
    }

    /** Whether a failure means the database cannot be reached: refused, closed, reset or timed out. */
    static boolean isConnectionFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.IOException || c instanceof io.vertx.sqlclient.ClosedConnectionException
                    || c instanceof java.util.concurrent.TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
            String message = c.getMessage();
            if (message != null && (message.contains("closed") || message.contains("Connection refused"))) {
                return true;
            }
        }
        return false;
    }

    /** SQLSTATE 23505: a unique key already holds this value. */
    public static boolean isUniqueViolation(Throwable t) {
        return t instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private static boolean isConnectionState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.startsWith("53"));
    }

    public Future<Void> close() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        return Future.join(pool.close(), writerPool.close(), probePool.close()).mapEmpty();
    }
}
