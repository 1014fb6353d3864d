package nl.kring.server.accounts;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** KRING_REQUIRE_TOTP: moderators, admins and operators can do nothing before they enrol a second factor. */
class RequiredTotpTest {

    @Test
    void aModeratorWithoutASecondFactorMayOnlyEnrolUntilConfirmed() {
        try (TestServer server = TestServer.start(Map.of("KRING_REQUIRE_TOTP", "true"))) {
            Http http = server.http();
            // GIVEN the bootstrap admin enrols first: on a fresh installation that is the first thing to do
            String admin = server.adminToken();
            assertThat(http.post("/api/v1/admin/communities", admin, new JsonObject().put("slug", "eerst").put("name", "Eerst"))
                    .errorCode()).isEqualTo("totp_required");
            String adminSecret = http.post("/api/v1/me/totp", admin, null).body().getString("secret");
            assertThat(http.post("/api/v1/me/totp/confirm", admin,
                    new JsonObject().put("code", Totp.code(adminSecret, Totp.step(Instant.now())))).status()).isEqualTo(200);
            String slug = server.community();
            String email = "mod" + System.nanoTime() + "@kring.test";
            assertThat(http.post("/api/v1/admin/staff", server.adminToken(), new JsonObject().put("email", email)
                    .put("password", "staff-password-123").put("role", "moderator").put("displayName", "Mo")
                    .put("communities", new io.vertx.core.json.JsonArray(List.of(slug)))).status()).isEqualTo(201);
            // AND a moderator who signs in without a second factor
            Http.Response login = http.post("/api/v1/auth/login", null,
                    new JsonObject().put("email", email).put("password", "staff-password-123"));
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.body().getJsonObject("user").getBoolean("totpEnrolmentRequired")).isTrue();
            String token = login.body().getString("token");
            // THEN rooms, tickets and moderation are closed to them
            assertThat(http.get("/api/v1/rooms", token).errorCode()).isEqualTo("totp_required");
            assertThat(http.post("/api/v1/ws-ticket", token, null).errorCode()).isEqualTo("totp_required");
            // WHEN they enrol and confirm
            String secret = http.post("/api/v1/me/totp", token, null).body().getString("secret");
            assertThat(http.post("/api/v1/me/totp/confirm", token,
                    new JsonObject().put("code", Totp.code(secret, Totp.step(Instant.now())))).status()).isEqualTo(200);
            // THEN the same session works, and the factor cannot be removed while it is required
            assertThat(http.get("/api/v1/rooms", token).status()).isEqualTo(200);
            assertThat(http.post("/api/v1/ws-ticket", token, null).status()).isEqualTo(200);
            assertThat(http.post("/api/v1/me/totp/remove", token, new JsonObject().put("code", "123456")).status()).isEqualTo(403);
            // AND a peer expert is not asked for one
            String peerEmail = "peer" + System.nanoTime() + "@kring.test";
            http.post("/api/v1/admin/staff", server.adminToken(), new JsonObject().put("email", peerEmail)
                    .put("password", "staff-password-123").put("role", "peer_expert").put("displayName", "Peer")
                    .put("communities", new io.vertx.core.json.JsonArray(List.of(slug))));
            String peer = server.api().login(peerEmail, "staff-password-123");
            assertThat(http.get("/api/v1/rooms", peer).status()).isEqualTo(200);
        }
    }
}
