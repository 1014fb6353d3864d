package nl.kring.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import nl.kring.server.db.Database;

/**
 * The management listener (127.0.0.1:8081 by default): {@code /metrics} in Prometheus text
 * format, {@code /health/live} and {@code /health/ready} (200 only while PostgreSQL answers and
 * the schema is migrated).
 */
public final class ManagementVerticle extends VerticleBase {

    private final String host;
    private final int port;
    private final PrometheusMeterRegistry registry;
    private final Database db;
    private HttpServer server;

    public ManagementVerticle(String host, int port, PrometheusMeterRegistry registry, Database db) {
        this.host = host;
        this.port = port;
        this.registry = registry;
        this.db = db;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        router.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", "up").encode()));
        router.get("/health/ready").handler(ctx -> {
            boolean ready = db.isReady();
            ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("status", ready ? "ready" : "not_ready").put("reason", db.reason()).encode());
        });
        // HTTP/1.1 only: Prometheus scrapes with it, and an h2c upgrade once left a test's scrape unanswered.
        server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(router);
        return server.listen(port, host);
    }

    public int actualPort() {
        return server.actualPort();
    }
}
