package nl.kring.server.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import nl.kring.server.accounts.Totp;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Editing and enabling staff accounts ({@code PATCH /api/v1/admin/staff/{id}},
 * {@code POST /api/v1/admin/staff/{id}/enable}, issue 27, item 5) and reading the audit trail
 * ({@code GET /api/v1/admin/audit}, item 2), against a real server. Before this branch these
 * paths did not exist (404 "no such endpoint"), so each test failed at its first call.
 */
class StaffEditTest extends OneServer {

    /** Creates a staff account by the installation admin; returns {id, email}. */
    static JsonObject create(String role, String... communities) {
        String email = "edit-" + System.nanoTime() + "@kring.test";
        Http.Response r = http.post("/api/v1/admin/staff", api.adminToken(), new JsonObject().put("email", email)
                .put("password", "staff-password-123").put("role", role).put("displayName", "Mod " + role)
                .put("communities", new JsonArray(List.of(communities))));
        assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
        return new JsonObject().put("id", r.body().getString("id")).put("email", email);
    }

    static Http.Response edit(String id, String token, JsonObject body) {
        return http.patch("/api/v1/admin/staff/" + id, token, body);
    }

    @Test
    void anAdminEditsNameBadgeAndCommunitiesAndTheChangeIsAuditedWithoutIdentity() {
        String slug = server.community();
        String second = server.community();
        JsonObject staff = create("moderator", slug);
        String admin = api.adminToken();

        // WHEN the admin changes the display name, badge and communities
        Http.Response r = edit(staff.getString("id"), admin, new JsonObject().put("displayName", "Sanne")
                .put("badge", "ervaringsdeskundige").put("communities", new JsonArray(List.of(slug, second))));

        // THEN the Staff object says so, role unchanged, with the new fields
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        assertThat(r.body().getString("displayName")).isEqualTo("Sanne");
        assertThat(r.body().getString("badge")).isEqualTo("ervaringsdeskundige");
        assertThat(r.body().getString("role")).isEqualTo("moderator");
        assertThat(r.body().getJsonArray("communities").getList()).containsExactlyInAnyOrder(slug, second);
        assertThat(r.body().getBoolean("totpRequired")).isFalse();
        assertThat(r.body().getBoolean("disabled")).isFalse();
        // AND the staff member signs in under the new name
        String token = api.login(staff.getString("email"), "staff-password-123");
        assertThat(api.me(token).getString("displayName")).isEqualTo("Sanne");
        assertThat(api.me(token).getJsonArray("communities").getList()).containsExactlyInAnyOrder(slug, second);

        // AND the audit trail has it, filtered by action and paged, with no e-mail address anywhere
        Http.Response audit = http.get("/api/v1/admin/audit?action=staff.updated&limit=1", admin);
        assertThat(audit.status()).isEqualTo(200);
        JsonObject entry = audit.body().getJsonArray("entries").getJsonObject(0);
        assertThat(entry.getString("target")).isEqualTo("staff:" + staff.getString("id"));
        assertThat(entry.getJsonObject("details").getJsonObject("after").getString("displayName")).isEqualTo("Sanne");
        assertThat(audit.text()).doesNotContain(staff.getString("email"));
        assertThat(http.get("/api/v1/admin/audit/actions", admin).body().getJsonArray("actions").getList())
                .contains("staff.updated", "staff.created");
    }

