package nl.kring.server.testing;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.kring.server.KringServer;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.DatabaseTarget;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Kring node started in-process against a real PostgreSQL, plus the set-up every
 * protocol test needs (admin, community, room, members, tickets), done through the HTTP API.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_EMAIL = "admin@kring.test";
    public static final String ADMIN_PASSWORD = "correct-horse-battery-staple";
    /** HTTP/1.1, with timeouts, for the management listener. */
    private static final java.net.http.HttpClient MGMT = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(10)).build();

    private final KringServer server;
    private final DatabaseTarget db;
    /** Whether the database was made for this server alone, and is dropped when it stops. */
    private final boolean ownsDb;
    private final Http http;
    private final ApiClient api;

    private TestServer(KringServer server, DatabaseTarget db, boolean ownsDb) {
        this.server = server;
        this.db = db;
        this.ownsDb = ownsDb;
        this.http = new Http(server.port());
        this.api = new ApiClient(server.port());
    }

    /** Defaults for tests: free ports, a bootstrap admin, and send and request limits that only rate tests tighten. */
    public static Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("KRING_PORT", "0");
        env.put("KRING_MGMT_PORT", "0");
        env.put("KRING_ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("KRING_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("KRING_SEND_RATE", "10000");
        env.put("KRING_SEND_BURST", "10000");
        env.put("KRING_REQUEST_RATE", "10000");
        env.put("KRING_REQUEST_BURST", "10000");
        env.put("KRING_DATA_DIR", "target/test-data");
        env.putAll(overrides);
        return env;
    }

    /** A server on a database of its own, dropped when the server stops. */
    public static TestServer start(Map<String, String> overrides) {
        return start(TestDatabase.fresh(), overrides, true);
    }

    /** A server on a database the test keeps (to restart on it, or to share with other nodes). */
    public static TestServer start(DatabaseTarget db, Map<String, String> overrides) {
        return start(db, overrides, false);
    }

    private static TestServer start(DatabaseTarget db, Map<String, String> overrides, boolean ownsDb) {
        try {
            KringServer server = KringServer.start(KringConfig.fromEnv(env(overrides)), db)
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            return new TestServer(server, db, ownsDb);
        } catch (Exception e) {
            if (ownsDb) {
                TestDatabase.drop(db);
            }
            throw new IllegalStateException("server did not start", e);
        }
    }

    public KringServer server() {
        return server;
    }

    public DatabaseTarget db() {
        return db;
    }

    public Http http() {
        return http;
    }

    public int port() {
        return server.port();
    }

    public ApiClient api() {
        return api;
    }

    public String adminToken() {
        return api.adminToken();
    }

    public String community() {
        return api.community();
    }

    public String room(String slug) {
        return api.room(slug);
    }

    public List<String> invites(String slug, int count) {
        return api.invites(slug, count);
    }

    public String member(String slug) {
        return api.member(slug);
    }

    public String ticket(String token) {
        return api.ticket(token);
    }

    public WsClient connect(String token) {
        return api.connect(token);
    }

    /** The client, joined to the room (no since). Returns the join reply's data. */
    public static JsonObject join(WsClient c, String room) {
        JsonObject reply = c.request("join", new JsonObject().put("room", room));
        assertThat(reply.getBoolean("ok")).as("join %s: %s", room, reply).isTrue();
        return reply.getJsonObject("data");
    }

    public static JsonObject sendMessage(WsClient c, String room, String clientMsgId, String body) {
        return c.request("send", new JsonObject().put("room", room).put("clientMsgId", clientMsgId).put("body", body));
    }

    /** The management listener's /metrics text. */
    public String metrics() {
        try {
            return MGMT.send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + server.mgmtPort() + "/metrics"))
                                    .timeout(java.time.Duration.ofSeconds(20)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of one sample of /metrics, named with its labels exactly as exported (0 when absent). */
    public double metric(String sample) {
        for (String line : metrics().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0 && line.substring(0, space).equals(sample)) {
                return Double.parseDouble(line.substring(space + 1));
            }
        }
        return 0;
    }

    public int readyStatus() {
        try {
            return MGMT.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + server.mgmtPort() + "/health/ready"))
                            .timeout(java.time.Duration.ofSeconds(20)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (ownsDb) {
                TestDatabase.drop(db);
            }
        }
    }
}
