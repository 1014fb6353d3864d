package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Alertmanager's firing alerts, through its HTTP API v2
 * ({@code GET /api/v2/alerts?active=true&silenced=false&inhibited=false}), for the operators' status.
 * Each alert becomes {@code {"name", "severity", "since"}} from its {@code alertname} and
 * {@code severity} labels and {@code startsAt} ({@code severity} is {@value #NO_SEVERITY} when the
 * alert has none). Any failure (refused, slow, not 200, not JSON) fails the future: the status
 * then says "unreachable". Thread-safe.
 */
public final class Alertmanager {

    /** Connect and answer within this, or the status is shown without alerts ("unreachable"). */
    static final long TIMEOUT_MS = 2_000;
    static final String NO_SEVERITY = "none";
    static final String PATH = "/api/v2/alerts?active=true&silenced=false&inhibited=false";

    private final HttpClient client;
    private final String url;

    /** @param baseUrl KRING_ALERTMANAGER_URL, without a trailing slash */
    public Alertmanager(Vertx vertx, String baseUrl) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS));
        this.url = baseUrl + PATH;
    }

    /** The alerts firing now (not silenced, not inhibited). */
    public Future<JsonArray> firing() {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setIdleTimeout(TIMEOUT_MS)
                        .putHeader("Accept", "application/json"))
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200 ? response.body()
                        : Future.failedFuture("Alertmanager answered " + response.statusCode()))
                .map(body -> alerts(body.toJsonArray()))
                .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Alertmanager's alert objects as the status shows them. */
    static JsonArray alerts(JsonArray firing) {
        JsonArray out = new JsonArray();
        for (Object o : firing) {
            JsonObject alert = (JsonObject) o;
            JsonObject labels = alert.getJsonObject("labels", new JsonObject());
            out.add(new JsonObject().put("name", labels.getString("alertname", "")).put("severity", labels.getString("severity", NO_SEVERITY))
                    .put("since", java.time.OffsetDateTime.parse(alert.getString("startsAt")).toInstant().toString()));
        }
        return out;
    }
}