    @Test
    void totpRequiredGatesTheAccountUntilItEnrols() {
        String slug = server.community();
        JsonObject staff = create("peer_expert", slug);
        assertThat(edit(staff.getString("id"), api.adminToken(), new JsonObject().put("totpRequired", true)).body()
                .getBoolean("totpRequired")).isTrue();

        // THEN after sign-in only enrolment answers
        String token = api.login(staff.getString("email"), "staff-password-123");
        assertThat(api.me(token).getBoolean("totpEnrolmentRequired")).isTrue();
        assertThat(http.get("/api/v1/rooms", token).errorCode()).isEqualTo("totp_required");
        String secret = http.post("/api/v1/me/totp", token, null).body().getString("secret");
        assertThat(http.post("/api/v1/me/totp/confirm", token,
                new JsonObject().put("code", Totp.code(secret, Totp.step(Instant.now())))).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/rooms", token).status()).isEqualTo(200);
        // AND the required factor cannot be removed
        assertThat(http.post("/api/v1/me/totp/remove", token, new JsonObject().put("code", "123456")).errorCode()).isEqualTo("forbidden");
    }

    @Test
    void aDisabledAccountIsEnabledAgain() {
        String slug = server.community();
        JsonObject staff = create("professional", slug);
        String id = staff.getString("id");
        assertThat(http.post("/api/v1/admin/staff/" + id + "/disable", api.adminToken(), new JsonObject().put("reason", "verlof"))
                .status()).isEqualTo(200);
        assertThat(http.post("/api/v1/auth/login", null, new JsonObject().put("email", staff.getString("email"))
                .put("password", "staff-password-123")).status()).isEqualTo(401);

        Http.Response r = http.post("/api/v1/admin/staff/" + id + "/enable", api.adminToken(), null);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        assertThat(r.body().getBoolean("disabled")).isFalse();
        assertThat(api.login(staff.getString("email"), "staff-password-123")).isNotNull();
        assertThat(http.get("/api/v1/admin/audit?action=staff.enabled", api.adminToken()).body().getJsonArray("entries")
                .getJsonObject(0).getString("target")).isEqualTo("staff:" + id);
    }

    @Test
    void refusalsForRolesOtherCommunitiesAndBadBodies() {
        String slug = server.community();
        String other = server.community();
        JsonObject staff = create("moderator", slug);
        String id = staff.getString("id");
        JsonObject rename = new JsonObject().put("displayName", "X");

        assertThat(edit(id, api.staff("moderator", slug), rename).errorCode()).isEqualTo("forbidden");
        assertThat(edit(id, server.member(slug), rename).errorCode()).isEqualTo("forbidden");
        assertThat(http.post("/api/v1/admin/staff/" + id + "/enable", api.staff("peer_expert", slug), null).errorCode())
                .isEqualTo("forbidden");
        // an admin of another community does not see the account
        String otherAdmin = api.staff("admin", other);
        assertThat(edit(id, otherAdmin, rename).errorCode()).isEqualTo("not_found");
        // a community admin may not move staff into a community they do not work in
        String admin = api.staff("admin", slug);
        assertThat(edit(id, admin, new JsonObject().put("communities", new JsonArray(List.of(slug, other)))).errorCode())
                .isEqualTo("forbidden");
        // nor change another admin, which installation-wide staff manage
        assertThat(edit(create("admin", slug).getString("id"), admin, rename).errorCode()).isEqualTo("forbidden");
        // bad bodies
        assertThat(edit(id, admin, new JsonObject().put("role", "admin")).errorCode()).isEqualTo("bad_request");
        assertThat(edit(id, admin, new JsonObject().put("displayName", "")).errorCode()).isEqualTo("bad_request");
        assertThat(edit(id, admin, new JsonObject().put("badge", "x".repeat(41))).errorCode()).isEqualTo("bad_request");
        assertThat(edit(id, admin, new JsonObject().put("totpRequired", "ja")).errorCode()).isEqualTo("bad_request");
        assertThat(edit(id, admin, new JsonObject().put("communities", new JsonArray())).errorCode()).isEqualTo("bad_request");
        assertThat(edit("u_nobody", admin, rename).errorCode()).isEqualTo("not_found");
        // the community admin may change their own community's moderator
        assertThat(edit(id, admin, rename).status()).isEqualTo(200);
    }

    @Test
    void theAuditTrailIsScopedPagedAndFiltered() {
        String slug = server.community();
        String other = server.community();
        String admin = api.staff("admin", slug);
        for (int i = 0; i < 3; i++) {
            assertThat(http.patch("/api/v1/admin/communities/" + slug, admin, new JsonObject().put("welcomeText", "Welkom " + i))
                    .status()).isEqualTo(200);
        }
        assertThat(http.patch("/api/v1/admin/communities/" + other, api.adminToken(), new JsonObject().put("welcomeText", "Elders"))
                .status()).isEqualTo(200);

        // WHEN the community admin pages through their community's updates two at a time
        Http.Response first = http.get("/api/v1/admin/audit?action=community.updated&limit=2", admin);
        assertThat(first.status()).as("%s", first.body()).isEqualTo(200);
        JsonArray page1 = first.body().getJsonArray("entries");
        String next = first.body().getString("next");
        Http.Response second = http.get("/api/v1/admin/audit?action=community.updated&limit=2&before=" + next, admin);
        JsonArray page2 = second.body().getJsonArray("entries");

        // THEN they see the three of their community, newest first, and none of the other
        assertThat(page1).hasSize(2);
        assertThat(page2).hasSize(1);
        assertThat(second.body().getString("next")).isNull();
        assertThat(page1.getJsonObject(0).getJsonObject("details").getJsonObject("after").getString("welcomeText")).isEqualTo("Welkom 2");
        assertThat(page2.getJsonObject(0).getString("community")).isEqualTo(slug);
        assertThat(Long.parseLong(page1.getJsonObject(1).getString("id"))).isGreaterThan(Long.parseLong(page2.getJsonObject(0).getString("id")));
        // filtered by staff member: the admin's own actions
        String adminId = api.me(admin).getString("id");
        assertThat(http.get("/api/v1/admin/audit?staff=" + adminId, admin).body().getJsonArray("entries")).hasSize(3);
        // operators see everything, the other community included
        assertThat(http.get("/api/v1/admin/audit?community=" + other, api.staff("operator")).body().getJsonArray("entries")).isNotEmpty();

        // refusals
        assertThat(http.get("/api/v1/admin/audit?community=" + other, admin).errorCode()).isEqualTo("forbidden");
        assertThat(http.get("/api/v1/admin/audit", api.staff("moderator", slug)).errorCode()).isEqualTo("forbidden");
        assertThat(http.get("/api/v1/admin/audit/actions", server.member(slug)).errorCode()).isEqualTo("forbidden");
        assertThat(http.get("/api/v1/admin/audit?limit=0", admin).errorCode()).isEqualTo("bad_request");
        assertThat(http.get("/api/v1/admin/audit?limit=201", admin).errorCode()).isEqualTo("bad_request");
        assertThat(http.get("/api/v1/admin/audit?before=abc", admin).errorCode()).isEqualTo("bad_request");
    }
}
