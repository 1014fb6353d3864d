package nl.kring.server.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.db.EmbeddedDatabase;

/**
 * A real PostgreSQL for the tests: one server per test JVM (zonky's binaries, the same the
 * server embeds), a fresh database per call so that test classes never see each other's rows.
 * {@code KRING_TEST_DATABASE_URL} points the tests at another server instead (its database
 * must allow CREATE DATABASE and DROP DATABASE).
 *
 * <p>The embedded one keeps its data in a {@link ScratchDirs} directory, deleted when the JVM
 * ends, with its WAL bounded to {@value #MAX_WAL}; a database whose test is done is dropped
 * ({@link #drop}), so a whole run holds a few databases at a time, not one per test class.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String MAX_WAL = "64MB";
    private static DatabaseTarget admin;

    private TestDatabase() {
    }

    private static synchronized DatabaseTarget adminTarget() {
        if (admin == null) {
            String url = System.getenv("KRING_TEST_DATABASE_URL");
            if (url != null && !url.isBlank()) {
                admin = DatabaseTarget.parse(url);
            } else {
                Path dir = ScratchDirs.create("kring-test-pg");
                // a port outside the ephemeral range: one picked from it could be taken by a connection before PostgreSQL binds it
                EmbeddedDatabase db = EmbeddedDatabase.start(dir, Ports.outsideEphemeralRange(),
                        Map.of("max_wal_size", MAX_WAL, "min_wal_size", "32MB"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    db.close();
                    ScratchDirs.delete(dir);
                }));
                admin = db.target();
            }
        }
        return admin;
    }

    /** A new, empty database (no schema yet: the server migrates it). */
    public static DatabaseTarget fresh() {
        DatabaseTarget a = adminTarget();
        String name = "kring_t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        execute(a, "CREATE DATABASE " + name);
        return new DatabaseTarget(a.host(), a.port(), name, a.user(), a.password());
    }

    /** Drops a database made by {@link #fresh}, closing any session still on it. */
    public static void drop(DatabaseTarget db) {
        execute(adminTarget(), "DROP DATABASE IF EXISTS " + db.database() + " WITH (FORCE)");
    }

    /** Runs SQL on a database over JDBC (test set-up and checks only). */
    public static void execute(DatabaseTarget target, String sql) {
        try (Connection c = connect(target); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Connection connect(DatabaseTarget target) throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
    }
}
