package nl.kring.server.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.kring.server.admin.CommunityAdmin;
import nl.kring.server.rooms.RoomDirectory;
import nl.kring.server.rooms.RoomRepository;

/** A community's front door, the rooms a user may join, and the admin's communities and rooms. */
record CommunityRoutes(CommunityAdmin communities, RoomDirectory rooms) {

    void mount(Endpoints api) {
        api.openGet("/api/v1/communities/:slug", ctx -> communities.frontDoor(ctx.pathParam("slug")));
        api.authed(HttpMethod.GET, "/api/v1/rooms", 200, (ctx, p, token, body) -> rooms.joinable(p).map(found -> {
            JsonArray out = new JsonArray();
            for (RoomRepository.RoomSummary r : found) {
                out.add(r.toJson());
            }
            return new JsonObject().put("rooms", out);
        }));
        api.authed(HttpMethod.GET, "/api/v1/admin/communities", 200, (ctx, p, t, body) -> communities.listCommunities(p));
        api.authed(HttpMethod.POST, "/api/v1/admin/communities", 201, (ctx, p, t, body) -> communities.createCommunity(p, body));
        api.authed(HttpMethod.GET, "/api/v1/admin/communities/:slug", 200, (ctx, p, t, body) ->
                communities.getCommunity(p, ctx.pathParam("slug")));
        api.authed(HttpMethod.PATCH, "/api/v1/admin/communities/:slug", 200, (ctx, p, t, body) ->
                communities.updateCommunity(p, ctx.pathParam("slug"), body));
        api.authed(HttpMethod.GET, "/api/v1/admin/communities/:slug/rooms", 200, (ctx, p, t, body) ->
                communities.listRooms(p, ctx.pathParam("slug")));
        api.authed(HttpMethod.POST, "/api/v1/admin/communities/:slug/rooms", 201, (ctx, p, t, body) ->
                communities.createRoom(p, ctx.pathParam("slug"), body));
        api.authed(HttpMethod.PATCH, "/api/v1/admin/rooms/:id", 200, (ctx, p, t, body) ->
                communities.updateRoom(p, ctx.pathParam("id"), body));
        api.authed(HttpMethod.PATCH, "/api/v1/moderation/rooms/:id", 200, (ctx, p, t, body) ->
                communities.setRoomControls(p, ctx.pathParam("id"), body));
    }
}
