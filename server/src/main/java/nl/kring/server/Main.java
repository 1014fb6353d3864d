package nl.kring.server;

import java.util.concurrent.TimeUnit;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.db.EmbeddedDatabase;
import nl.kring.server.db.EmbeddedSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./kring run}: reads KRING_* variables, starts the embedded PostgreSQL when no
 * KRING_DATABASE_URL is set (and restarts it if its postmaster dies: {@link EmbeddedSupervisor}),
 * starts the node and stops it gracefully on SIGTERM.
 * Exit codes: 0 stopped, 1 could not start, 2 bad configuration.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        KringConfig config;
        try {
            config = KringConfig.fromEnv(System.getenv());
        } catch (KringConfig.ConfigException e) {
            System.err.println("kring: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (System.getProperty("vertx.cacheDirBase") == null) {
            System.setProperty("vertx.cacheDirBase", config.dataDir().resolve("vertx-cache").toString());
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        EmbeddedDatabase embedded = null;
        EmbeddedSupervisor supervisor = null;
        DatabaseTarget target;
        try {
            if (config.databaseUrl().isPresent()) {
                target = DatabaseTarget.parse(config.databaseUrl().get());
            } else {
                log.info("no KRING_DATABASE_URL: starting the embedded PostgreSQL [data: {}]", config.dataDir().resolve("pg"));
                embedded = EmbeddedDatabase.start(config.dataDir().resolve("pg"), 0);
                target = embedded.target();
                // Kring started it, so Kring restarts it if it dies (issue 26, item 10)
                supervisor = EmbeddedSupervisor.watch(embedded);
            }
        } catch (IllegalArgumentException | EmbeddedDatabase.EmbeddedDatabaseException e) {
            System.err.println("kring: " + e.getMessage());
            System.exit(1);
            return;
        }
        KringServer server;
        try {
            EmbeddedSupervisor watching = supervisor;
            server = KringServer.start(config, target, () -> watching == null ? 0 : watching.restarts()).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            boolean connection = cause instanceof java.net.ConnectException || cause instanceof java.sql.SQLTransientConnectionException
                    || String.valueOf(cause.getMessage()).contains("onnection");
            System.err.println("kring: could not start: " + cause.getMessage()
                    + (connection ? "\n  (is PostgreSQL reachable at " + target + "?)" : ""));
            if (embedded != null) {
                supervisor.close();
                embedded.close();
            }
            System.exit(1);
            return;
        }
        EmbeddedDatabase db = embedded;
        EmbeddedSupervisor dbSupervisor = supervisor;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop().toCompletionStage().toCompletableFuture()
                        .get(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("graceful stop did not finish [error: {}]", e.getClass().getSimpleName());
            }
            if (db != null) {
                // stopped on purpose: not a death to repair
                dbSupervisor.close();
                db.close();
            }
        }, "kring-shutdown"));
    }
}
