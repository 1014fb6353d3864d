package nl.kring.server.http;

import io.vertx.core.http.HttpMethod;
import nl.kring.server.admin.InviteAdmin;
import nl.kring.server.admin.StaffAdmin;

/** The admin's invite codes (batches, revocation) and staff accounts (create, identity, disable, sessions, password reset). */
record InviteStaffRoutes(InviteAdmin invites, StaffAdmin staff) {

    void mount(Endpoints api) {
        api.authed(HttpMethod.POST, "/api/v1/admin/communities/:slug/invites", 201, (ctx, p, t, body) ->
                invites.createBatch(p, ctx.pathParam("slug"), body));
        api.authed(HttpMethod.GET, "/api/v1/admin/communities/:slug/invite-batches", 200, (ctx, p, t, body) ->
                invites.listBatches(p, ctx.pathParam("slug")));
        api.authed(HttpMethod.POST, "/api/v1/admin/communities/:slug/invites/revoke", 200, (ctx, p, t, body) ->
                invites.revokeCode(p, ctx.pathParam("slug"), body));
        api.authed(HttpMethod.POST, "/api/v1/admin/invite-batches/:id/revoke", 200, (ctx, p, t, body) ->
                invites.revokeBatch(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.GET, "/api/v1/admin/staff", 200, (ctx, p, t, body) -> staff.listStaff(p));
        api.authed(HttpMethod.POST, "/api/v1/admin/staff", 201, (ctx, p, t, body) -> staff.createStaff(p, body));
        api.authed(HttpMethod.POST, "/api/v1/admin/staff/:id/identity", 200, (ctx, p, t, body) ->
                staff.identity(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/admin/staff/:id/disable", 200, (ctx, p, t, body) ->
                staff.disable(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/admin/staff/:id/revoke-sessions", 200, (ctx, p, t, body) ->
                staff.revokeSessions(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.POST, "/api/v1/admin/staff/:id/reset-password", 200, (ctx, p, t, body) ->
                staff.resetPassword(p, ctx.pathParam("id"), body));
    }
}
