package nl.kring.server.http;

import io.vertx.core.http.HttpMethod;
import nl.kring.server.figures.Figures;

/** A community's anonymised figures (counts per day, for evaluating the eCommunities) as a CSV export over a date range. */
record FiguresRoutes(Figures figures) {

    void mount(Endpoints api) {
        api.authed(HttpMethod.GET, "/api/v1/admin/communities/:slug/figures", 200, (ctx, p, t, body) ->
                figures.csv(p, ctx.pathParam("slug"), ctx.request().getParam("from"), ctx.request().getParam("to")));
    }
}
