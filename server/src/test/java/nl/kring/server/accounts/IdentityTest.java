package nl.kring.server.accounts;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Members anonymous but validated, staff with roles, and the end of sessions, through a real server. */
class IdentityTest {

    static TestServer server;
    static ApiClient api;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("KRING_PSEUDONYM_COOLING_OFF_DAYS", "0"));
        api = server.api();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    JsonObject batch(String slug, JsonObject body) {
        Http.Response r = http.post("/api/v1/admin/communities/" + slug + "/invites", api.adminToken(), body);
        assertThat(r.status()).as("batch: %s", r.body()).isEqualTo(201);
        return r.body();
    }

    long count(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void invitesComeInLabelledBatchesWithUsesAndCanBeRevokedWholeOrOneByOne() {
        String slug = server.community();
        // GIVEN a batch of two codes of two uses each, issued to a GP practice
        JsonObject batch = batch(slug, new JsonObject().put("count", 2).put("uses", 2).put("expiresInDays", 14)
                .put("label", "Huisartsenpraktijk Oost"));
        String first = batch.getJsonArray("codes").getString(0);
        String second = batch.getJsonArray("codes").getString(1);
        // WHEN the first code is used twice, THEN both join and a third use is refused
        assertThat(api.signUp(slug, first, ApiClient.pseudonym(), "16-17", null).status()).isEqualTo(201);
        assertThat(api.signUp(slug, first, ApiClient.pseudonym(), "16-17", null).status()).isEqualTo(201);
        Http.Response third = api.signUp(slug, first, ApiClient.pseudonym(), "16-17", null);
        assertThat(third.status()).isEqualTo(403);
        assertThat(third.errorCode()).isEqualTo("invite_invalid");
        // AND the admin sees the batch with its label and how many joined
        JsonObject listed = http.get("/api/v1/admin/communities/" + slug + "/invite-batches", api.adminToken()).body()
                .getJsonArray("batches").getJsonObject(0);
        assertThat(listed.getString("label")).isEqualTo("Huisartsenpraktijk Oost");
        assertThat(listed.getInteger("codes")).isEqualTo(2);
        assertThat(listed.getLong("joined")).isEqualTo(2);
        // WHEN the whole batch is revoked, THEN its unused code admits nobody
        assertThat(http.post("/api/v1/admin/invite-batches/" + batch.getString("batch") + "/revoke", api.adminToken(),
                new JsonObject().put("reason", "practice closed")).status()).isEqualTo(200);
        assertThat(api.signUp(slug, second, ApiClient.pseudonym(), "16-17", null).errorCode()).isEqualTo("invite_invalid");
        // AND one code of another batch can be revoked on its own, the other still works
        JsonObject other = batch(slug, new JsonObject().put("count", 2).put("label", "School"));
        assertThat(http.post("/api/v1/admin/communities/" + slug + "/invites/revoke", api.adminToken(),
                new JsonObject().put("code", other.getJsonArray("codes").getString(0)).put("reason", "lost")).status()).isEqualTo(200);
        assertThat(api.signUp(slug, other.getJsonArray("codes").getString(0), ApiClient.pseudonym(), "16-17", null).status()).isEqualTo(403);
        assertThat(api.signUp(slug, other.getJsonArray("codes").getString(1), ApiClient.pseudonym(), "16-17", null).status()).isEqualTo(201);
    }

    @Test
    void signUpAsksNothingPersonalAndNamesTheFieldItRefuses() {
        String slug = server.community();
        String code = batch(slug, new JsonObject().put("count", 1).put("uses", 10)).getJsonArray("codes").getString(0);
        // Tried: an e-mail address and a phone number as pseudonym, an unknown age band, a town as region.
        Http.Response email = api.signUp(slug, code, "anna@example.nl", "16-17", null);
        assertThat(email.status()).isEqualTo(400);
        assertThat(email.body().getJsonObject("error").getString("message")).contains("pseudonym");
        Http.Response phone = api.signUp(slug, code, "0612345678", "16-17", null);
        assertThat(phone.status()).isEqualTo(400);
        assertThat(phone.body().getJsonObject("error").getString("message")).contains("phone");
        assertThat(api.signUp(slug, code, ApiClient.pseudonym(), "15", null).body().getJsonObject("error").getString("message"))
                .contains("ageBand");
        assertThat(api.signUp(slug, code, ApiClient.pseudonym(), "16-17", "amsterdam").body().getJsonObject("error").getString("message"))
                .contains("region");
        // AND a valid sign-up with a province stores nothing more than pseudonym, band and province
        Http.Response ok = api.signUp(slug, code, ApiClient.pseudonym(), "16-17", "utrecht");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().getJsonObject("user").getString("region")).isEqualTo("utrecht");
        assertThat(ok.body().getJsonObject("user").fieldNames())
                .containsExactlyInAnyOrder("id", "pseudonym", "role", "community", "ageBand", "audience", "region");
    }

    @Test
    void aCommunityAdmitsOnlyItsAgeRange() {
        String slug = server.community();
        assertThat(http.patch("/api/v1/admin/communities/" + slug, api.adminToken(),
                new JsonObject().put("ageBands", new io.vertx.core.json.JsonArray(List.of("18-21", "22-25", "26+")))).status())
                .isEqualTo(200);
        String code = batch(slug, new JsonObject().put("count", 1).put("uses", 5)).getJsonArray("codes").getString(0);
        Http.Response young = api.signUp(slug, code, ApiClient.pseudonym(), "12-15", null);
        assertThat(young.status()).isEqualTo(403);
        assertThat(young.body().getJsonObject("error").getString("message")).contains("ageBand");
        assertThat(api.signUp(slug, code, ApiClient.pseudonym(), "18-21", null).status()).isEqualTo(201);
    }

    @Test
    void aBanClosesEverySocketWith4503BurnsTheInviteAndRefusesTheOldToken() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        // GIVEN a member who joined with a code that has uses left, on two devices
        String code = batch(slug, new JsonObject().put("count", 1).put("uses", 5)).getJsonArray("codes").getString(0);
        Http.Response joined = api.signUp(slug, code, ApiClient.pseudonym(), "16-17", null);
        String token = joined.body().getString("token");
        String memberId = joined.body().getJsonObject("user").getString("id");
        String moderator = api.staff("moderator", slug);
        double bansBefore = server.metric("kring_accounts_ended_total{reason=\"banned\"}");
        try (WsClient phone = server.connect(token); WsClient laptop = server.connect(token)) {
            TestServer.join(phone, room);
            // WHEN a moderator bans the member
            long started = System.nanoTime();
            Http.Response ban = http.post("/api/v1/mod/members/" + memberId + "/ban", moderator, new JsonObject().put("reason", "threats"));
            assertThat(ban.status()).isEqualTo(200);
            // THEN both sockets close with 4503
            assertThat(phone.closeCode()).isEqualTo(4503);
            assertThat(laptop.closeCode()).isEqualTo(4503);
            System.out.printf("ban to both sockets closed: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        }
        assertThat(server.metric("kring_accounts_ended_total{reason=\"banned\"}")).isEqualTo(bansBefore + 1);
        // AND the old token opens nothing, and the code is burned although it had uses left
        assertThat(http.post("/api/v1/ws-ticket", token, null).status()).isEqualTo(401);
        assertThat(api.signUp(slug, code, ApiClient.pseudonym(), "16-17", null).errorCode()).isEqualTo("invite_invalid");
        // AND the ban is in the audit table with who and why
        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'member.banned' AND reason = 'threats' AND actor_id IS NOT NULL"))
                .isEqualTo(1);
    }

    @Test
    void aMemberUsesSeveralDevicesAndEndsOneOfThem() {
        String slug = server.community();
        String first = server.member(slug);
        // GIVEN a second device linked to the same account
        Http.Response linked = http.post("/api/v1/me/sessions", first, null);
        assertThat(linked.status()).isEqualTo(201);
        String second = linked.body().getString("token");
        assertThat(api.me(second).getString("id")).isEqualTo(api.me(first).getString("id"));
        var sessions = http.get("/api/v1/me/sessions", first).body().getJsonArray("sessions");
        assertThat(sessions).hasSize(2);
        try (WsClient other = server.connect(second); WsClient mine = server.connect(first)) {
            // WHEN the member ends the second device's session from the first
            assertThat(http.delete("/api/v1/me/sessions/" + linked.body().getString("session"), first).status()).isEqualTo(204);
            // THEN that device's socket closes with 4500 and its token is dead; the first device carries on
            assertThat(other.closeCode()).isEqualTo(4500);
            assertThat(http.post("/api/v1/ws-ticket", second, null).status()).isEqualTo(401);
            assertThat(mine.isClosed()).isFalse();
            assertThat(http.get("/api/v1/me/sessions", first).body().getJsonArray("sessions")).hasSize(1);
        }
        // AND someone else's session id is simply not found
        assertThat(http.delete("/api/v1/me/sessions/1", server.member(slug)).status()).isEqualTo(404);
    }

    @Test
    void erasureRedactsEveryMessageForEveryoneAlsoOnResumeAndReleasesThePseudonym() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String codes = batch(slug, new JsonObject().put("count", 1).put("uses", 5)).getJsonArray("codes").getString(0);
        String name = ApiClient.pseudonym();
        String leaver = api.signUp(slug, codes, name, "16-17", null).body().getString("token");
        String reader = server.member(slug);
        String later = server.member(slug);
        int epoch;
        try (WsClient author = server.connect(leaver); WsClient live = server.connect(reader); WsClient away = server.connect(later)) {
            epoch = TestServer.join(author, room).getInteger("epoch");
            TestServer.join(live, room);
            TestServer.join(away, room);
            // GIVEN two messages by the leaver, seen by a reader who stays and one who goes away
            assertThat(TestServer.sendMessage(author, room, "m1", "mijn verhaal").getBoolean("ok")).isTrue();
            assertThat(TestServer.sendMessage(author, room, "m2", "nog iets").getBoolean("ok")).isTrue();
            live.next(f -> "message".equals(f.getString("type")) && f.getLong("seq") == 2);
            away.next(f -> "message".equals(f.getString("type")) && f.getLong("seq") == 2);
            away.close();
            // WHEN the leaver erases the account
            assertThat(http.delete("/api/v1/me", leaver).status()).isEqualTo(204);
            // THEN their socket closes with 4500 and the reader who stayed sees both messages redacted
            assertThat(author.closeCode()).isEqualTo(4500);
            assertThat(live.next(f -> "redacted".equals(f.getString("type")) && f.getLong("seq") == 1).getString("reason")).isEqualTo("author");
            assertThat(live.next(f -> "redacted".equals(f.getString("type")) && f.getLong("seq") == 2).getString("reason")).isEqualTo("author");
        }
        // AND the member who resumes later gets the redactions before resumed
        try (WsClient back = server.connect(later)) {
            JsonObject reply = back.request("join", new JsonObject().put("room", room)
                    .put("since", new JsonObject().put("epoch", epoch).put("seq", 2)));
            assertThat(reply.getBoolean("ok")).isTrue();
            assertThat(back.next(f -> "redacted".equals(f.getString("type"))).getLong("seq")).isEqualTo(1);
            assertThat(back.next(f -> "redacted".equals(f.getString("type"))).getLong("seq")).isEqualTo(2);
            back.nextOfType("resumed");
            // AND history shows no body
            var history = back.request("history", new JsonObject().put("room", room)).getJsonObject("data").getJsonArray("messages");
            assertThat(history).hasSize(2);
            for (Object m : history) {
                assertThat(((JsonObject) m).getString("body")).isEmpty();
                assertThat(((JsonObject) m).getBoolean("redacted")).isTrue();
            }
        }
        assertThat(count("SELECT count(*) FROM messages WHERE body <> '' AND author_id = "
                + "(SELECT id FROM users WHERE pseudonym = '" + name + "' OR pseudonym_released_at IS NOT NULL LIMIT 1)")).isZero();
        // AND after the cooling-off period (0 days here) the pseudonym is free again
        assertThat(api.signUp(slug, codes, name, "16-17", null).errorCode()).isEqualTo("pseudonym_taken");
        server.server().members().sweep().toCompletionStage().toCompletableFuture().get();
        assertThat(api.signUp(slug, codes, name, "16-17", null).status()).isEqualTo(201);
    }

    @Test
    void staffSignInWithASecondFactorThatIsNeverAcceptedTwice() throws Exception {
        String slug = server.community();
        String email = "totp" + System.nanoTime() + "@kring.test";
        assertThat(http.post("/api/v1/admin/staff", api.adminToken(), new JsonObject().put("email", email)
                .put("password", "staff-password-123").put("role", "moderator").put("displayName", "Moderator Mo")
                .put("communities", new io.vertx.core.json.JsonArray(List.of(slug)))).status()).isEqualTo(201);
        String token = api.login(email, "staff-password-123");
        // GIVEN the moderator enrols and confirms with the app's current code
        JsonObject enrol = http.post("/api/v1/me/totp", token, null).body();
        String secret = enrol.getString("secret");
        assertThat(enrol.getString("otpauthUri")).startsWith("otpauth://totp/Kring:");
        long step = Totp.step(Instant.now());
        assertThat(http.post("/api/v1/me/totp/confirm", token, new JsonObject().put("code", Totp.code(secret, step))).status())
                .isEqualTo(200);
        JsonObject login = new JsonObject().put("email", email).put("password", "staff-password-123");
        // WHEN signing in without a code, THEN the server asks for it (only after a right password)
        assertThat(http.post("/api/v1/auth/login", null, login).errorCode()).isEqualTo("totp_required");
        assertThat(http.post("/api/v1/auth/login", null, login.copy().put("password", "wrong-password-1")).errorCode())
                .isEqualTo("login_failed");
        // AND a wrong code fails like a wrong password
        assertThat(http.post("/api/v1/auth/login", null, login.copy().put("totp", "000000".equals(Totp.code(secret, step + 1))
                ? "111111" : "000000")).errorCode()).isEqualTo("login_failed");
        // AND the next step's code signs in once, and never again
        String next = Totp.code(secret, step + 1);
        assertThat(http.post("/api/v1/auth/login", null, login.copy().put("totp", next)).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/auth/login", null, login.copy().put("totp", next)).errorCode()).isEqualTo("login_failed");
    }

    @Test
    void aWeakPasswordHashIsReplacedAtTheNextSignIn() throws Exception {
        String email = "rehash" + System.nanoTime() + "@kring.test";
        assertThat(http.post("/api/v1/admin/staff", api.adminToken(), new JsonObject().put("email", email)
                .put("password", "staff-password-123").put("role", "professional").put("displayName", "Prof")
                .put("communities", new io.vertx.core.json.JsonArray(List.of(server.community())))).status()).isEqualTo(201);
        // GIVEN a hash made with older, weaker parameters
        String weak = new PasswordHasher().hash("staff-password-123", 4096, 1, 1);
        TestDatabase.execute(server.db(), "UPDATE staff_accounts SET password_hash = '" + weak + "' WHERE email = '" + email + "'");
        // WHEN the staff member signs in
        api.login(email, "staff-password-123");
        // THEN the stored hash is at today's parameters and still verifies
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT password_hash FROM staff_accounts WHERE email = '" + email + "'")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            assertThat(new PasswordHasher().verify("staff-password-123", rs.getString(1))).isTrue();
        }
    }

    @Test
    void loginGuessingIsThrottledAndNeverRevealsWhetherAnAddressExists() {
        Http.Response unknown = http.post("/api/v1/auth/login", null, new JsonObject().put("email", "nobody@kring.test")
                .put("password", "whatever-123"));
        Http.Response wrong = http.post("/api/v1/auth/login", null, new JsonObject().put("email", TestServer.ADMIN_EMAIL)
                .put("password", "whatever-123"));
        assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        // Tried: twenty guesses at one address from one source; its limit is ten failures an hour
        String target = "guess" + System.nanoTime() + "@kring.test";
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            Http.Response r = http.post("/api/v1/auth/login", null, new JsonObject().put("email", target).put("password", "guess-" + i));
            if (r.status() == 429) {
                limited++;
                assertThat(r.errorCode()).isEqualTo("rate_limited");
            }
        }
        assertThat(limited).isGreaterThanOrEqualTo(9);
        assertThat(server.metric("kring_auth_logins_total{result=\"rate_limited\"}")).isGreaterThanOrEqualTo(limited);
        assertThat(server.metric("kring_auth_logins_total{result=\"failed\"}")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void staffShowOnlyABadgeAndDisplayNameAndTheirIdentityOnlyToAdminsWithEveryViewAudited() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String professional = api.staff("professional", slug);
        JsonObject me = api.me(professional);
        assertThat(me.getBoolean("verified")).isTrue();
        assertThat(me.encode()).doesNotContain("@kring.test").doesNotContain("Echte Naam");
        String member = server.member(slug);
        try (WsClient p = server.connect(professional); WsClient m = server.connect(member)) {
            TestServer.join(p, room);
            TestServer.join(m, room);
            TestServer.sendMessage(p, room, "p1", "Welkom allemaal");
            JsonObject author = m.nextOfType("message").getJsonObject("author");
            assertThat(author.getString("role")).isEqualTo("professional");
            assertThat(author.encode()).doesNotContain("@").doesNotContain("Echte Naam");
        }
        // The professional chooses another display name; new messages carry it
        assertThat(http.patch("/api/v1/me", professional, new JsonObject().put("displayName", "Sanne (GGZ)")).body()
                .getJsonObject("user").getString("displayName")).isEqualTo("Sanne (GGZ)");
        try (WsClient p = server.connect(professional); WsClient m = server.connect(member)) {
            TestServer.join(m, room);
            TestServer.sendMessage(p, room, "p2", "Ik ben er tot negen uur");
            assertThat(m.nextOfType("message").getJsonObject("author").getString("pseudonym")).isEqualTo("Sanne (GGZ)");
        }
        assertThat(http.patch("/api/v1/me", member, new JsonObject().put("displayName", "Anders")).status()).isEqualTo(403);
        // The staff list has no e-mail addresses or names
        Http.Response list = http.get("/api/v1/admin/staff", api.adminToken());
        assertThat(list.text()).doesNotContain("@kring.test").doesNotContain("Echte Naam");
        // A moderator may not see identities; an admin may, with a reason, and the view is audited
        String moderator = api.staff("moderator", slug);
        assertThat(http.post("/api/v1/admin/staff/" + me.getString("id") + "/identity", moderator,
                new JsonObject().put("reason", "curious")).status()).isEqualTo(403);
        long before = count("SELECT count(*) FROM audit_events WHERE action = 'staff.identity_viewed'");
        Http.Response identity = http.post("/api/v1/admin/staff/" + me.getString("id") + "/identity", api.adminToken(),
                new JsonObject().put("reason", "complaint 2026-114"));
        assertThat(identity.status()).isEqualTo(200);
        assertThat(identity.body().getString("email")).endsWith("@kring.test");
        assertThat(identity.body().getString("realName")).startsWith("Echte Naam");
        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'staff.identity_viewed'")).isEqualTo(before + 1);
        assertThat(http.post("/api/v1/admin/staff/" + me.getString("id") + "/identity", api.adminToken(), new JsonObject())
                .status()).isEqualTo(400);
    }

    @Test
    void aDisabledStaffAccountIsClosedEverywhereAndCannotSignIn() {
        String slug = server.community();
        String email = "disable" + System.nanoTime() + "@kring.test";
        http.post("/api/v1/admin/staff", api.adminToken(), new JsonObject().put("email", email).put("password", "staff-password-123")
                .put("role", "peer_expert").put("displayName", "Ervaringsdeskundige").put("communities", new io.vertx.core.json.JsonArray(List.of(slug))));
        String token = api.login(email, "staff-password-123");
        String id = api.me(token).getString("id");
        try (WsClient c = server.connect(token)) {
            assertThat(http.post("/api/v1/admin/staff/" + id + "/disable", api.adminToken(), new JsonObject().put("reason", "left")).status())
                    .isEqualTo(200);
            assertThat(c.closeCode()).isEqualTo(4503);
        }
        assertThat(http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", "staff-password-123"))
                .errorCode()).isEqualTo("login_failed");
    }
}
