package nl.kring.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import nl.kring.server.accounts.Totp;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.yaml against a running server: every operation is called (its success and its
 * usual errors), every response is validated against the document with Vert.x's OpenAPI
 * validator, and the server has no route the document does not describe.
 */
class OpenApiContractTest {

    static TestServer server;
    static Vertx vertx;
    static OpenAPIContract contract;
    static String document;
    static ResponseValidator validator;
    static Http http;
    static ApiClient api;
    static final List<String> problems = new ArrayList<>();
    static final Set<String> exercised = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of());
        vertx = Vertx.vertx();
        document = java.nio.file.Files.readString(Path.of("..", "docs", "openapi.yaml"));
        // the validator knows no image media types: it reads the logo's image answer as application/octet-stream
        // (callBinary checks the image types against the document's text)
        Path adapted = java.nio.file.Files.createTempFile("openapi", ".yaml");
        java.nio.file.Files.writeString(adapted, document.replaceAll(
                "(?m)^( +)image/png: (\\{schema: [^\n]*\\})\n +image/jpeg: [^\n]*\n +image/webp: [^\n]*",
                "$1application/octet-stream: $2"));
        contract = OpenAPIContract.from(vertx, adapted.toAbsolutePath().toString())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        validator = ResponseValidator.create(vertx, contract);
        http = server.http();
        api = server.api();
    }

    @AfterAll
    static void stop() {
        vertx.close();
        server.close();
    }

    /** Makes a call and validates the response against the operation the document gives for it. */
    static Http.Response call(String method, String path, String token, JsonObject body) {
        Http.Response r = http.request(method, path, token, body);
        Operation op = contract.findOperation(path.split("\\?", 2)[0], HttpMethod.valueOf(method));
        if (op == null) {
            problems.add(method + " " + path + ": not in docs/openapi.yaml");
            return r;
        }
        exercised.add(op.getOperationId());
        if (r.contentType() != null && r.contentType().startsWith("text/plain")) {
            // the validator reads JSON bodies only; a text answer (the CSV export) must have a documented status and media type
            var documented = op.getResponse(r.status());
            if (documented == null || !documented.getContent().containsKey(r.contentType())) {
                problems.add(method + " " + path + " -> " + r.status() + " " + r.contentType() + ": not documented");
            }
            return r;
        }
        ValidatableResponse response = r.text() == null || r.text().isEmpty()
                ? ValidatableResponse.create(r.status())
                : ValidatableResponse.create(r.status(), Buffer.buffer(r.text()), r.contentType());
        try {
            validator.validate(response, op.getOperationId()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            problems.add(method + " " + path + " -> " + r.status() + " " + r.text() + ": " + e.getMessage());
        }
        return r;
    }

    /** A call with a raw body (an upload) or a binary answer (an image), checked against the document as {@link #call} does. */
    static int callBinary(String method, String path, String token, String type, byte[] body) throws Exception {
        var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            builder.header("Content-Type", type);
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        var r = java.net.http.HttpClient.newHttpClient().send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        Operation op = contract.findOperation(path.split("\\?", 2)[0], HttpMethod.valueOf(method));
        if (op == null) {
            problems.add(method + " " + path + ": not in docs/openapi.yaml");
            return r.statusCode();
        }
        exercised.add(op.getOperationId());
        String answered = r.headers().firstValue("Content-Type").orElse(null);
        if (answered != null && answered.startsWith("image/")) {
            var documented = op.getResponse(r.statusCode());
            if (documented == null || !documented.getContent().containsKey("application/octet-stream")
                    || !document.contains("            " + answered + ": {schema: {type: string, format: binary}}")) {
                problems.add(method + " " + path + " -> " + r.statusCode() + " " + answered + ": not documented");
            }
            return r.statusCode();
        }
        ValidatableResponse response = r.body().length == 0 ? ValidatableResponse.create(r.statusCode())
                : ValidatableResponse.create(r.statusCode(), Buffer.buffer(r.body()), answered);
        try {
            validator.validate(response, op.getOperationId()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            problems.add(method + " " + path + " -> " + r.statusCode() + ": " + e.getMessage());
        }
        return r.statusCode();
    }

    @Test
    void everyOperationAnswersAsDocumented() throws Exception {
        String admin = api.adminToken();
        String slug = "oa-" + System.nanoTime() % 100000;
        // communities and rooms
        call("POST", "/api/v1/admin/communities", admin, new JsonObject().put("slug", slug).put("name", "OpenAPI"));
        call("POST", "/api/v1/admin/communities", admin, new JsonObject().put("slug", slug).put("name", "again"));
        call("POST", "/api/v1/admin/communities", admin, new JsonObject().put("slug", "NOT OK").put("name", "x"));
        call("GET", "/api/v1/admin/communities", admin, null);
        call("GET", "/api/v1/admin/communities/" + slug, admin, null);
        call("GET", "/api/v1/admin/communities/nope", admin, null);
        call("PATCH", "/api/v1/admin/communities/" + slug, admin, new JsonObject().put("welcomeText", "Welkom").put("policy", new JsonObject()));
        call("PATCH", "/api/v1/admin/communities/" + slug, admin, new JsonObject().put("primaryColour", "blue"));
        call("GET", "/api/v1/communities/" + slug, null, null);
        call("GET", "/api/v1/communities/nope", null, null);
        String room = call("POST", "/api/v1/admin/communities/" + slug + "/rooms", admin,
                new JsonObject().put("name", "Algemeen")).body().getString("id");
        call("POST", "/api/v1/admin/communities/" + slug + "/rooms", admin, new JsonObject().put("name", "Jong").put("kind", "age_banded")
                .put("ageBands", new JsonArray(List.of("12-15", "16-17"))).put("region", "utrecht").put("pinnedNotice", "Hoi"));
        call("POST", "/api/v1/admin/communities/" + slug + "/rooms", admin, new JsonObject().put("name", "x").put("kind", "spreekuur"));
        call("GET", "/api/v1/admin/communities/" + slug + "/rooms", admin, null);
        call("PATCH", "/api/v1/admin/rooms/" + room, admin, new JsonObject().put("slowModeSeconds", 5).put("pinnedNotice", "Welkom"));
        call("PATCH", "/api/v1/admin/rooms/999999", admin, new JsonObject().put("readOnly", true));
        // invites and members
        JsonObject batch = call("POST", "/api/v1/admin/communities/" + slug + "/invites", admin,
                new JsonObject().put("count", 3).put("uses", 2).put("label", "School")).body();
        call("POST", "/api/v1/admin/communities/" + slug + "/invites", admin, new JsonObject().put("count", 0));
        call("GET", "/api/v1/admin/communities/" + slug + "/invite-batches", admin, null);
        String code = batch.getJsonArray("codes").getString(0);
        Http.Response joined = call("POST", "/api/v1/auth/anonymous", null, new JsonObject().put("community", slug)
                .put("inviteCode", code).put("pseudonym", ApiClient.pseudonym()).put("ageBand", "16-17").put("region", "utrecht"));
        String member = joined.body().getString("token");
        call("POST", "/api/v1/auth/anonymous", null, new JsonObject().put("community", slug).put("inviteCode", "WRONG-CODE")
                .put("pseudonym", ApiClient.pseudonym()).put("ageBand", "16-17"));
        call("POST", "/api/v1/auth/anonymous", null, new JsonObject().put("community", slug).put("inviteCode", code)
                .put("pseudonym", joined.body().getJsonObject("user").getString("pseudonym")).put("ageBand", "16-17"));
        call("POST", "/api/v1/auth/anonymous", null, new JsonObject().put("community", slug));
        call("POST", "/api/v1/admin/communities/" + slug + "/invites/revoke", admin,
                new JsonObject().put("code", batch.getJsonArray("codes").getString(1)).put("reason", "lost"));
        call("POST", "/api/v1/admin/communities/" + slug + "/invites/revoke", admin, new JsonObject().put("code", "NOPE-NOPE").put("reason", "x"));
        call("POST", "/api/v1/admin/invite-batches/" + batch.getString("batch") + "/revoke", admin, new JsonObject().put("reason", "closed"));
        call("POST", "/api/v1/admin/invite-batches/999999/revoke", admin, new JsonObject().put("reason", "x"));
        // the member's own account
        call("GET", "/api/v1/me", member, null);
        call("GET", "/api/v1/me", "kr_forged", null);
        call("GET", "/api/v1/rooms", member, null);
        call("POST", "/api/v1/ws-ticket", member, null);
        Http.Response device = call("POST", "/api/v1/me/sessions", member, null);
        call("GET", "/api/v1/me/sessions", member, null);
        call("DELETE", "/api/v1/me/sessions/" + device.body().getString("session"), member, null);
        call("DELETE", "/api/v1/me/sessions/1", member, null);
        call("POST", "/api/v1/me/totp", member, null);
        call("PATCH", "/api/v1/me", member, new JsonObject().put("displayName", "Nieuw"));
        call("GET", "/api/v1/admin/staff", member, null);
        // staff
        String email = "oa" + System.nanoTime() + "@kring.test";
        Http.Response created = call("POST", "/api/v1/admin/staff", admin, new JsonObject().put("email", email).put("password", "staff-password-1")
                .put("role", "moderator").put("displayName", "Mo").put("realName", "Mo de Vries").put("communities", new JsonArray(List.of(slug))));
        call("POST", "/api/v1/admin/staff", admin, new JsonObject().put("email", email).put("password", "staff-password-1")
                .put("role", "moderator").put("displayName", "Mo").put("communities", new JsonArray(List.of(slug))));
        call("POST", "/api/v1/admin/staff", admin, new JsonObject().put("email", "x@kring.test").put("password", "staff-password-1")
                .put("role", "moderator").put("displayName", "Mo").put("communities", new JsonArray(List.of("no-such-community"))));
        String staffId = created.body().getString("id");
        call("GET", "/api/v1/admin/staff", admin, null);
        call("POST", "/api/v1/admin/staff/" + staffId + "/identity", admin, new JsonObject().put("reason", "complaint"));
        call("POST", "/api/v1/admin/staff/nope/identity", admin, new JsonObject().put("reason", "x"));
        String moderator = call("POST", "/api/v1/auth/login", null, new JsonObject().put("email", email)
                .put("password", "staff-password-1")).body().getString("token");
        call("POST", "/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", "wrong-password"));
        call("POST", "/api/v1/auth/login", null, new JsonObject());
        call("PATCH", "/api/v1/me", moderator, new JsonObject().put("displayName", "Moderator Mo"));
        call("PATCH", "/api/v1/me", moderator, new JsonObject().put("displayName", ""));
        String secret = call("POST", "/api/v1/me/totp", moderator, null).body().getString("secret");
        call("POST", "/api/v1/me/totp", moderator, null);
        long step = Totp.step(Instant.now());
        call("POST", "/api/v1/me/totp/confirm", moderator, new JsonObject().put("code", "12"));
        call("POST", "/api/v1/me/totp/confirm", moderator, new JsonObject().put("code", Totp.code(secret, step)));
        call("POST", "/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", "staff-password-1"));
        // recovery codes: refused without an active factor; with one, a set at confirmation and on request, one used to sign in
        call("POST", "/api/v1/me/totp/recovery-codes", moderator, null);
        call("POST", "/api/v1/me/totp/recovery-codes", member, null);
        String email2 = "oa2" + System.nanoTime() + "@kring.test";
        call("POST", "/api/v1/admin/staff", admin, new JsonObject().put("email", email2).put("password", "staff-password-1")
                .put("role", "moderator").put("displayName", "Mo2").put("communities", new JsonArray(List.of(slug))));
        String second = api.login(email2, "staff-password-1");
        String secret2 = call("POST", "/api/v1/me/totp", second, null).body().getString("secret");
        call("POST", "/api/v1/me/totp/confirm", second, new JsonObject().put("code", Totp.code(secret2, Totp.step(Instant.now()))));
        String recovery = call("POST", "/api/v1/me/totp/recovery-codes", second, null).body().getJsonArray("codes").getString(0);
        call("POST", "/api/v1/auth/login", null, new JsonObject().put("email", email2).put("password", "staff-password-1")
                .put("recoveryCode", recovery));
        call("POST", "/api/v1/me/totp/remove", moderator, new JsonObject().put("code", Totp.code(secret, step + 1)));
        call("POST", "/api/v1/me/totp/remove", moderator, new JsonObject().put("code", Totp.code(secret, step + 1)));
        // moderation
        String memberId = joined.body().getJsonObject("user").getString("id");
        call("POST", "/api/v1/mod/members/" + memberId + "/ban", moderator, new JsonObject());
        call("POST", "/api/v1/mod/members/" + memberId + "/ban", moderator, new JsonObject().put("reason", "threats"));
        call("POST", "/api/v1/mod/members/nope/ban", moderator, new JsonObject().put("reason", "x"));
        call("POST", "/api/v1/admin/staff/" + staffId + "/revoke-sessions", admin, new JsonObject().put("reason", "lost laptop"));
        String temporary = call("POST", "/api/v1/admin/staff/" + staffId + "/reset-password", admin,
                new JsonObject().put("reason", "leaked password")).body().getString("temporaryPassword");
        call("POST", "/api/v1/admin/staff/nope/reset-password", admin, new JsonObject().put("reason", "x"));
        String reset = call("POST", "/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", temporary))
                .body().getString("token");
        call("GET", "/api/v1/me", reset, null);
        call("POST", "/api/v1/me/password", reset, new JsonObject().put("currentPassword", "wrong-password").put("newPassword", "new-password-12"));
        call("POST", "/api/v1/me/password", reset, new JsonObject().put("currentPassword", temporary).put("newPassword", "short"));
        call("POST", "/api/v1/me/password", reset, new JsonObject().put("currentPassword", temporary).put("newPassword", "new-password-12"));
        call("POST", "/api/v1/me/password", server.member(slug), new JsonObject().put("currentPassword", "x").put("newPassword", "new-password-12"));
        call("PATCH", "/api/v1/admin/staff/" + staffId, admin, new JsonObject().put("badge", "ervaringsdeskundige").put("totpRequired", false));
        call("PATCH", "/api/v1/admin/staff/" + staffId, admin, new JsonObject().put("role", "admin"));
        call("PATCH", "/api/v1/admin/staff/nope", admin, new JsonObject().put("displayName", "X"));
        call("POST", "/api/v1/admin/staff/" + staffId + "/disable", admin, new JsonObject().put("reason", "left"));
        call("POST", "/api/v1/admin/staff/" + staffId + "/enable", admin, null);
        call("POST", "/api/v1/admin/staff/nope/enable", admin, null);
        call("GET", "/api/v1/admin/audit?limit=5", admin, null);
        call("GET", "/api/v1/admin/audit?limit=0", admin, null);
        call("GET", "/api/v1/admin/audit", server.member(slug), null);
        call("GET", "/api/v1/admin/audit/actions", admin, null);
        call("GET", "/api/v1/admin/communities/" + slug + "/live", admin, null);
        call("GET", "/api/v1/admin/communities/nope/live", admin, null);
        call("GET", "/api/v1/ops/status", admin, null);
        call("GET", "/api/v1/ops/status", api.staff("moderator", slug), null);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d};
        callBinary("PUT", "/api/v1/admin/communities/" + slug + "/logo", admin, "image/png", png);
        callBinary("PUT", "/api/v1/admin/communities/" + slug + "/logo", admin, "image/jpeg", png);
        callBinary("PUT", "/api/v1/admin/communities/" + slug + "/logo", admin, "image/png", java.util.Arrays.copyOf(png, 300 * 1024));
        callBinary("GET", "/api/v1/communities/" + slug + "/logo", null, null, null);
        call("GET", "/api/v1/communities/" + slug, null, null);
        callBinary("DELETE", "/api/v1/admin/communities/" + slug + "/logo", admin, null, null);
        callBinary("GET", "/api/v1/communities/" + slug + "/logo", null, null, null);
        // #chatsafe: the help directory and the held list
        call("GET", "/api/v1/communities/" + slug + "/help", null, null);
        call("GET", "/api/v1/communities/nope/help", null, null);
        String help = call("POST", "/api/v1/admin/communities/" + slug + "/help", admin, new JsonObject().put("name", "MIND Korrelatie")
                .put("phone", "0900-1450").put("url", "https://www.mindkorrelatie.nl").put("hours", "mon-fri 09:00-18:00"))
                .body().getString("id");
        call("POST", "/api/v1/admin/communities/" + slug + "/help", admin, new JsonObject().put("name", "X").put("hours", "soms"));
        call("DELETE", "/api/v1/admin/help/" + help, admin, null);
        call("DELETE", "/api/v1/admin/help/999999", admin, null);
        // the moderation queue: duty, a held message claimed and released, the author's notice and history
        String mod = api.staff("moderator", slug);
        String otherMod = api.staff("moderator", slug);
        call("PUT", "/api/v1/moderation/duty", mod, new JsonObject().put("onDuty", true));
        call("PUT", "/api/v1/moderation/duty", mod, new JsonObject());
        call("GET", "/api/v1/moderation/duty", mod, null);
        call("PATCH", "/api/v1/moderation/rooms/" + room, mod, new JsonObject().put("slowModeSeconds", 0).put("pinnedNotice", null));
        call("PATCH", "/api/v1/moderation/rooms/" + room, mod, new JsonObject().put("name", "Anders"));
        call("PATCH", "/api/v1/moderation/rooms/999999", mod, new JsonObject().put("readOnly", false));
        String author = server.member(slug);
        call("GET", "/api/v1/moderation/duty", author, null);
        try (nl.kring.server.testing.WsClient ws = server.connect(author)) {
            assertThat(TestServer.sendMessage(ws, room, "oa-1", "app me op 0612345678").getJsonObject("data").getString("status"))
                    .isEqualTo("held");
        }
        String item = call("GET", "/api/v1/moderation/communities/" + slug + "/queue", mod, null).body().getJsonArray("items")
                .getJsonObject(0).getString("id");
        call("GET", "/api/v1/moderation/communities/" + slug + "/queue", author, null);
        call("GET", "/api/v1/moderation/items/" + item, mod, null);
        call("GET", "/api/v1/moderation/items/999999", mod, null);
        call("POST", "/api/v1/moderation/items/" + item + "/claim", mod, null);
        call("POST", "/api/v1/moderation/items/" + item + "/claim", otherMod, null);
        call("POST", "/api/v1/moderation/items/" + item + "/unclaim", mod, null);
        call("POST", "/api/v1/moderation/items/" + item + "/unclaim", mod, null);
        call("POST", "/api/v1/moderation/items/" + item + "/actions", mod, new JsonObject().put("action", "shout").put("reason", "x"));
        call("POST", "/api/v1/moderation/items/" + item + "/actions", mod, new JsonObject().put("action", "release").put("reason", "a shop's number"));
        call("POST", "/api/v1/moderation/items/" + item + "/actions", mod, new JsonObject().put("action", "remove").put("reason", "again"));
        String notice = call("GET", "/api/v1/me/notices", author, null).body().getJsonArray("notices").getJsonObject(0).getString("id");
        call("POST", "/api/v1/me/notices/" + notice + "/seen", author, null);
        call("POST", "/api/v1/me/notices/999999/seen", author, null);
        String authorId = api.me(author).getString("id");
        call("GET", "/api/v1/moderation/members/" + authorId + "/history", mod, null);
        call("GET", "/api/v1/moderation/members/nope/history", mod, null);
        // anonymised figures
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Amsterdam")).toString();
        call("GET", "/api/v1/admin/communities/" + slug + "/figures?from=" + today + "&to=" + today, admin, null);
        call("GET", "/api/v1/admin/communities/" + slug + "/figures?from=gisteren&to=" + today, admin, null);
        call("GET", "/api/v1/admin/communities/" + slug + "/figures?from=" + today + "&to=" + today, author, null);
        // consultation hours: schedule, queue, a talk taken, handed over, ended, and feedback
        String host = api.staff("peer_expert", slug);
        String host2 = api.staff("professional", slug);
        String hostId = api.me(host).getString("id");
        java.time.LocalDate day = java.time.LocalDate.of(2032, 2, 3);
        call("POST", "/api/v1/admin/communities/" + slug + "/spreekuren", admin, new JsonObject().put("topic", "Angst").put("start", "7u"));
        String hour = call("POST", "/api/v1/admin/communities/" + slug + "/spreekuren", admin, new JsonObject().put("topic", "Angst")
                .put("firstDay", day.toString()).put("start", "19:00").put("durationMinutes", 60)
                .put("hosts", new io.vertx.core.json.JsonArray().add(hostId))).body().getString("spreekuur");
        call("PATCH", "/api/v1/admin/spreekuren/" + hour, admin, new JsonObject().put("description", "Over angst en paniek"));
        call("PATCH", "/api/v1/admin/spreekuren/" + hour, admin, new JsonObject().put("capacity", 1));
        call("GET", "/api/v1/communities/" + slug + "/spreekuren", author, null);
        call("GET", "/api/v1/communities/nope/spreekuren", author, null);
        String asker = server.member(slug);
        call("POST", "/api/v1/spreekuren/" + hour + "/queue", asker, new JsonObject());
        server.server().spreekuren().tick(java.time.ZonedDateTime.of(day, java.time.LocalTime.of(19, 5),
                java.time.ZoneId.of("Europe/Amsterdam")).toInstant()).toCompletionStage().toCompletableFuture().get();
        call("POST", "/api/v1/spreekuren/" + hour + "/queue", asker, new JsonObject().put("topic", "ik ben vaak bang"));
        call("POST", "/api/v1/spreekuren/" + hour + "/queue", host, new JsonObject());
        call("GET", "/api/v1/spreekuren/" + hour + "/queue", asker, null);
        call("GET", "/api/v1/spreekuren/" + hour + "/queue", host, null);
        String leaver2 = server.member(slug);
        call("POST", "/api/v1/spreekuren/" + hour + "/queue", leaver2, new JsonObject());
        call("DELETE", "/api/v1/spreekuren/" + hour + "/queue", leaver2, null);
        String talk = call("POST", "/api/v1/spreekuren/" + hour + "/take", host, null).body().getJsonObject("talk").getString("id");
        call("POST", "/api/v1/spreekuren/" + hour + "/take", host, null);
        call("GET", "/api/v1/talks/" + talk, asker, null);
        call("GET", "/api/v1/talks/" + talk, host, null);
        call("GET", "/api/v1/talks/999999", host, null);
        try (nl.kring.server.testing.WsClient present = server.connect(host2)) {
            call("POST", "/api/v1/talks/" + talk + "/transfer", host, new JsonObject().put("to", api.me(host2).getString("id")));
        }
        call("POST", "/api/v1/talks/" + talk + "/transfer", host, new JsonObject());
        call("POST", "/api/v1/talks/" + talk + "/feedback", asker, new JsonObject().put("score", 9));
        call("POST", "/api/v1/talks/" + talk + "/end", host2, new JsonObject().put("signpost", "elders"));
        call("POST", "/api/v1/talks/" + talk + "/end", host2, new JsonObject().put("signpost", "group"));
        call("POST", "/api/v1/talks/" + talk + "/feedback", asker, new JsonObject().put("score", 9).put("comment", "fijn"));
        call("POST", "/api/v1/talks/" + talk + "/feedback", host2, new JsonObject().put("score", 9));
        call("PATCH", "/api/v1/admin/spreekuren/" + hour, admin, new JsonObject().put("cancelled", true));
        // VraagBaak: asking (one with risk), the editors' steps, answering, publishing, reading and searching
        String qAsker = server.member(slug);
        String editor = api.staff("moderator", slug);
        String answerer = api.staff("professional", slug);
        String question = call("POST", "/api/v1/communities/" + slug + "/questions", qAsker,
                new JsonObject().put("title", "Hoe kan ik beter slapen?").put("body", "Ik lig elke nacht wakker.")).body().getString("id");
        String risky = call("POST", "/api/v1/communities/" + slug + "/questions", qAsker,
                new JsonObject().put("title", "Heeft het nog zin?").put("body", "Niemand zou me missen als ik er niet meer ben.")).body()
                .getString("id");
        call("POST", "/api/v1/communities/" + slug + "/questions", qAsker, new JsonObject().put("title", "ab").put("body", "x"));
        call("POST", "/api/v1/communities/nope/questions", qAsker, new JsonObject().put("title", "abc").put("body", "x"));
        call("GET", "/api/v1/vraagbaak/communities/" + slug + "/questions?status=waiting", editor, null);
        call("GET", "/api/v1/moderation/communities/" + slug + "/queue", editor, null);
        call("GET", "/api/v1/vraagbaak/communities/" + slug + "/questions", qAsker, null);
        call("GET", "/api/v1/vraagbaak/communities/" + slug + "/answerers", editor, null);
        call("POST", "/api/v1/vraagbaak/questions/" + question + "/assign", editor, new JsonObject().put("to", api.me(answerer).getString("id")));
        call("POST", "/api/v1/vraagbaak/questions/" + question + "/assign", editor, new JsonObject().put("to", "niemand"));
        call("GET", "/api/v1/vraagbaak/assigned", answerer, null);
        call("GET", "/api/v1/vraagbaak/questions/" + question, answerer, null);
        call("GET", "/api/v1/vraagbaak/questions/" + risky, editor, null);
        call("GET", "/api/v1/vraagbaak/questions/" + risky, answerer, null);
        call("POST", "/api/v1/vraagbaak/questions/" + question + "/publish", editor, new JsonObject());
        call("POST", "/api/v1/vraagbaak/questions/" + question + "/answer", answerer, new JsonObject().put("body", "Ga op vaste tijden slapen."));
        call("POST", "/api/v1/vraagbaak/questions/" + question + "/wording", editor,
                new JsonObject().put("title", "Hoe kan ik beter slapen?").put("body", "Ik lig vaak wakker."));
        call("POST", "/api/v1/vraagbaak/questions/" + risky + "/clear-risk", editor, new JsonObject().put("reason", "contact gehad"));
        call("POST", "/api/v1/vraagbaak/questions/" + question + "/clear-risk", editor, new JsonObject().put("reason", "geen risico"));
        call("POST", "/api/v1/vraagbaak/questions/" + question + "/publish", editor, new JsonObject());
        call("POST", "/api/v1/vraagbaak/questions/" + risky + "/return", editor, new JsonObject().put("reason", "Wil je hem anders stellen?"));
        call("POST", "/api/v1/vraagbaak/questions/" + risky + "/reject", editor, new JsonObject().put("reason", "x"));
        String rejected = call("POST", "/api/v1/communities/" + slug + "/questions", qAsker,
                new JsonObject().put("title", "Reclame").put("body", "Koop mijn spullen.")).body().getString("id");
        call("POST", "/api/v1/vraagbaak/questions/" + rejected + "/reject", editor, new JsonObject().put("reason", "Dit past hier niet."));
        call("GET", "/api/v1/me/questions", qAsker, null);
        call("GET", "/api/v1/vraagbaak/questions/" + question, qAsker, null);
        call("GET", "/api/v1/me/notices", qAsker, null);
        call("GET", "/api/v1/communities/" + slug + "/questions?q=slaap&limit=10", null, null);
        call("GET", "/api/v1/communities/" + slug + "/questions?limit=99", null, null);
        call("GET", "/api/v1/communities/nope/questions", null, null);
        // sign-out and erasure
        String leaver = server.member(slug.equals("") ? slug : server.community());
        call("DELETE", "/api/v1/me", leaver, null);
        call("DELETE", "/api/v1/me", admin, null);
        String other = server.member(server.community());
        call("POST", "/api/v1/auth/logout", other, null);
        call("POST", "/api/v1/auth/logout", other, null);

        assertThat(problems).as("responses that do not match docs/openapi.yaml").isEmpty();
        Set<String> documented = new TreeSet<>();
        for (Operation op : contract.operations()) {
            documented.add(op.getOperationId());
        }
        assertThat(exercised).as("operations called by this test").isEqualTo(documented);
    }

    @Test
    void everyRouteOfTheServerIsInTheDocument() {
        Set<String> documented = new TreeSet<>();
        for (Operation op : contract.operations()) {
            documented.add(op.getHttpMethod().name() + " " + op.getOpenAPIPath());
        }
        assertThat(new TreeSet<>(server.server().apiRoutes())).isEqualTo(documented);
    }
}
