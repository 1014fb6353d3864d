package nl.kring.server.admin;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import nl.kring.server.testing.OneServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community's logo ({@code PUT/DELETE /api/v1/admin/communities/{slug}/logo}, public
 * {@code GET /api/v1/communities/{slug}/logo}, issue 27, item 3), with real bytes over real HTTP.
 * Both tests failed on the code before this branch (checked): the 200 KiB upload got 413 from the
 * API's 64 KiB body limit, and the other paths did not exist (404 "no such endpoint").
 */
class LogoTest extends OneServer {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R', 1, 2, 3};
    static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'};
    static final byte[] WEBP = {'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};

    static HttpResponse<byte[]> send(String method, String path, String token, String type, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> upload(String slug, String token, String type, byte[] body) {
        return send("PUT", "/api/v1/admin/communities/" + slug + "/logo", token, type, body);
    }

    static String code(HttpResponse<byte[]> r) {
        return new JsonObject(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).getJsonObject("error").getString("code");
    }

    @Test
    void anAdminUploadsALogoThatAnyoneFetchesWithItsTypeAndTheStrictHeaders() {
        String slug = server.community();
        byte[] png = Arrays.copyOf(PNG, 200 * 1024);

        // WHEN the community's admin uploads a PNG of 200 KiB (over the API's 64 KiB for JSON)
        HttpResponse<byte[]> put = upload(slug, api.staff("admin", slug), "image/png", png);
        assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(204);

        // THEN the front door points at it and anyone, signed in or not, gets it back as it was
        String url = http.get("/api/v1/communities/" + slug, null).body().getJsonObject("branding").getString("logoUrl");
        assertThat(url).startsWith("/api/v1/communities/" + slug + "/logo");
        HttpResponse<byte[]> got = send("GET", url, null, null, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(png);
        assertThat(got.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(got.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(got.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        assertThat(got.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age");

        // AND a JPEG and a WebP replace it, each served with its own type
        assertThat(upload(slug, api.adminToken(), "image/jpeg", JPEG).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/communities/" + slug + "/logo", null, null, null).headers().firstValue("Content-Type"))
                .hasValue("image/jpeg");
        assertThat(upload(slug, api.adminToken(), "image/webp", WEBP).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/communities/" + slug + "/logo", null, null, null).body()).isEqualTo(WEBP);

        // AND removing it leaves no logo (404) and no logoUrl
        assertThat(send("DELETE", "/api/v1/admin/communities/" + slug + "/logo", api.adminToken(), null, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/communities/" + slug + "/logo", null, null, null).statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/communities/" + slug, null).body().getJsonObject("branding").getString("logoUrl")).isNull();
        // both changes are audited
        assertThat(http.get("/api/v1/admin/audit?community=" + slug + "&action=community.logo_set", api.adminToken()).body()
                .getJsonArray("entries")).hasSize(3);
    }

    @Test
    void wrongBytesWrongTypesTooLargeAndWrongRolesAreRefused() {
        String slug = server.community();
        String admin = api.adminToken();
        // a PNG's header on a file that is not one (an HTML page, a script): 415, never stored
        HttpResponse<byte[]> html = upload(slug, admin, "image/png", "<script>alert(1)</script>".getBytes());
        assertThat(html.statusCode()).isEqualTo(415);
        assertThat(code(html)).isEqualTo("unsupported_media_type");
        assertThat(code(upload(slug, admin, "image/jpeg", PNG))).isEqualTo("unsupported_media_type");
        assertThat(code(upload(slug, admin, "image/svg+xml", "<svg/>".getBytes()))).isEqualTo("unsupported_media_type");
        assertThat(code(upload(slug, admin, "text/html", PNG))).isEqualTo("unsupported_media_type");
        assertThat(upload(slug, admin, null, PNG).statusCode()).isEqualTo(415);
        // over 256 KiB: 413
        HttpResponse<byte[]> large = upload(slug, admin, "image/png", Arrays.copyOf(PNG, 256 * 1024 + 1));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(code(large)).isEqualTo("payload_too_large");
        assertThat(upload(slug, admin, "image/png", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/communities/" + slug + "/logo", null, null, null).statusCode()).isEqualTo(404);

        // roles: a moderator may not, nor an admin of another community, nor anyone without a token
        assertThat(code(upload(slug, api.staff("moderator", slug), "image/png", PNG))).isEqualTo("forbidden");
        assertThat(code(upload(slug, api.staff("admin", server.community()), "image/png", PNG))).isEqualTo("forbidden");
        assertThat(code(upload(slug, server.member(slug), "image/png", PNG))).isEqualTo("forbidden");
        assertThat(upload(slug, null, "image/png", PNG).statusCode()).isEqualTo(401);
        assertThat(code(send("DELETE", "/api/v1/admin/communities/" + slug + "/logo", api.staff("moderator", slug), null, null)))
                .isEqualTo("forbidden");
        assertThat(upload("no-such-community", admin, "image/png", PNG).statusCode()).isEqualTo(404);
        // an operator manages communities, so may
        assertThat(upload(slug, api.staff("operator"), "image/png", PNG).statusCode()).isEqualTo(204);
    }
}
