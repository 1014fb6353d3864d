package nl.kring.server.accounts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery codes of the second factor (issue 27, item 4): ten shown once at enrolment and on
 * request, each working once at sign-in in place of a TOTP code, a new set voiding the old, wrong
 * ones counted in the sign-in limits. Before this branch the confirm reply had no codes and
 * {@code POST /api/v1/me/totp/recovery-codes} was 404, so each test failed at its first assertion.
 */
class RecoveryCodesTest extends OneServer {

    /** A moderator with an active second factor; returns {email, token, codes}. */
    static JsonObject enrolled() {
        String email = "rc-" + System.nanoTime() + "@kring.test";
        assertThat(http.post("/api/v1/admin/staff", api.adminToken(), new JsonObject().put("email", email)
                .put("password", "staff-password-123").put("role", "moderator").put("displayName", "Mod")
                .put("communities", new JsonArray(List.of(server.community())))).status()).isEqualTo(201);
        String token = api.login(email, "staff-password-123");
        String secret = http.post("/api/v1/me/totp", token, null).body().getString("secret");
        Http.Response confirmed = http.post("/api/v1/me/totp/confirm", token,
                new JsonObject().put("code", Totp.code(secret, Totp.step(Instant.now()))));
        assertThat(confirmed.status()).as("%s", confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body().getBoolean("totpEnabled")).isTrue();
        return new JsonObject().put("email", email).put("token", token).put("codes", confirmed.body().getJsonArray("recoveryCodes"));
    }

    static Http.Response login(String email, String recoveryCode) {
        return http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", "staff-password-123")
                .put("recoveryCode", recoveryCode));
    }

    @Test
    void eachCodeWorksOnceInPlaceOfTheTotpCodeAndANewSetVoidsTheOld() {
        JsonObject staff = enrolled();
        String email = staff.getString("email");
        JsonArray codes = staff.getJsonArray("codes");
        // THEN enrolment showed ten different codes
        assertThat(codes).hasSize(10);
        assertThat(new HashSet<>(codes.getList())).hasSize(10);
        assertThat(codes.getString(0)).matches("[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}");

        // WHEN the staff member signs in with a code instead of the app's
        Http.Response in = login(email, codes.getString(0));
        assertThat(in.status()).as("%s", in.body()).isEqualTo(200);
        // THEN it works once (typed in capitals and without the dashes too)
        assertThat(login(email, codes.getString(0)).errorCode()).isEqualTo("login_failed");
        assertThat(login(email, codes.getString(1).toUpperCase().replace("-", "")).status()).isEqualTo(200);
        assertThat(login(email, "aaaa-bbbb-cccc").errorCode()).isEqualTo("login_failed");
        // AND without a code or recovery code the password alone is not enough
        assertThat(http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", "staff-password-123"))
                .errorCode()).isEqualTo("totp_required");

        // WHEN a new set is made
        Http.Response fresh = http.post("/api/v1/me/totp/recovery-codes", staff.getString("token"), null);
        assertThat(fresh.status()).as("%s", fresh.body()).isEqualTo(200);
        JsonArray newCodes = fresh.body().getJsonArray("codes");
        assertThat(newCodes).hasSize(10);
        // THEN the old unused codes no longer work, the new ones do
        assertThat(login(email, codes.getString(2)).errorCode()).isEqualTo("login_failed");
        assertThat(login(email, newCodes.getString(0)).status()).isEqualTo(200);
    }

    @Test
    void onlyStaffWithASecondFactorGetCodesAndWrongCodesCountInTheSignInLimits() {
        // a staff member without a second factor, and a member
        String plain = api.staff("peer_expert", server.community());
        assertThat(http.post("/api/v1/me/totp/recovery-codes", plain, null).errorCode()).isEqualTo("conflict");
        assertThat(http.post("/api/v1/me/totp/recovery-codes", server.member(server.community()), null).errorCode())
                .isEqualTo("forbidden");
        assertThat(http.post("/api/v1/me/totp/recovery-codes", null, null).errorCode()).isEqualTo("unauthorized");

        // WHEN someone with the password guesses recovery codes (KRING_LOGIN_FAILURES_PER_ADDRESS_SOURCE: 10)
        JsonObject staff = enrolled();
        for (int i = 0; i < 10; i++) {
            assertThat(login(staff.getString("email"), "zzzz-zzzz-zzz" + (i % 8 + 2)).errorCode()).isEqualTo("login_failed");
        }
        // THEN even a right code is refused for a while
        Http.Response limited = login(staff.getString("email"), staff.getJsonArray("codes").getString(0));
        assertThat(limited.errorCode()).isEqualTo("rate_limited");
        assertThat(http.post("/api/v1/auth/login", null, new JsonObject().put("email", staff.getString("email"))
                .put("password", "x").put("recoveryCode", "y".repeat(33))).errorCode()).isIn("bad_request", "rate_limited");
    }
}
