package nl.kring.server.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * The XSS corpus through every VraagBaak field shown (web-client/e2e/xss-vraagbaak.mjs): each
     * payload a question's title or body, an answer or a reason; the editor's and answerer's display
     * names payloads; a third of the questions published, some rejected, the rest answered or assigned.
     */
    @Test
    void noXssPayloadRunsInTheVraagBaakPages() throws Exception {
        List<String> payloads = Files.readAllLines(Path.of("..", "web-client", "e2e", "xss-payloads.txt"))
                .stream().filter(l -> !l.isEmpty()).toList();
        try (TestServer server = TestServer.start(Map.of())) {
            var http = server.http();
            String slug = server.community();
            String password = "vraagbaak-password-1";
            String editorEmail = staff(server, "moderator", "<svg onload=__xss()>Redactie", slug, password);
            String answererEmail = staff(server, "professional", "<img src=x onerror=__xss()>Hanna", slug, password);
            String editor = server.api().login(editorEmail, password);
            String answerer = http.get("/api/v1/vraagbaak/communities/" + slug + "/answerers", editor).body()
                    .getJsonArray("answerers").getJsonObject(0).getString("id");
            String firstAsker = null;
            String asker = null;
            for (int i = 0; i < payloads.size() / 2; i++) {
                if (i % 5 == 0) {
                    asker = server.member(slug);   // five questions each: the members' limit at once
                    if (firstAsker == null) firstAsker = asker;
                }
                String title = payloads.get(2 * i).strip();
                title = title.length() < 3 ? "Vraag " + title : title.length() > 120 ? title.substring(0, 120) : title;
                var asked = http.post("/api/v1/communities/" + slug + "/questions", asker,
                        new JsonObject().put("title", title).put("body", payloads.get(2 * i + 1)));
                assertThat(asked.status()).as("ask %s", title).isEqualTo(201);
                String step = "/api/v1/vraagbaak/questions/" + asked.body().getString("id") + "/";
                assertThat(http.post(step + "assign", editor, new JsonObject().put("to", answerer)).status()).isEqualTo(200);
                if (i % 3 == 2) continue;   // stays assigned
                assertThat(http.post(step + "answer", editor, new JsonObject()
                        .put("body", "Antwoord: " + payloads.get((2 * i + 50) % payloads.size()))).status()).isEqualTo(200);
                if (i % 3 == 0) {
                    http.post(step + "clear-risk", editor, new JsonObject().put("reason", payloads.get(2 * i)));   // 409 when no risk
                    assertThat(http.post(step + "publish", editor, new JsonObject()).status()).as("publish %s", title).isEqualTo(200);
                } else if (i % 6 == 1) {
                    assertThat(http.post(step + "reject", editor, new JsonObject().put("reason", payloads.get(2 * i + 1)))
                            .status()).isEqualTo(200);
                }
            }
            BrowserTest.runScenario("xss-vraagbaak.mjs", "http://127.0.0.1:" + server.port(), slug, editorEmail, answererEmail,
                    password, firstAsker);
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
