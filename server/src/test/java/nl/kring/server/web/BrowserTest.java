package nl.kring.server.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.kring.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first page, end to end in a real headless Chromium (Debian's, driven by playwright-core;
 * {@code ./kring test} installs both when missing): join with invite codes, chat live, history.
 */
class BrowserTest {

    @Test
    void twoMembersJoinThroughThePageAndChat() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            String slug = server.community();
            String roomId = server.room(slug);
            String roomName = roomName(server, roomId);
            List<String> codes = server.invites(slug, 2);
            // a moderator is on duty: heavy messages are delivered with care, not held as in fallback mode
            server.api().moderatorOnDuty(slug);
            runScenario("join-and-chat.mjs", "http://127.0.0.1:" + server.port(), slug, codes.get(0), codes.get(1), roomName);
        }
    }

    @Test
    void aModeratorWorksTheQueueInTheConsole() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            String slug = server.community();
            String roomId = server.room(slug);
            String roomName = roomName(server, roomId);
            String email = "console-" + System.nanoTime() + "@kring.test";
            assertThat(server.http().post("/api/v1/admin/staff", server.adminToken(), new io.vertx.core.json.JsonObject()
                    .put("email", email).put("password", "console-password-1").put("role", "moderator")
                    .put("displayName", "Moderator Mila").put("communities", new io.vertx.core.json.JsonArray().add(slug))).status())
                    .isEqualTo(201);
            // GIVEN a held message with method details and a reported spam message
            try (nl.kring.server.testing.WsClient author = server.connect(server.member(slug));
                 nl.kring.server.testing.WsClient reporter = server.connect(server.member(slug))) {
                assertThat(TestServer.sendMessage(author, roomId, "c-1", "hoeveel paracetamol is dodelijk?")
                        .getJsonObject("data").getString("status")).isEqualTo("held");
                long seq = TestServer.sendMessage(author, roomId, "c-2", "koop nu mijn stickers, supergoedkoop")
                        .getJsonObject("data").getLong("seq");
                assertThat(reporter.request("report", new io.vertx.core.json.JsonObject().put("room", roomId).put("seq", seq)
                        .put("category", "spam")).getBoolean("ok")).isTrue();
            }
            String code = server.invites(slug, 1).get(0);
            runScenario("moderator-console.mjs", "http://127.0.0.1:" + server.port(), slug, roomName, email, "console-password-1", code);
        }
    }

    static String roomName(TestServer server, String roomId) {
        return server.http().get("/api/v1/rooms", server.adminToken()).body().getJsonArray("rooms").stream()
                .map(o -> (io.vertx.core.json.JsonObject) o).filter(r -> r.getString("id").equals(roomId))
                .findFirst().orElseThrow().getString("name");
    }

    /** Runs one scenario of web-client/e2e in node; it prints OK, or FAILED and what went wrong. */
    static void runScenario(String script, String... args) throws Exception {
        Path path = Path.of("..", "web-client", "e2e", script).toAbsolutePath().normalize();
        assertThat(path.resolveSibling("node_modules").resolve("playwright-core"))
                .as("run ./kring test, which installs playwright-core").exists();
        List<String> command = new java.util.ArrayList<>(List.of("node", path.toString()));
        command.addAll(List.of(args));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("browser run output").contains("OK");
        assertThat(node.exitValue()).isZero();
    }
}
