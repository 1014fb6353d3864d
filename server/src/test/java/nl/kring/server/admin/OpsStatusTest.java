package nl.kring.server.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' status ({@code GET /api/v1/ops/status}, issue 27, item 6) against real servers.
 * Alertmanager is played by a small real HTTP server that answers its v2 API as Alertmanager does
 * (no Alertmanager binary is installed here). Before this branch the path did not exist: every call
 * answered 404 {@code not_found}, so each test failed at its first assertion (checked by running them
 * with the route left out).
 */
class OpsStatusTest {

    static final String PATH = "/api/v1/ops/status";
    static final String STARTS_AT = "2031-06-03T08:15:00.000Z";

    static Vertx vertx;
    static HttpServer alertmanager;

    @BeforeAll
    static void startAlertmanager() throws Exception {
        vertx = Vertx.vertx();
        JsonArray firing = new JsonArray().add(new JsonObject()
                .put("labels", new JsonObject().put("alertname", "KringDatabaseDown").put("severity", "critical").put("instance", "kring-1"))
                .put("annotations", new JsonObject().put("summary", "PostgreSQL does not answer"))
                .put("startsAt", STARTS_AT).put("endsAt", "2031-06-03T09:15:00.000Z").put("fingerprint", "0a1b2c3d4e5f")
                .put("status", new JsonObject().put("state", "active").put("silencedBy", new JsonArray()).put("inhibitedBy", new JsonArray())));
        alertmanager = vertx.createHttpServer().requestHandler(request -> {
            boolean asked = request.path().equals("/api/v2/alerts") && "true".equals(request.getParam("active"))
                    && "false".equals(request.getParam("silenced")) && "false".equals(request.getParam("inhibited"));
            request.response().setStatusCode(asked ? 200 : 404).putHeader("Content-Type", "application/json")
                    .end(asked ? firing.encode() : "{}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopAlertmanager() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anOperatorSeesTheNodeTheDatabaseTheOldestItemAndTheFiringAlerts() {
        try (TestServer server = TestServer.start(Map.of("KRING_ALERTMANAGER_URL", "http://127.0.0.1:" + alertmanager.actualPort() + "/"))) {
            Http http = server.http();
            String operator = server.api().staff("operator");
            String slug = server.community();
            String room = server.room(slug);

            // GIVEN a fresh installation: no open item yet
            Http.Response r = http.get(PATH, operator);
            assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
            JsonObject status = r.body();
            assertThat(status.fieldNames()).containsExactlyInAnyOrder("nodes", "database", "oldestOpenItemAt", "alerts");
            assertThat(status.getString("oldestOpenItemAt")).isNull();
            // THEN one node, this one, with its connections; the database up with its pool
            JsonArray nodes = status.getJsonArray("nodes");
            assertThat(nodes).hasSize(1);
            assertThat(nodes.getJsonObject(0).getBoolean("self")).isTrue();
            assertThat(nodes.getJsonObject(0).getString("id")).isNotBlank();
            assertThat(nodes.getJsonObject(0).getInteger("connections")).isZero();
            JsonObject database = status.getJsonObject("database");
            assertThat(database.getBoolean("up")).isTrue();
            assertThat(database.getInteger("poolSize")).isEqualTo(8);
            assertThat(database.getInteger("poolInUse")).isBetween(0, 8);
            // AND the alert Alertmanager has firing
            assertThat(status.getJsonArray("alerts")).containsExactly(new JsonObject().put("name", "KringDatabaseDown")
                    .put("severity", "critical").put("since", "2031-06-03T08:15:00Z"));

            // WHEN a member reports a message while two members are connected
            try (WsClient writer = server.connect(server.member(slug)); WsClient reporter = server.connect(server.member(slug))) {
                TestServer.join(writer, room);
                TestServer.join(reporter, room);
                long seq = TestServer.sendMessage(writer, room, "ops-1", "Hallo").getJsonObject("data").getLong("seq");
                assertThat(reporter.request("report", new JsonObject().put("room", room).put("seq", seq).put("category", "spam"))
                        .getBoolean("ok")).isTrue();

                // THEN the operator and the installation admin see two connections and the item's time
                for (String token : new String[] {operator, server.adminToken()}) {
                    JsonObject now = http.get(PATH, token).body();
                    assertThat(now.getJsonArray("nodes").getJsonObject(0).getInteger("connections")).isEqualTo(2);
                    assertThat(java.time.Instant.parse(now.getString("oldestOpenItemAt"))).isBeforeOrEqualTo(java.time.Instant.now());
                }
            }

            // AND nobody who works in one community only sees it, nor a member
            assertThat(http.get(PATH, server.api().staff("admin", slug)).errorCode()).isEqualTo("forbidden");
            assertThat(http.get(PATH, server.api().staff("moderator", slug)).status()).isEqualTo(403);
            assertThat(http.get(PATH, server.member(slug)).errorCode()).isEqualTo("forbidden");
            assertThat(http.get(PATH, null).status()).isEqualTo(401);
        }
    }

    @Test
    void anUnreachableAlertmanagerLeavesTheAlertsOutAndSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (TestServer server = TestServer.start(Map.of("KRING_ALERTMANAGER_URL", "http://127.0.0.1:" + closedPort))) {
            Http.Response r = server.http().get(PATH, server.api().staff("operator"));
            assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
            assertThat(r.body().containsKey("alerts")).isTrue();
            assertThat(r.body().getJsonArray("alerts")).isNull();
            assertThat(r.body().getString("alertsError")).isEqualTo("unreachable");
            assertThat(r.body().getJsonObject("database").getBoolean("up")).isTrue();
        }
    }

    @Test
    void withoutAlertmanagerTheAlertsAreNullWithoutAnError() {
        try (TestServer server = TestServer.start(Map.of())) {
            JsonObject status = server.http().get(PATH, server.adminToken()).body();
            assertThat(status.containsKey("alerts")).isTrue();
            assertThat(status.getJsonArray("alerts")).isNull();
            assertThat(status.containsKey("alertsError")).isFalse();
        }
    }
}
