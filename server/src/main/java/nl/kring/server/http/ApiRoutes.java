package nl.kring.server.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.BiFunction;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.accounts.Principal;
import nl.kring.server.admin.AdminService;
import nl.kring.server.accounts.TicketStore;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API under {@code /api/v1} and the browser client at {@code /}. Every error leaves as
 * {@code {"error":{"code","message"}}} through {@link #fail}; nothing internal leaks.
 */
public final class ApiRoutes {

    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    static final long MAX_BODY_BYTES = 64 * 1024;
    /** No inline script or style, nothing from other origins (WebSocket to the same host included by 'self'). */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final AuthService auth;
    private final AdminService admin;
    private final RoomRepository rooms;
    private final nl.kring.server.db.Database db;

    public ApiRoutes(AuthService auth, AdminService admin, RoomRepository rooms, nl.kring.server.db.Database db) {
        this.auth = auth;
        this.admin = admin;
        this.rooms = rooms;
        this.db = db;
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Content-Security-Policy", CSP);
            ctx.next();
        });
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.post("/api/v1/auth/anonymous").handler(ctx -> json(ctx, body -> auth.joinAnonymous(
                str(body, "community"), str(body, "inviteCode"), str(body, "pseudonym"), str(body, "ageBand"))
                .map(ApiRoutes::signedIn), 201));
        router.post("/api/v1/auth/login").handler(ctx -> json(ctx, body -> auth.login(str(body, "email"), str(body, "password"))
                .map(ApiRoutes::signedIn), 200));
        router.post("/api/v1/auth/logout").handler(ctx -> authed(ctx, (p, token) -> auth.logout(p, token).map(v -> (JsonObject) null), 204));
        router.post("/api/v1/ws-ticket").handler(ctx -> authed(ctx, (p, token) -> Future.succeededFuture(new JsonObject()
                .put("ticket", auth.issueTicket(token, p)).put("expiresInSeconds", TicketStore.TTL.toSeconds())), 200));
        router.get("/api/v1/me").handler(ctx -> authed(ctx, (p, token) -> Future.succeededFuture(new JsonObject().put("user", p.toJson())), 200));
        router.get("/api/v1/rooms").handler(ctx -> authed(ctx, (p, token) -> listRooms(p), 200));
        router.post("/api/v1/admin/communities").handler(ctx -> authedJson(ctx, (p, body) -> admin.createCommunity(p, body), 201));
        router.post("/api/v1/admin/communities/:slug/rooms").handler(ctx -> authedJson(ctx,
                (p, body) -> admin.createRoom(p, ctx.pathParam("slug"), body), 201));
        router.post("/api/v1/admin/communities/:slug/invites").handler(ctx -> authedJson(ctx,
                (p, body) -> admin.createInvites(p, ctx.pathParam("slug"), body), 201));
        router.post("/api/v1/admin/staff").handler(ctx -> authedJson(ctx, (p, body) -> admin.createStaff(p, body), 201));
        router.route("/api/*").handler(ctx -> fail(ctx, new KringException(ErrorCode.NOT_FOUND, "no such endpoint")));
        router.route("/api/*").failureHandler(ctx -> fail(ctx, ctx.statusCode() == 413
                ? new KringException(ErrorCode.PAYLOAD_TOO_LARGE, "request body too large")
                : KringException.from(ctx.failure())));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
        return router;
    }

    private Future<JsonObject> listRooms(Principal p) {
        Future<java.util.List<RoomRepository.RoomSummary>> list = p.communityId() != null
                ? rooms.listForCommunity(p.communityId())
                : rooms.listForStaff(p.allCommunities(), p.staffCommunities().toArray(new Long[0]));
        return list.recover(t -> Future.failedFuture(db.failure(t))).map(found -> {
            JsonArray out = new JsonArray();
            for (RoomRepository.RoomSummary r : found) {
                out.add(new JsonObject().put("id", r.id()).put("name", r.name()).put("kind", r.kind()).put("community", r.community()));
            }
            return new JsonObject().put("rooms", out);
        });
    }

    private static JsonObject signedIn(AuthService.SignedIn s) {
        return new JsonObject().put("token", s.token()).put("user", s.principal().toJson());
    }

    private void json(RoutingContext ctx, java.util.function.Function<JsonObject, Future<JsonObject>> handler, int status) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            fail(ctx, KringException.badRequest("the body must be a JSON object"));
            return;
        }
        if (body == null) {
            fail(ctx, KringException.badRequest("the body must be a JSON object"));
            return;
        }
        try {
            handler.apply(body).onComplete(ar -> respond(ctx, ar.succeeded() ? ar.result() : null, ar.cause(), status));
        } catch (KringException e) {
            fail(ctx, e);
        }
    }

    private void authed(RoutingContext ctx, BiFunction<Principal, String, Future<JsonObject>> handler, int status) {
        String token = bearer(ctx);
        auth.authenticate(token).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, KringException.from(ar.cause()));
                return;
            }
            try {
                handler.apply(ar.result(), token).onComplete(r -> respond(ctx, r.succeeded() ? r.result() : null, r.cause(), status));
            } catch (KringException e) {
                fail(ctx, e);
            }
        });
    }

    private void authedJson(RoutingContext ctx, BiFunction<Principal, JsonObject, Future<JsonObject>> handler, int status) {
        authed(ctx, (p, token) -> {
            JsonObject body;
            try {
                body = ctx.body().asJsonObject();
            } catch (DecodeException | ClassCastException e) {
                throw KringException.badRequest("the body must be a JSON object");
            }
            if (body == null) {
                throw KringException.badRequest("the body must be a JSON object");
            }
            return handler.apply(p, body);
        }, status);
    }

    private static void respond(RoutingContext ctx, JsonObject result, Throwable failure, int status) {
        if (failure != null) {
            fail(ctx, KringException.from(failure));
        } else if (status == 204 || result == null) {
            ctx.response().setStatusCode(204).end();
        } else {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(result.encode());
        }
    }

    static void fail(RoutingContext ctx, KringException e) {
        if (e.code() == ErrorCode.INTERNAL) {
            log.error("request failed [path: {}]", ctx.normalizedPath(), ctx.failure());
        }
        if (ctx.response().ended()) {
            return;
        }
        JsonObject error = e.toJson();
        if (e.retryAfterMs() >= 0) {
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (e.retryAfterMs() + 999) / 1000)));
        }
        ctx.response().setStatusCode(e.code().httpStatus()).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", error).encode());
    }

    private static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    private static String str(JsonObject body, String field) {
        return body.getValue(field) instanceof String s ? s : null;
    }
}
