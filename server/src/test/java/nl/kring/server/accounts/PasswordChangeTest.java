package nl.kring.server.accounts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26, item 5: a staff member changes their own password (every other session ends), an
 * admin's reset forces a change at the next sign-in, TOTP secrets are encrypted at rest, and
 * TOTP confirmation is limited. Each test failed on the code before this change: the two
 * password endpoints did not exist (404), the secret was stored as given, and a seventh
 * confirmation attempt was still checked.
 */
class PasswordChangeTest extends OneServer {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String PASSWORD = "staff-password-123";

    @Test
    void changingThePasswordEndsEveryOtherSessionAndKeepsThisOne() throws Exception {
        // GIVEN a professional signed in on two devices, each with a socket in a room
        String slug = server.community();
        String room = server.room(slug);
        String email = staff("professional", slug).getString("email");
        String here = api.login(email, PASSWORD);
        String other = api.login(email, PASSWORD);
        try (WsClient hereSocket = api.connect(here); WsClient otherSocket = api.connect(other)) {
            TestServer.join(hereSocket, room);
            TestServer.join(otherSocket, room);
            // WHEN the current password is wrong, or the new one too weak, THEN nothing changes
            Http.Response wrong = changePassword(here, "not-my-password", "a-new-password-456");
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.errorCode()).isEqualTo("forbidden");
            Http.Response weak = changePassword(here, PASSWORD, "short");
            assertThat(weak.status()).isEqualTo(400);
            assertThat(weak.errorCode()).isEqualTo("bad_request");
            assertThat(changePassword(here, PASSWORD, PASSWORD).errorCode()).isEqualTo("bad_request");
            assertThat(http.get("/api/v1/me", other).status()).isEqualTo(200);
            // WHEN the change is right
            assertThat(changePassword(here, PASSWORD, "a-new-password-456").status()).isEqualTo(204);
            // THEN the other device's socket closes with 4500 and its token is dead
            assertThat(otherSocket.closeCode()).isEqualTo(4500);
            assertThat(http.get("/api/v1/me", other).status()).isEqualTo(401);
            // AND this device carries on: its token works and its socket still answers
            assertThat(http.get("/api/v1/me", here).status()).isEqualTo(200);
            assertThat(hereSocket.request("history", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            assertThat(hereSocket.isClosed()).isFalse();
        }
        // AND only the new password signs in; the change is audited
        assertThat(http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", PASSWORD))
                .errorCode()).isEqualTo("login_failed");
        api.login(email, "a-new-password-456");
        assertThat(audited("staff.password_changed", email)).isEqualTo(1);
    }

    @Test
    void aMemberHasNoPasswordToChange() {
        String member = server.member(server.community());
        assertThat(changePassword(member, "anything-123", "a-new-password-456").errorCode()).isEqualTo("forbidden");
    }

    @Test
    void anAdminResetForcesAChangeBeforeAnythingElseWorks() throws Exception {
        // GIVEN a moderator with an open socket
        String slug = server.community();
        JsonObject created = staff("moderator", slug);
        String email = created.getString("email");
        String old = api.login(email, PASSWORD);
        try (WsClient socket = api.connect(old)) {
            // WHEN an admin resets the password
            Http.Response reset = http.post("/api/v1/admin/staff/" + created.getString("id") + "/reset-password", api.adminToken(),
                    new JsonObject().put("reason", "laptop gestolen"));
            assertThat(reset.status()).as("reset: %s", reset.body()).isEqualTo(200);
            String temporary = reset.body().getString("temporaryPassword");
            assertThat(temporary).hasSizeGreaterThanOrEqualTo(PasswordPolicy.MIN_LENGTH);
            // THEN every session of theirs ends (4500) and the old password no longer signs in
            assertThat(socket.closeCode()).isEqualTo(4500);
            assertThat(http.get("/api/v1/me", old).status()).isEqualTo(401);
            assertThat(http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", PASSWORD))
                    .errorCode()).isEqualTo("login_failed");
            // AND the temporary password signs in, says a change is required, and nothing else works
            Http.Response login = http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", temporary));
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.body().getJsonObject("user").getBoolean("passwordChangeRequired")).isTrue();
            String token = login.body().getString("token");
            assertThat(http.get("/api/v1/me", token).body().getJsonObject("user").getBoolean("passwordChangeRequired")).isTrue();
            Http.Response ticket = http.post("/api/v1/ws-ticket", token, null);
            assertThat(ticket.status()).isEqualTo(403);
            assertThat(ticket.errorCode()).isEqualTo("password_change_required");
            assertThat(http.get("/api/v1/moderation/communities/" + slug + "/queue", token).errorCode())
                    .isEqualTo("password_change_required");
            assertThat(http.post("/api/v1/me/totp", token, null).errorCode()).isEqualTo("password_change_required");
            // WHEN they choose a new password
            assertThat(changePassword(token, temporary, "my-own-password-789").status()).isEqualTo(204);
            // THEN the same session works for everything
            assertThat(api.me(token).containsKey("passwordChangeRequired")).isFalse();
            try (WsClient again = api.connect(token)) {
                assertThat(again.isClosed()).isFalse();
            }
        }
        assertThat(audited("staff.password_reset", email)).isEqualTo(1);
        assertThat(audited("staff.password_changed", email)).isEqualTo(1);
    }

