package nl.kring.server.http;

import io.vertx.core.http.HttpMethod;
import nl.kring.server.admin.SafetyAdmin;

/** #chatsafe settings of a community: its help directory (helplines), read by anyone, kept by its admins. */
record SafetyRoutes(SafetyAdmin safety) {

    void mount(Endpoints api) {
        api.openGet("/api/v1/communities/:slug/help", ctx -> safety.help(ctx.pathParam("slug")));
        api.authed(HttpMethod.POST, "/api/v1/admin/communities/:slug/help", 201, (ctx, p, t, body) ->
                safety.addHelp(p, ctx.pathParam("slug"), body));
        api.authed(HttpMethod.DELETE, "/api/v1/admin/help/:id", 204, (ctx, p, t, body) ->
                safety.removeHelp(p, ctx.pathParam("id")).map(v -> null));
    }
}
