package nl.kring.server.http;

import io.vertx.core.http.HttpMethod;
import nl.kring.server.vraagbaak.VraagBaak;

/**
 * The VraagBaak (protocol section 9): asking, the public list with search, the asker's own
 * questions, and the editors' and answerers' work under {@code /api/v1/vraagbaak}.
 */
record VraagBaakRoutes(VraagBaak vraagbaak) {

    void mount(Endpoints api) {
        api.authed(HttpMethod.POST, "/api/v1/communities/:slug/questions", 201, (ctx, p, t, body) ->
                vraagbaak.ask(p, ctx.pathParam("slug"), body));
        api.openGet("/api/v1/communities/:slug/questions", ctx -> vraagbaak.published(ctx.pathParam("slug"),
                ctx.request().getParam("q"), ctx.request().getParam("limit"), ctx.request().getParam("before")));
        api.authed(HttpMethod.GET, "/api/v1/me/questions", 200, (ctx, p, t, body) -> vraagbaak.mine(p));
        api.authed(HttpMethod.GET, "/api/v1/vraagbaak/communities/:slug/questions", 200, (ctx, p, t, body) ->
                vraagbaak.staffList(p, ctx.pathParam("slug"), ctx.request().getParam("status")));
        api.authed(HttpMethod.GET, "/api/v1/vraagbaak/communities/:slug/answerers", 200, (ctx, p, t, body) ->
                vraagbaak.answerers(p, ctx.pathParam("slug")));
        api.authed(HttpMethod.GET, "/api/v1/vraagbaak/assigned", 200, (ctx, p, t, body) -> vraagbaak.assigned(p));
        api.authed(HttpMethod.GET, "/api/v1/vraagbaak/questions/:id", 200, (ctx, p, t, body) -> vraagbaak.one(p, ctx.pathParam("id")));
        api.authed(HttpMethod.POST, "/api/v1/vraagbaak/questions/:id/assign", 200, (ctx, p, t, body) ->
                vraagbaak.assign(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/vraagbaak/questions/:id/wording", 200, (ctx, p, t, body) ->
                vraagbaak.reword(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/vraagbaak/questions/:id/clear-risk", 200, (ctx, p, t, body) ->
                vraagbaak.clearRisk(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/vraagbaak/questions/:id/answer", 200, (ctx, p, t, body) ->
                vraagbaak.answer(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/vraagbaak/questions/:id/publish", 200, (ctx, p, t, body) ->
                vraagbaak.publish(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/vraagbaak/questions/:id/return", 200, (ctx, p, t, body) ->
                vraagbaak.giveBack(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/vraagbaak/questions/:id/reject", 200, (ctx, p, t, body) ->
                vraagbaak.reject(p, ctx.pathParam("id"), body));
    }
}
