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

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseTarget target) {
        this.postgres = postgres;
        this.target = target;
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
            return new EmbeddedDatabase(pg, new DatabaseTarget("127.0.0.1", pg.getPort(), DATABASE, "postgres", ""));
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

    /** Stops the postmaster (fast shutdown); the data stays. */
    @Override
    public void close() {
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
