package nl.kring.server.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL running: Kring started it, so Kring restarts it when its
 * postmaster dies (SIGKILL, the OOM killer). Every {@link #CHECK_INTERVAL_MS} ms it looks whether
 * the process named in {@code postmaster.pid} still runs; when it does not, it restarts the server
 * on the same data directory and port ({@link EmbeddedDatabase#restart()}: crash recovery replays the
 * WAL, so every acknowledged message is still there), trying again at every check while the dead
 * server's last processes hold on. Meanwhile {@link Database}'s probe has marked the
 * database down (sends are answered {@code unavailable}); it finds it again by itself and the
 * pools reconnect. With an external database ({@code KRING_DATABASE_URL}) there is nothing to
 * supervise: the probe alone brings Kring back when the database is.
 *
 * <p>Thread-safe; the checks and restarts run on one daemon thread of its own (a restart blocks).
 */
public final class EmbeddedSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSupervisor.class);
    /** About the database probe's own interval: a death is noticed before most clients would retry. */
    static final long CHECK_INTERVAL_MS = 250;

    private final EmbeddedDatabase db;
    private final ScheduledExecutorService thread;
    private final AtomicLong restarts = new AtomicLong();
    /** Who waits for which restart count; guarded by itself. */
    private final java.util.List<java.util.Map.Entry<Long, java.util.concurrent.CompletableFuture<Void>>> waiters = new java.util.ArrayList<>();
    /** The postmaster being watched; confined to {@link #thread}. */
    private long pid;
    private int failedAttempts;
    private long diedAtNanos;

    private EmbeddedSupervisor(EmbeddedDatabase db, long pid) {
        this.db = db;
        this.pid = pid;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kring-pg-supervisor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching a running embedded database. */
    public static EmbeddedSupervisor watch(EmbeddedDatabase db) {
        OptionalLong pid = db.postmasterPid();
        if (pid.isEmpty()) {
            throw new IllegalStateException("the embedded PostgreSQL has no postmaster.pid in " + db.dataDir());
        }
        EmbeddedSupervisor supervisor = new EmbeddedSupervisor(db, pid.getAsLong());
        supervisor.thread.scheduleWithFixedDelay(supervisor::check, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        log.info("supervising the embedded PostgreSQL [pid: {}]", pid.getAsLong());
        return supervisor;
    }

    /** How many times the postmaster was restarted after it died, since start. */
    public long restarts() {
        return restarts.get();
    }

    /** Completes once the postmaster has been restarted {@code n} times (for tests and tools that wait on it). */
    public java.util.concurrent.CompletableFuture<Void> restarted(long n) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        synchronized (waiters) {
            if (restarts.get() >= n) {
                done.complete(null);
            } else {
                waiters.add(java.util.Map.entry(n, done));
            }
        }
        return done;
    }

    private void check() {
        if (failedAttempts == 0 && isRunning(pid)) {
            return;
        }
        if (failedAttempts == 0) {
            diedAtNanos = System.nanoTime();
            log.warn("embedded PostgreSQL stopped unexpectedly [pid: {}]; restarting it on the same data directory and port", pid);
        }
        try {
            db.restart();
        } catch (IOException | RuntimeException e) {
            failedAttempts++;
            // the first failure and then one in 40 (about every 10 s with pg_ctl's own time): a dead server's backend
            // that is finishing a statement keeps PostgreSQL from starting until it exits
            if (failedAttempts == 1 || failedAttempts % 40 == 0) {
                log.warn("embedded PostgreSQL did not start yet [attempt: {}, error: {}]; trying again", failedAttempts, e.getMessage());
            }
            return;
        }
        OptionalLong started = db.postmasterPid();
        pid = started.orElse(-1);
        long took = (System.nanoTime() - diedAtNanos) / 1_000_000;
        log.info("embedded PostgreSQL restarted [pid: {}, attempts: {}, down ms: {}, restarts: {}]",
                pid, failedAttempts + 1, took, restarts.incrementAndGet());
        failedAttempts = 0;
        synchronized (waiters) {
            for (var it = waiters.iterator(); it.hasNext(); ) {
                var waiter = it.next();
                if (waiter.getKey() <= restarts.get()) {
                    waiter.getValue().complete(null);
                    it.remove();
                }
            }
        }
    }

    /**
     * Whether the process runs: it exists, is alive, and is not a zombie (a postmaster killed while
     * no init reaps orphans stays one; PostgreSQL then refuses to start beside it: run Kring under
     * an init that reaps, such as {@code docker run --init}).
     */
    static boolean isRunning(long pid) {
        if (pid <= 0) {
            return false;
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            char state = close >= 0 && close + 2 < s.length() ? s.charAt(close + 2) : 'R';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            // no /proc (not Linux) or the process went in between: ProcessHandle's answer stands
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** Stops watching (before the database is stopped on purpose: that is no death to repair). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
