package nl.kring.server.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import nl.kring.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The back office (beheer.html) end to end in a real headless Chromium (web-client/e2e/beheer.mjs):
 * from an empty installation to a member in a branded community without curl, every screen scanned
 * by axe-core at phone and desktop width, and the forced password change after a reset.
 */
class BeheerBrowserTest {

    @Test
    void anAdminSetsUpACommunityInTheBackOfficeAndAResetAccountMustChooseAPassword() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            // GIVEN a moderator of an existing community whose password an admin reset
            String slug = server.community();
            String email = "reset-" + System.nanoTime() + "@kring.test";
            var created = server.http().post("/api/v1/admin/staff", server.adminToken(), new JsonObject()
                    .put("email", email).put("password", "first-password-1").put("role", "moderator")
                    .put("displayName", "Moderator Mo").put("communities", new JsonArray().add(slug)));
            assertThat(created.status()).isEqualTo(201);
            var reset = server.http().post("/api/v1/admin/staff/" + created.body().getString("id") + "/reset-password",
                    server.adminToken(), new JsonObject().put("reason", "wachtwoord vergeten"));
            assertThat(reset.status()).isEqualTo(200);
            BrowserTest.runScenario("beheer.mjs", "http://127.0.0.1:" + server.port(), TestServer.ADMIN_EMAIL,
                    TestServer.ADMIN_PASSWORD, email, reset.body().getString("temporaryPassword"));
        }
    }
}
