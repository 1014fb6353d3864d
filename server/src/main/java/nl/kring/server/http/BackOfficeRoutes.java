package nl.kring.server.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import nl.kring.server.admin.CommunityLogos;
import nl.kring.server.admin.InstallationStatus;
import nl.kring.server.admin.LiveNumbers;
import nl.kring.server.admin.StaffEdit;
import nl.kring.server.audit.AuditTrail;

/**
 * What the back office (/beheer.html, issue 27) needs beside the older admin calls: editing and
 * enabling staff, the audit trail, a community's live numbers, its logo, the operators' status.
 */
public record BackOfficeRoutes(StaffEdit staff, AuditTrail audit, LiveNumbers live, CommunityLogos logos, InstallationStatus status) {

    static final String LOGO = "/api/v1/admin/communities/:slug/logo";

    void mount(Endpoints api) {
        api.authed(HttpMethod.PATCH, "/api/v1/admin/staff/:id", 200, (ctx, p, t, body) -> staff.edit(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/admin/staff/:id/enable", 200, (ctx, p, t, body) -> staff.enable(p, ctx.pathParam("id")));
        api.authed(HttpMethod.GET, "/api/v1/admin/audit", 200, (ctx, p, t, body) -> audit.page(p, query(ctx, "community"),
                query(ctx, "staff"), query(ctx, "action"), query(ctx, "before"), query(ctx, "limit")));
        api.authed(HttpMethod.GET, "/api/v1/admin/audit/actions", 200, (ctx, p, t, body) -> audit.actions(p));
        api.authed(HttpMethod.GET, "/api/v1/admin/communities/:slug/live", 200, (ctx, p, t, body) -> live.of(p, ctx.pathParam("slug")));
        // the upload's body limit is set for this path alone in ApiRoutes (the API's is 64 KiB)
        api.authedUpload(HttpMethod.PUT, LOGO, 204, (ctx, p, bytes, type) -> logos.put(p, ctx.pathParam("slug"), type, bytes));
        api.authed(HttpMethod.DELETE, LOGO, 204, (ctx, p, t, body) -> logos.delete(p, ctx.pathParam("slug")));
        api.authed(HttpMethod.GET, "/api/v1/ops/status", 200, (ctx, p, t, body) -> status.of(p));
        api.openDownload("/api/v1/communities/:slug/logo", ctx -> logos.get(ctx.pathParam("slug"))
                .map(logo -> new Endpoints.Download(logo.mediaType(), logo.bytes(), "public, max-age=300")));
    }

    /** A query parameter, or {@code null} when absent or empty. */
    private static String query(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
