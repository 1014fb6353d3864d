package nl.kring.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * The PostgreSQL server that Kring runs itself when no {@code KRING_DATABASE_URL} is given:
 * zonky's binaries from Maven Central, data under {@code <dataDir>/pg} so that it survives
 * restarts. Durability settings are forced on (zonky turns {@code synchronous_commit} off by
 * default, which would break "acknowledged means durable").
 */
public final class EmbeddedDatabase implements AutoCloseable {

    static final String DATABASE = "kring";

    private final EmbeddedPostgres postgres;
    private final DatabaseTarget target;
    private final Path dataDir;
    /** Set by {@link #close()}: from then on nothing is restarted. Guarded by {@code this}. */
    private boolean closed;

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseTarget target, Path dataDir) {
        this.postgres = postgres;
        this.target = target;
        this.dataDir = dataDir;
    }

    /**
     * Starts (initialising on first use) the server in {@code dataDir}; port 0 picks a free one.
     *
     * @throws EmbeddedDatabaseException with a message for people when PostgreSQL cannot start
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        return start(dataDir, port, java.util.Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with further server settings (the tests bound the WAL with
     * {@code max_wal_size} so that a run leaves little on disk). The durability settings cannot be overridden.
     */
    public static EmbeddedDatabase start(Path dataDir, int port, java.util.Map<String, String> settings) {
        try {
            Files.createDirectories(dataDir);
            stopOrphanedPostmaster(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60));
            settings.forEach(builder::setServerConfig);
            builder.setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            createDatabaseIfMissing(pg);
            return new EmbeddedDatabase(pg, new DatabaseTarget("127.0.0.1", pg.getPort(), DATABASE, "postgres", ""), dataDir);
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedDatabaseException(
                    "could not start the embedded PostgreSQL in " + dataDir + ": " + rootMessage(e)
                            + "\n  (as root it needs user namespaces, 'unshare -U'; otherwise run as a normal user"
                            + " or set KRING_DATABASE_URL to a PostgreSQL server)", e);
        }
    }

    /**
     * A server process killed with SIGKILL leaves its postmaster running, holding the data
     * directory. If {@code postmaster.pid} names a live postgres for this directory, ask it for a
     * fast shutdown (SIGINT) and wait for it to go.
     */
    public static void stopOrphanedPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        java.util.List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        java.util.Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        boolean ours = handle.isPresent() && handle.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)
                && Path.of(lines.get(1).trim()).toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize());
        if (!ours) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            handle.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the old postmaster", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("an old postmaster (pid " + pid + ") still holds " + dataDir + " and did not stop", e);
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres pg) throws IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (java.sql.SQLException e) {
            throw new IOException("could not create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public DatabaseTarget target() {
        return target;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The process id in {@code postmaster.pid}, if the file is there and readable. */
    public java.util.OptionalLong postmasterPid() {
        try {
            java.util.List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /**
     * Starts the postmaster again after it died (SIGKILL, OOM killer): {@code pg_ctl restart} on the
     * same data directory with the options the dead one was started with ({@code postmaster.opts}:
     * the same port, the same durability settings). PostgreSQL's crash recovery replays the WAL, so
     * every committed transaction is there again. Zonky's own start cannot be repeated in one JVM
     * (it keeps a file lock that a failed start never releases), so this calls pg_ctl itself; zonky's
     * {@link #close()} stops whichever postmaster then runs on the directory. Blocking.
     *
     * <p>PostgreSQL refuses to start while processes of the dead postmaster are still attached to its
     * shared memory (a backend finishing a statement): that is a failure here, and the caller tries again.
     *
     * @throws IOException when pg_ctl did not report a running server
     */
    public synchronized void restart() throws IOException {
        if (closed) {
            throw new IOException("the embedded PostgreSQL was stopped");
        }
        java.util.List<String> opts = Files.readAllLines(dataDir.resolve("postmaster.opts"));
        if (opts.isEmpty() || !opts.get(0).contains(" ")) {
            throw new IOException("postmaster.opts does not name the server binary");
        }
        Path postgresBinary = Path.of(opts.get(0).substring(0, opts.get(0).indexOf(' ')));
        java.util.List<String> command = new java.util.ArrayList<>();
        if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
            // as zonky starts it: as root, PostgreSQL only runs in a user namespace
            command.addAll(java.util.List.of("unshare", "-U"));
        }
        command.addAll(java.util.List.of(postgresBinary.resolveSibling("pg_ctl").toString(), "-D", dataDir.toString(),
                "-w", "-t", "120", "restart"));
        Process pgCtl = new ProcessBuilder(command)
                // the server's own output is discarded, as zonky's is below WARN (logback.xml): it can hold SQL
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!pgCtl.waitFor(150, java.util.concurrent.TimeUnit.SECONDS)) {
                pgCtl.destroyForcibly();
                throw new IOException("pg_ctl restart did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restarting PostgreSQL", e);
        }
        if (pgCtl.exitValue() != 0) {
            throw new IOException("pg_ctl restart exited with " + pgCtl.exitValue());
        }
    }

    /** Stops the postmaster (fast shutdown); the data stays. */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            postgres.close();
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Failure to start or stop the embedded server, with a message meant for the operator. */
    public static final class EmbeddedDatabaseException extends RuntimeException {
        EmbeddedDatabaseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
