package nl.kring.server.http;

import io.vertx.core.http.HttpMethod;
import nl.kring.server.moderation.ModerationApi;

/** The moderation console (queue, items, claims, actions, duty, a member's history) and a member's notices. */
record ModerationRoutes(ModerationApi moderation) {

    void mount(Endpoints api) {
        api.authed(HttpMethod.GET, "/api/v1/me/notices", 200, (ctx, p, t, body) -> moderation.notices(p));
        api.authed(HttpMethod.POST, "/api/v1/me/notices/:id/seen", 204, (ctx, p, t, body) ->
                moderation.seen(p, ctx.pathParam("id")).map(v -> null));
        api.authed(HttpMethod.GET, "/api/v1/moderation/communities/:slug/queue", 200, (ctx, p, t, body) ->
                moderation.queue(p, ctx.pathParam("slug")));
        api.authed(HttpMethod.GET, "/api/v1/moderation/items/:id", 200, (ctx, p, t, body) ->
                moderation.item(p, ctx.pathParam("id")));
        api.authed(HttpMethod.POST, "/api/v1/moderation/items/:id/claim", 200, (ctx, p, t, body) ->
                moderation.claim(p, ctx.pathParam("id")));
        api.authed(HttpMethod.POST, "/api/v1/moderation/items/:id/unclaim", 200, (ctx, p, t, body) ->
                moderation.unclaim(p, ctx.pathParam("id")));
        api.authed(HttpMethod.POST, "/api/v1/moderation/items/:id/actions", 200, (ctx, p, t, body) ->
                moderation.act(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.GET, "/api/v1/moderation/duty", 200, (ctx, p, t, body) -> moderation.duty(p));
        api.authed(HttpMethod.PUT, "/api/v1/moderation/duty", 200, (ctx, p, t, body) -> moderation.setDuty(p, body));
        api.authed(HttpMethod.GET, "/api/v1/moderation/members/:id/history", 200, (ctx, p, t, body) ->
                moderation.memberHistory(p, ctx.pathParam("id")));
    }
}