    @Test
    void anAdminCannotResetTheirOwnPasswordThisWay() {
        Http.Response list = http.get("/api/v1/admin/staff", api.adminToken());
        String adminId = null;
        for (Object o : list.body().getJsonArray("staff")) {
            JsonObject s = (JsonObject) o;
            if ("admin".equals(s.getString("role")) && s.getBoolean("allCommunities", false)) {
                adminId = s.getString("id");
            }
        }
        assertThat(http.post("/api/v1/admin/staff/" + adminId + "/reset-password", api.adminToken(),
                new JsonObject().put("reason", "test")).errorCode()).isEqualTo("forbidden");
    }

    @Test
    void aTotpSecretIsStoredEncryptedAndAPlainOneFromBeforeStillWorksAndIsEncryptedOnUse() throws Exception {
        // GIVEN a staff member who enrols a second factor
        String email = staff("professional", server.community()).getString("email");
        String token = api.login(email, PASSWORD);
        String secret = http.post("/api/v1/me/totp", token, null).body().getString("secret");
        // THEN the database holds neither the secret nor anything that contains it
        String stored = storedSecret(email);
        assertThat(stored).isNotNull().isNotEqualTo(secret).doesNotContain(secret);
        long step = Totp.step(Instant.now());
        assertThat(http.post("/api/v1/me/totp/confirm", token, new JsonObject().put("code", Totp.code(secret, step))).status())
                .isEqualTo(200);
        // GIVEN a secret stored in plain text, as before this change
        TestDatabase.execute(server.db(), "UPDATE staff_accounts SET totp_secret = '" + secret + "' WHERE email = '" + email + "'");
        // WHEN they sign in with a code of it
        Http.Response login = http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", PASSWORD)
                .put("totp", Totp.code(secret, step + 1)));
        // THEN it works, and the secret is stored encrypted from then on
        assertThat(login.status()).as("login: %s", login.body()).isEqualTo(200);
        assertThat(storedSecret(email)).isNotEqualTo(secret).doesNotContain(secret);
    }

    @Test
    void totpConfirmationIsRefusedAfterFiveWrongCodesEvenWithTheRightOne() {
        // GIVEN a staff member who enrolled a second factor
        String token = api.login(staff("professional", server.community()).getString("email"), PASSWORD);
        String secret = http.post("/api/v1/me/totp", token, null).body().getString("secret");
        long step = Totp.step(Instant.now());
        String wrongCode = wrongCode(secret, step);
        // WHEN five wrong codes are tried
        for (int i = 0; i < 5; i++) {
            Http.Response r = http.post("/api/v1/me/totp/confirm", token, new JsonObject().put("code", wrongCode));
            assertThat(r.errorCode()).as("attempt %d", i + 1).isEqualTo("bad_request");
        }
        // THEN the sixth is refused before its code is looked at, the right code too
        Http.Response sixth = http.post("/api/v1/me/totp/confirm", token, new JsonObject().put("code", Totp.code(secret, step)));
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.errorCode()).isEqualTo("rate_limited");
    }

    @Test
    void totpRemovalSharesTheLimit() {
        // GIVEN a staff member with a confirmed second factor (one attempt)
        String token = api.login(staff("professional", server.community()).getString("email"), PASSWORD);
        String secret = http.post("/api/v1/me/totp", token, null).body().getString("secret");
        long step = Totp.step(Instant.now());
        assertThat(http.post("/api/v1/me/totp/confirm", token, new JsonObject().put("code", Totp.code(secret, step))).status())
                .isEqualTo(200);
        String wrongCode = wrongCode(secret, step);
        // WHEN four wrong codes are tried for removal
        for (int i = 0; i < 4; i++) {
            assertThat(http.post("/api/v1/me/totp/remove", token, new JsonObject().put("code", wrongCode)).errorCode())
                    .as("attempt %d", i + 2).isEqualTo("bad_request");
        }
        // THEN the next removal is refused before its code is looked at
        assertThat(http.post("/api/v1/me/totp/remove", token, new JsonObject().put("code", Totp.code(secret, step + 1)))
                .errorCode()).isEqualTo("rate_limited");
    }

    /** A code that is none of the codes accepted around now. */
    private static String wrongCode(String secret, long step) {
        Set<String> valid = Set.of(Totp.code(secret, step - 1), Totp.code(secret, step), Totp.code(secret, step + 1),
                Totp.code(secret, step + 2));
        return valid.contains("000000") ? (valid.contains("111111") ? "222222" : "111111") : "000000";
    }

    private static Http.Response changePassword(String token, String current, String next) {
        return http.post("/api/v1/me/password", token, new JsonObject().put("currentPassword", current).put("newPassword", next));
    }

    /** A new staff account (by the installation admin): the create reply with its e-mail address. */
    private static JsonObject staff(String role, String community) {
        String email = "pw" + NAMES.incrementAndGet() + "-" + System.nanoTime() + "@kring.test";
        Http.Response created = http.post("/api/v1/admin/staff", api.adminToken(), new JsonObject().put("email", email)
                .put("password", PASSWORD).put("role", role).put("displayName", role + " " + NAMES.get())
                .put("communities", new JsonArray(List.of(community))));
        assertThat(created.status()).as("create staff: %s", created.body()).isEqualTo(201);
        return created.body();
    }

    private static String storedSecret(String email) throws SQLException {
        try (Connection c = TestDatabase.connect(server.db());
             PreparedStatement s = c.prepareStatement("SELECT totp_secret FROM staff_accounts WHERE email = ?")) {
            s.setString(1, email);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static int audited(String action, String email) throws SQLException {
        try (Connection c = TestDatabase.connect(server.db()); PreparedStatement s = c.prepareStatement("""
                SELECT count(*) FROM audit_events a JOIN staff_accounts sa ON sa.user_id = a.target_user_id
                WHERE a.action = ? AND sa.email = ?""")) {
            s.setString(1, action);
            s.setString(2, email);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
