package nl.kring.server.db;

import io.vertx.pgclient.PgConnectOptions;
import java.util.Map;

/**
 * Where the PostgreSQL server is. Built from {@code KRING_DATABASE_URL} or from the embedded
 * server. {@link #toString()} leaves the password out so that the target can be logged.
 */
public record DatabaseTarget(String host, int port, String database, String user, String password) {

    /** Parses {@code postgresql://user:pass@host:port/db} (also with a {@code jdbc:} prefix). */
    public static DatabaseTarget parse(String url) {
        String uri = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        PgConnectOptions o;
        try {
            o = PgConnectOptions.fromUri(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("KRING_DATABASE_URL is not a postgresql:// URL");
        }
        return new DatabaseTarget(o.getHost(), o.getPort(), o.getDatabase(), o.getUser(),
                o.getPassword() == null ? "" : o.getPassword());
    }

    /**
     * Options for the reactive client. {@code synchronous_commit=on} is set on every connection
     * because an ack promises a flushed commit, whatever the server's own default.
     */
    public PgConnectOptions connectOptions() {
        return new PgConnectOptions()
                .setHost(host)
                .setPort(port)
                .setDatabase(database)
                .setUser(user)
                .setPassword(password)
                .setCachePreparedStatements(true)
                .setPipeliningLimit(256)
                .setProperties(Map.of("application_name", "kring", "synchronous_commit", "on", "jit", "off"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
