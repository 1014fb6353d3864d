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
            // and an operator and a peer expert, to check what each role's menu offers
            String operator = "operator-" + System.nanoTime() + "@kring.test";
            String peer = "peer-" + System.nanoTime() + "@kring.test";
            for (String[] s : java.util.List.of(new String[] {operator, "operator"}, new String[] {peer, "peer_expert"})) {
                assertThat(server.http().post("/api/v1/admin/staff", server.adminToken(), new JsonObject().put("email", s[0])
                        .put("password", "role-password-1").put("role", s[1]).put("displayName", "Rol " + s[1])
                        .put("communities", new JsonArray().add(slug))).status()).isEqualTo(201);
            }
            // and a community whose audit trail has 55 name changes: more than one page of the trail (50)
            String audited = server.community();
            for (int i = 0; i < 55; i++) {
                assertThat(server.http().patch("/api/v1/admin/communities/" + audited, server.adminToken(),
                        new JsonObject().put("name", "Logboek " + i)).status()).isEqualTo(200);
            }
            BrowserTest.runScenario("beheer.mjs", "http://127.0.0.1:" + server.port(), TestServer.ADMIN_EMAIL,
                    TestServer.ADMIN_PASSWORD, email, reset.body().getString("temporaryPassword"), operator, peer, "role-password-1",
                    audited);
        }
    }

    /**
     * The back office's main screens at phone and desktop width (server/target/screenshots; docs/screenshots
     * holds a copy, referenced from docs/web-client.md), on a community set up as a coordinator would.
     */
    @Test
    void backOfficeScreensAreCaptured() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            var http = server.http();
            String admin = server.adminToken();
            String slug = server.community();
            assertThat(http.patch("/api/v1/admin/communities/" + slug, admin, new JsonObject().put("name", "Angst de baas")
                    .put("primaryColour", "#2f6f73").put("accentColour", "#f2b134")
                    .put("welcomeText", "Welkom! Hier praat je anoniem met jongeren die ook angst kennen.")
                    .put("houseRules", "1. Wees aardig.\n2. Deel geen namen of telefoonnummers.")).status()).isEqualTo(200);
            assertThat(http.post("/api/v1/admin/communities/" + slug + "/rooms", admin, new JsonObject().put("name", "Avondkamer 16-17")
                    .put("kind", "age_banded").put("ageBands", new JsonArray().add("16-17")).put("slowModeSeconds", 10)
                    .put("pinnedNotice", "Lees eerst de huisregels.")).status()).isEqualTo(201);
            assertThat(http.post("/api/v1/admin/communities/" + slug + "/help", admin, new JsonObject().put("name", "Jongerenlijn")
                    .put("description", "Chat met een vrijwilliger").put("url", "https://www.example.nl/chat").put("hours", "always"))
                    .status()).isEqualTo(201);
            server.api().staff("moderator", slug);
            server.invites(slug, 3);
            java.nio.file.Path out = java.nio.file.Path.of("target", "screenshots").toAbsolutePath();
            BrowserTest.runScenario("screenshots-beheer.mjs", "http://127.0.0.1:" + server.port(), TestServer.ADMIN_EMAIL,
                    TestServer.ADMIN_PASSWORD, slug, out.toString());
            for (String screen : java.util.List.of("signin", "communities", "rooms", "invites", "staff", "help", "figures", "audit", "account")) {
                assertThat(out.resolve("beheer-" + screen + "-phone.png")).isNotEmptyFile();
                assertThat(out.resolve("beheer-" + screen + "-desktop.png")).isNotEmptyFile();
            }
        }
    }

    /**
     * XSS in the back office: the corpus (web-client/e2e/xss-payloads.txt) as a community's name,
     * welcome text and house rules, as room names and pinned notices (every payload of up to 100
     * characters), invite batch labels, help entries and staff display names (20 each). The scenario
     * (xss-beheer.mjs) opens every screen and edit form; nothing may run and the CSP may report nothing.
     * The names the server accepted go to the scenario in a file (the server refuses a few shapes).
     */
    @Test
    void noXssPayloadRunsInTheBackOffice() throws Exception {
        java.util.List<String> payloads = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "web-client", "e2e", "xss-payloads.txt"))
                .stream().filter(l -> !l.isEmpty()).toList();
        java.util.List<String> shortOnes = payloads.stream().filter(p -> p.length() <= 100).toList();
        try (TestServer server = TestServer.start(Map.of())) {
            var http = server.http();
            String admin = server.adminToken();
            String slug = server.community();
            assertThat(http.patch("/api/v1/admin/communities/" + slug, admin, new JsonObject().put("name", shortOnes.get(0))
                    .put("welcomeText", String.join("\n", payloads.subList(0, 20)))
                    .put("houseRules", String.join("\n", payloads.subList(0, 20)))).status()).isEqualTo(200);
            JsonObject accepted = new JsonObject().put("rooms", new JsonArray()).put("batches", new JsonArray())
                    .put("help", new JsonArray()).put("staff", new JsonArray());
            for (String p : shortOnes) {
                if (http.post("/api/v1/admin/communities/" + slug + "/rooms", admin, new JsonObject().put("name", p)
                        .put("kind", "community").put("pinnedNotice", p)).status() == 201) {
                    accepted.getJsonArray("rooms").add(p);
                }
            }
            for (String p : shortOnes.subList(0, 20)) {
                if (http.post("/api/v1/admin/communities/" + slug + "/invites", admin, new JsonObject().put("count", 1).put("label", p))
                        .status() == 201) {
                    accepted.getJsonArray("batches").add(p);
                }
                if (http.post("/api/v1/admin/communities/" + slug + "/help", admin, new JsonObject().put("name", p).put("description", p)
                        .put("url", "https://www.113.nl/").put("hours", "always")).status() == 201) {
                    accepted.getJsonArray("help").add(p);
                }
            }
            int n = 0;
            for (String p : shortOnes.stream().filter(x -> x.length() <= 60).limit(20).toList()) {
                if (http.post("/api/v1/admin/staff", admin, new JsonObject().put("email", "xss-" + (n++) + "-" + System.nanoTime() + "@kring.test")
                        .put("password", "xss-password-123").put("role", "moderator").put("displayName", p)
                        .put("communities", new JsonArray().add(slug))).status() == 201) {
                    accepted.getJsonArray("staff").add(p);
                }
            }
            assertThat(accepted.getJsonArray("rooms").size()).as("rooms with payload names").isGreaterThan(100);
            assertThat(accepted.getJsonArray("help").size()).as("help entries with payload names").isGreaterThan(10);
            java.nio.file.Path file = java.nio.file.Files.createTempFile("kring-xss-beheer", ".json");
            java.nio.file.Files.writeString(file, accepted.encode());
            try {
                BrowserTest.runScenario("xss-beheer.mjs", "http://127.0.0.1:" + server.port(), slug, TestServer.ADMIN_EMAIL,
                        TestServer.ADMIN_PASSWORD, file.toString());
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        }
    }
}
