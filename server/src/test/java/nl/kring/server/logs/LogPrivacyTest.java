package nl.kring.server.logs;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.ServerProcess;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's log, at debug level, of a session full of known secrets: one JSON object a line,
 * correlation ids on connection events, and none of the secrets — not the tokens, the ticket,
 * the invite codes, the member's pseudonym, the message bodies, a phone number in a held
 * message, a report's reason, or the admin's password.
 */
class LogPrivacyTest {

    @Test
    void aSessionWithKnownSecretsLeavesNoneOfThemInTheJsonLog() {
        List<String> secrets = new ArrayList<>();
        List<String> output;
        try (ServerProcess server = ServerProcess.start(TestDatabase.fresh(), Map.of("KRING_LOG_LEVEL", "DEBUG"))) {
            ApiClient api = new ApiClient(server.port());
            Http http = api.http();
            String slug = api.community();
            String room = api.room(slug);
            List<String> codes = api.invites(slug, 2);
            String pseudonym = "Zeldzaam_" + System.nanoTime() % 100_000;
            Http.Response joined = api.signUp(slug, codes.get(0), pseudonym, "16-17", "utrecht");
            assertThat(joined.status()).isEqualTo(201);
            String token = joined.body().getString("token");
            String readerToken = api.signUp(slug, codes.get(1), "Lezer_" + System.nanoTime() % 100_000, "18-21", null)
                    .body().getString("token");
            String ticket = api.ticket(token);
            secrets.addAll(List.of(token, readerToken, ticket, codes.get(0), codes.get(0).replace("-", ""), codes.get(1), pseudonym,
                    api.adminToken(), TestServer.ADMIN_PASSWORD, "geheime zin 4417", "0612349876", "reden die niemand mag lezen"));
            try (WsClient member = WsClient.connect(server.port(), ticket); WsClient reader = api.connect(readerToken)) {
                TestServer.join(reader, room);
                long seq = TestServer.sendMessage(member, room, "p-1", "mijn geheime zin 4417").getJsonObject("data").getLong("seq");
                TestServer.sendMessage(member, room, "p-2", "bel me op 0612349876");
                reader.request("report", new JsonObject().put("room", room).put("seq", seq).put("category", "other")
                        .put("reason", "reden die niemand mag lezen"));
                // Tried: a malformed frame and a forged token, so that error paths log too
                member.sendRaw("{not json");
                member.nextOfType("error");
                assertThat(http.get("/api/v1/me", "kr_forged-token").status()).isEqualTo(401);
            }
            server.terminate();
            output = server.outputAfterExit();
        }
        List<String> json = output.stream().filter(l -> l.startsWith("{")).toList();
        assertThat(json).as("log lines").hasSizeGreaterThan(3);
        List<String> leaks = new ArrayList<>();
        for (String line : output) {
            for (String secret : secrets) {
                if (line.toLowerCase().contains(secret.toLowerCase())) {
                    leaks.add(secret + " in: " + line);
                }
            }
        }
        assertThat(leaks).as("secrets in the log").isEmpty();
        boolean correlated = false;
        for (String line : json) {
            JsonObject event = new JsonObject(line);
            assertThat(event.getString("level")).as(line).isNotBlank();
            assertThat(event.getString("formattedMessage")).as(line).isNotNull();
            JsonObject mdc = event.getJsonObject("mdc");
            correlated |= mdc != null && mdc.getString("conn", "").startsWith("ws-");
        }
        assertThat(correlated).as("connection events carry a correlation id").isTrue();
        assertThat(output).anyMatch(l -> l.contains("Kring started"));
    }
}
