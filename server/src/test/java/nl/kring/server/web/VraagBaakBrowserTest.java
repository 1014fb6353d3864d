package nl.kring.server.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import nl.kring.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VraagBaak pages end to end in a real headless Chromium (web-client/e2e/vraagbaak.mjs): a member
 * asks on the members' page, an editor assigns in the moderators' console, a professional answers in
 * the consultation-hour console, the editor rewords and publishes, the member sees the published
 * answer and a visitor finds it by search; axe-core clean on every new view at phone and desktop width.
 */
class VraagBaakBrowserTest {

    @Test
    void aMemberAsksAnEditorAssignsAProfessionalAnswersAndTheAnswerIsPublishedAndFound() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            String slug = server.community();
            String password = "vraagbaak-password-1";
            String editor = staff(server, "moderator", "Redacteur Ruud", slug, password);
            String answerer = staff(server, "professional", "Hulpverlener Hanna", slug, password);
            BrowserTest.runScenario("vraagbaak.mjs", "http://127.0.0.1:" + server.port(), slug, server.invites(slug, 1).get(0),
                    editor, answerer, password, "Hulpverlener Hanna");
            // THEN the risky question was never published: only the one the editor published is public
            var published = server.http().get("/api/v1/communities/" + slug + "/questions", null).body().getJsonArray("questions");
            assertThat(published).hasSize(1);
            assertThat(published.getJsonObject(0).getString("title")).isEqualTo("Wakker liggen voor examens");
        }
    }

    private static String staff(TestServer server, String role, String name, String slug, String password) {
        String email = role + "-" + System.nanoTime() + "@kring.test";
        assertThat(server.http().post("/api/v1/admin/staff", server.adminToken(), new JsonObject().put("email", email)
                .put("password", password).put("role", role).put("displayName", name)
                .put("communities", new JsonArray().add(slug))).status()).isEqualTo(201);
        return email;
    }
}
