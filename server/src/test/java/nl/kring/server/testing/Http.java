package nl.kring.server.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny real HTTP client for the API (JDK HttpClient). */
public final class Http {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Response(int status, JsonObject body) {
    }

    public Response post(String path, String token, JsonObject body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode())), token);
    }

    public Response postRaw(String path, String token, String raw) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(raw)), token);
    }

    public Response get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
    }

    private Response send(HttpRequest.Builder builder, String token) {
        builder.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            String text = r.body();
            return new Response(r.statusCode(), text == null || text.isBlank() ? null : new JsonObject(text));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
