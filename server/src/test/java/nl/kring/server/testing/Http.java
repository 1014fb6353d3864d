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

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response: status, the body as JSON (null when empty), and as text with its content type. */
    public record Response(int status, JsonObject body, String text, String contentType) {

        /** The error code of an error body. */
        public String errorCode() {
            return body == null || body.getJsonObject("error") == null ? null : body.getJsonObject("error").getString("code");
        }
    }

    /** Any method; {@code body} may be null (no body). */
    public Response request(String method, String path, String token, JsonObject body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.encode());
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher), token);
    }

    public Response patch(String path, String token, JsonObject body) {
        return request("PATCH", path, token, body);
    }

    public Response put(String path, String token, JsonObject body) {
        return request("PUT", path, token, body);
    }

    public Response delete(String path, String token) {
        return request("DELETE", path, token, null);
    }

    public Response post(String path, String token, JsonObject body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode())), token);
    }

    /** A POST with extra request headers (such as {@code X-Forwarded-For} when the test plays a trusted proxy). */
    public Response post(String path, String token, JsonObject body, java.util.Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode()));
        headers.forEach(builder::header);
        return send(builder, token);
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
            String type = r.headers().firstValue("Content-Type").orElse(null);
            boolean json = text != null && !text.isBlank() && (type == null || type.startsWith("application/json"));
            return new Response(r.statusCode(), json ? new JsonObject(text) : null, text, type);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
