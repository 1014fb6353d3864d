package nl.kring.server.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static nl.kring.server.testing.TestServer.ADMIN_EMAIL;
import static nl.kring.server.testing.TestServer.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** The set-up every protocol test needs, through the HTTP API of a server on a port. */
public final class ApiClient {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private final int port;
    private final Http http;
    private String adminToken;

    public ApiClient(int port) {
        this.port = port;
        this.http = new Http(port);
    }

    public int port() {
        return port;
    }

    public String adminToken() {
        if (adminToken == null) {
            Http.Response r = http.post("/api/v1/auth/login", null,
                    new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD));
            assertThat(r.status()).isEqualTo(200);
            adminToken = r.body().getString("token");
        }
        return adminToken;
    }

    /** Forgets the admin's token, so that the next call signs in again (a retention run ahead of time deletes ended sessions). */
    public void signInAgain() {
        adminToken = null;
    }

    /** Creates a community with a unique slug; returns the slug. */
    public String community() {
        String slug = "c" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36);
        Http.Response r = http.post("/api/v1/admin/communities", adminToken(), new JsonObject().put("slug", slug).put("name", "Test " + slug));
        assertThat(r.status()).as("create community").isEqualTo(201);
        return slug;
    }

    /** Creates a room; returns its id. */
    public String room(String slug) {
        Http.Response r = http.post("/api/v1/admin/communities/" + slug + "/rooms", adminToken(),
                new JsonObject().put("name", "Kamer " + NAMES.incrementAndGet()).put("kind", "community"));
        assertThat(r.status()).as("create room").isEqualTo(201);
        return r.body().getString("id");
    }

    public List<String> invites(String slug, int count) {
        Http.Response r = http.post("/api/v1/admin/communities/" + slug + "/invites", adminToken(),
                new JsonObject().put("count", count).put("uses", 1).put("expiresInDays", 7));
        assertThat(r.status()).as("create invites").isEqualTo(201);
        List<String> codes = new ArrayList<>();
        for (Object o : r.body().getJsonArray("codes", new JsonArray())) {
            codes.add((String) o);
        }
        return codes;
    }

    /** Signs a new member up in the community; returns the bearer token. */
    public String member(String slug) {
        String code = invites(slug, 1).get(0);
        Http.Response r = http.post("/api/v1/auth/anonymous", null, new JsonObject().put("community", slug)
                .put("inviteCode", code).put("pseudonym", "lid_" + NAMES.incrementAndGet()).put("ageBand", "16-17"));
        assertThat(r.status()).as("anonymous join").isEqualTo(201);
        return r.body().getString("token");
    }

    public String ticket(String token) {
        Http.Response r = http.post("/api/v1/ws-ticket", token, null);
        assertThat(r.status()).as("ws ticket").isEqualTo(200);
        return r.body().getString("ticket");
    }

    /** A connected client that has read its welcome frame. */
    public WsClient connect(String token) {
        WsClient c = WsClient.connect(port, ticket(token));
        assertThat(c.nextOfType("welcome").getJsonObject("user")).isNotNull();
        return c;
    }


    public Http http() {
        return http;
    }

    /** Signs a member up with a given code; returns the raw response. */
    public Http.Response signUp(String slug, String code, String pseudonym, String ageBand, String region) {
        JsonObject body = new JsonObject().put("community", slug).put("inviteCode", code).put("pseudonym", pseudonym)
                .put("ageBand", ageBand);
        if (region != null) {
            body.put("region", region);
        }
        return http.post("/api/v1/auth/anonymous", null, body);
    }

    /** A fresh pseudonym. */
    public static String pseudonym() {
        return "lid_" + NAMES.incrementAndGet();
    }

    /** Creates a staff account (by the installation admin) and signs it in; returns the bearer token. */
    public String staff(String role, String... communities) {
        String email = "staff" + NAMES.incrementAndGet() + "@kring.test";
        Http.Response created = http.post("/api/v1/admin/staff", adminToken(), new JsonObject().put("email", email)
                .put("password", "staff-password-123").put("role", role).put("displayName", role + " " + NAMES.get())
                .put("realName", "Echte Naam " + NAMES.get()).put("communities", new JsonArray(List.of(communities))));
        assertThat(created.status()).as("create staff: %s", created.body()).isEqualTo(201);
        return login(email, "staff-password-123");
    }

    /**
     * Creates a moderator for the community and puts them on duty, so that its rooms run
     * moderated (not in fallback mode); returns the moderator's token.
     */
    public String moderatorOnDuty(String slug) {
        String token = staff("moderator", slug);
        Http.Response r = http.put("/api/v1/moderation/duty", token, new JsonObject().put("onDuty", true));
        assertThat(r.status()).as("on duty: %s", r.body()).isEqualTo(200);
        return token;
    }

    public String login(String email, String password) {
        Http.Response r = http.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", password));
        assertThat(r.status()).as("login: %s", r.body()).isEqualTo(200);
        return r.body().getString("token");
    }

    /** The signed-in user's {@code user} object. */
    public JsonObject me(String token) {
        Http.Response r = http.get("/api/v1/me", token);
        assertThat(r.status()).isEqualTo(200);
        return r.body().getJsonObject("user");
    }
}
