package nl.kring.server.db;

import org.flywaydb.core.Flyway;

/** Applies the Flyway migrations in {@code db/migration}. Blocking: call from a worker thread or at start-up. */
public final class Migrations {

    private Migrations() {
    }

    /** Migrates the schema to the newest version; returns the number of migrations applied. */
    public static int migrate(DatabaseTarget target) {
        return Flyway.configure()
                .dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations("classpath:db/migration")
                .connectRetries(0)
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
