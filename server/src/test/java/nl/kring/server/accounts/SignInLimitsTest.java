package nl.kring.server.accounts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in and sign-up limits per source (issue 26, item 3), through a real server. The test plays
 * the trusted proxy (127.0.0.1 is configured as one) and names each request's source in
 * {@code X-Forwarded-For}, as nginx does. Limits are small here so that a few attempts reach them;
 * each test uses sources and addresses of its own.
 *
 * <p>All three tests failed on the code before this change: logins were limited per e-mail address
 * only (spraying was never refused; an attacker's wrong passwords refused the staff member's right
 * one), and the sign-up limiter was spent per community before the invite was checked (the valid
 * invite was answered rate_limited).
 */
class SignInLimitsTest {

    private static final AtomicInteger SOURCES = new AtomicInteger();
    private static final String PASSWORD = "staff-password-123";

    static TestServer server;
    static ApiClient api;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(
                "KRING_TRUSTED_PROXIES", "127.0.0.1",
                "KRING_LOGIN_FAILURES_PER_SOURCE", "5",
                "KRING_LOGIN_FAILURES_PER_ADDRESS_SOURCE", "3",
                "KRING_LOGIN_FAILURES_PER_ADDRESS", "6",
                "KRING_SIGNUP_FAILURES_PER_SOURCE", "3",
                "KRING_SIGNUP_RATE", "0.001",
                "KRING_SIGNUP_BURST", "4"));
        api = server.api();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A source address of its own (a documentation range), as a trusted proxy would forward it. */
    private static String newSource() {
        int n = SOURCES.incrementAndGet();
        return "198.51." + (100 + n / 250) + "." + (1 + n % 250);
    }

    private static Http.Response login(String source, String email, String password) {
        return http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", password),
                Map.of("X-Forwarded-For", source));
    }

    private static Http.Response signUp(String source, String slug, String code) {
        return http.post("/api/v1/auth/anonymous", null, new JsonObject().put("community", slug).put("inviteCode", code)
                .put("pseudonym", ApiClient.pseudonym()).put("ageBand", "16-17"), Map.of("X-Forwarded-For", source));
    }

    private static String newStaffAddress() {
        String email = "target" + SOURCES.incrementAndGet() + "@kring.test";
        Http.Response created = http.post("/api/v1/admin/staff", api.adminToken(), new JsonObject().put("email", email)
                .put("password", PASSWORD).put("role", "moderator").put("displayName", "Moderator " + email)
                .put("realName", "Echte Naam").put("communities", new JsonArray(List.of(api.community()))));
        assertThat(created.status()).as("create staff: %s", created.body()).isEqualTo(201);
        return email;
    }

    private static void assertRateLimited(Http.Response r) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(429);
        assertThat(r.errorCode()).isEqualTo("rate_limited");
        assertThat(r.body().getJsonObject("error").getLong("retryAfterMs")).isPositive();
    }

    @Test
    void sprayingOnePasswordOverManyAddressesFromOneSourceIsRefusedAfterTheLimit() {
        String attacker = newSource();
        // GIVEN one source that tries one password on five different staff addresses (the limit is 5)
        for (int i = 0; i < 5; i++) {
            Http.Response r = login(attacker, "staff-" + i + "-" + attacker + "@kring.test", "Welkom2026!");
            assertThat(r.errorCode()).as("attempt %d: %s", i + 1, r.body()).isEqualTo("login_failed");
        }
        // WHEN it tries a sixth address, THEN it is refused before the password is checked
        assertRateLimited(login(attacker, "staff-5-" + attacker + "@kring.test", "Welkom2026!"));
        // AND another source is not refused for it
        assertThat(login(newSource(), "staff-6-" + attacker + "@kring.test", "Welkom2026!").errorCode()).isEqualTo("login_failed");
    }

    @Test
    void anAttackerCannotKeepAStaffMemberOut() {
        String email = newStaffAddress();
        // GIVEN an attacker who tries wrong passwords on the staff member's address until refused
        String attacker = newSource();
        int failures = 0;
        Http.Response r = login(attacker, email, "wrong-password-0");
        while (r.status() == 401 && failures < 20) {
            failures++;
            r = login(attacker, email, "wrong-password-" + failures);
        }
        assertRateLimited(r);
        // WHEN the staff member signs in from their own network, THEN they get in
        Http.Response own = login(newSource(), email, PASSWORD);
        assertThat(own.status()).as("%s", own.body()).isEqualTo(200);

        // GIVEN many attacking sources (a botnet) guessing this one address until the address's shared limit is spent:
        // a source's first failure is free, every further one is counted for the address as well
        boolean sharedLimitReached = false;
        for (int i = 0; i < 10 && !sharedLimitReached; i++) {
            String bot = newSource();
            assertThat(login(bot, email, "bot-guess").errorCode()).isEqualTo("login_failed");
            Http.Response second = login(bot, email, "bot-guess-2");
            if (second.status() == 429) {
                // refused after one failure, under its own limit of 3: the address's total limit refused it
                assertRateLimited(second);
                sharedLimitReached = true;
            }
        }
        assertThat(sharedLimitReached).as("the per-address total limit refuses sources that keep failing").isTrue();
        // THEN the staff member, from a source that has not failed, still gets in
        Http.Response again = login(newSource(), email, PASSWORD);
        assertThat(again.status()).as("%s", again.body()).isEqualTo(200);
    }

    @Test
    void wrongInvitesFromStrangersDoNotBlockACorrectInvite() {
        String slug = server.community();
        String code = server.invites(slug, 1).get(0);
        // GIVEN a stranger who tries wrong invite codes until refused (their own limit: 3 failures)
        String stranger = newSource();
        Http.Response r = signUp(stranger, slug, "AAAA-BBBB-CCCC-DDD0");
        for (int tries = 1; r.status() == 403 && tries < 10; tries++) {
            assertThat(r.errorCode()).isEqualTo("invite_invalid");
            r = signUp(stranger, slug, "AAAA-BBBB-CCCC-DDD" + tries);
        }
        assertRateLimited(r);
        // AND more strangers, each from a source of its own, until the community's shared limit refuses them
        boolean communityLimitReached = false;
        for (int i = 0; i < 10 && !communityLimitReached; i++) {
            String other = newSource();
            Http.Response first = signUp(other, slug, "EEEE-FFFF-GGGG-HH" + i + "A");
            if (first.status() != 429) {
                assertThat(first.errorCode()).isEqualTo("invite_invalid");
                first = signUp(other, slug, "EEEE-FFFF-GGGG-HH" + i + "B");
            }
            if (first.status() == 429) {
                assertRateLimited(first);
                communityLimitReached = true;
            }
        }
        assertThat(communityLimitReached).as("the community's limit refuses strangers who keep failing").isTrue();
        // WHEN a member with a valid invite signs up from their own network, THEN they get in
        Http.Response member = signUp(newSource(), slug, code);
        assertThat(member.status()).as("%s", member.body()).isEqualTo(201);
    }
}
