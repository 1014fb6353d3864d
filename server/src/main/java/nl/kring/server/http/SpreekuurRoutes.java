package nl.kring.server.http;

import io.vertx.core.http.HttpMethod;
import nl.kring.server.spreekuur.SpreekuurApi;

/** Consultation hours (spreekuren): the schedule, the admin's hours, the waiting queue and the one-to-one talks. */
record SpreekuurRoutes(SpreekuurApi spreekuren) {

    void mount(Endpoints api) {
        api.authed(HttpMethod.GET, "/api/v1/communities/:slug/spreekuren", 200, (ctx, p, t, body) ->
                spreekuren.list(p, ctx.pathParam("slug")));
        api.authed(HttpMethod.POST, "/api/v1/admin/communities/:slug/spreekuren", 201, (ctx, p, t, body) ->
                spreekuren.create(p, ctx.pathParam("slug"), body));
        api.authed(HttpMethod.PATCH, "/api/v1/admin/spreekuren/:id", 200, (ctx, p, t, body) ->
                spreekuren.update(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.GET, "/api/v1/spreekuren/:id/queue", 200, (ctx, p, t, body) ->
                spreekuren.queue(p, ctx.pathParam("id")));
        api.authed(HttpMethod.POST, "/api/v1/spreekuren/:id/queue", 200, (ctx, p, t, body) ->
                spreekuren.ask(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.DELETE, "/api/v1/spreekuren/:id/queue", 204, (ctx, p, t, body) ->
                spreekuren.leave(p, ctx.pathParam("id")).map(v -> null));
        api.authed(HttpMethod.POST, "/api/v1/spreekuren/:id/take", 200, (ctx, p, t, body) ->
                spreekuren.take(p, ctx.pathParam("id")));
        api.authed(HttpMethod.GET, "/api/v1/talks/:id", 200, (ctx, p, t, body) -> spreekuren.talk(p, ctx.pathParam("id")));
        api.authed(HttpMethod.POST, "/api/v1/talks/:id/transfer", 200, (ctx, p, t, body) ->
                spreekuren.transfer(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/talks/:id/end", 200, (ctx, p, t, body) ->
                spreekuren.end(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/talks/:id/feedback", 204, (ctx, p, t, body) ->
                spreekuren.feedback(p, ctx.pathParam("id"), body).map(v -> null));
    }
}
