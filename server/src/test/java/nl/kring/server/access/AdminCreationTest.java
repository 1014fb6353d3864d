package nl.kring.server.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin accounts are made by installation admins only (issue 26, item 9): an operator, who reads
 * no conversation, must not be able to make an admin, who does. The operator's refusals failed on
 * the code before the fix (an operator created admins, for one community and for all). There is no
 * call that changes an existing account's role, so creation is the only way to an admin account.
 */
class AdminCreationTest extends OneServer {

    static int n;

    static Http.Response createStaff(String token, String role, String... communities) {
        return http.post("/api/v1/admin/staff", token, new JsonObject().put("email", "admin-creation-" + n++ + "@kring.test")
                .put("password", "staff-password-123").put("role", role).put("displayName", role + " " + n)
                .put("communities", new JsonArray(List.of(communities))));
    }

    static void assertForbidden(Http.Response r) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(403);
        assertThat(r.body().getJsonObject("error").getString("code")).isEqualTo("forbidden");
    }

    @Test
    void anOperatorCannotCreateAnAdminButStillCreatesOtherStaff() {
        // GIVEN an operator and a community
        String slug = server.community();
        String operator = api.staff("operator");
        // WHEN they create an admin of the community, or an installation admin: forbidden
        assertForbidden(createStaff(operator, "admin", slug));
        assertForbidden(createStaff(operator, "admin"));
        // THEN no admin came of it, and the operator still manages the other staff
        JsonArray staff = http.get("/api/v1/admin/staff", operator).body().getJsonArray("staff");
        assertThat(staff).noneMatch(o -> "admin".equals(((JsonObject) o).getString("role"))
                && ((JsonObject) o).getJsonArray("communities").contains(slug));
        assertThat(createStaff(operator, "moderator", slug).status()).isEqualTo(201);
        assertThat(createStaff(operator, "operator").status()).isEqualTo(201);
    }

    @Test
    void anInstallationAdminCreatesAdminsAndACommunityAdminCannot() {
        String slug = server.community();
        // GIVEN the installation admin: they create an admin of the community
        Http.Response communityAdmin = createStaff(api.adminToken(), "admin", slug);
        assertThat(communityAdmin.status()).as("%s", communityAdmin.body()).isEqualTo(201);
        assertThat(communityAdmin.body().getString("role")).isEqualTo("admin");
        assertThat(communityAdmin.body().getJsonArray("communities")).containsExactly(slug);
        // WHEN an admin of one community tries to make an admin: forbidden
        assertForbidden(createStaff(api.staff("admin", slug), "admin", slug));
    }
}
