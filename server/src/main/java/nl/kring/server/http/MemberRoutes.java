package nl.kring.server.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.members.MemberService;

import static nl.kring.server.http.Endpoints.str;

/** The signed-in user themselves ({@code /me}: read, rename, erase) and a moderator's ban of a member. */
record MemberRoutes(AuthService auth, MemberService members) {

    void mount(Endpoints api) {
        api.authed(HttpMethod.GET, "/api/v1/me", 200, (ctx, p, token, body) ->
                Future.succeededFuture(new JsonObject().put("user", p.toJson())));
        api.authed(HttpMethod.PATCH, "/api/v1/me", 200, (ctx, p, token, body) -> auth.changeDisplayName(p, token,
                str(body, "displayName")).map(q -> new JsonObject().put("user", q.toJson())));
        api.authed(HttpMethod.DELETE, "/api/v1/me", 204, (ctx, p, token, body) -> members.erase(p).map(v -> null));
        api.authed(HttpMethod.POST, "/api/v1/mod/members/:id/ban", 200, (ctx, p, t, body) ->
                members.ban(p, ctx.pathParam("id"), body));
    }
}
