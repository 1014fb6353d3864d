package nl.kring.server.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Set;
import nl.kring.server.access.Access;
import nl.kring.server.accounts.AccountRepository;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.shared.Principal;
import nl.kring.server.accounts.SecondFactor;
import nl.kring.server.accounts.TicketStore;
import nl.kring.server.admin.CommunityAdmin;
import nl.kring.server.admin.InviteAdmin;
import nl.kring.server.admin.StaffAdmin;
import nl.kring.server.db.Database;
import nl.kring.server.figures.Figures;
import nl.kring.server.members.MemberService;
import nl.kring.server.moderation.ModerationApi;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRepository;
import nl.kring.server.admin.SafetyAdmin;
import nl.kring.server.spreekuur.SpreekuurApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP API under {@code /api/v1} (described in {@code docs/openapi.yaml}) and the browser
 * client at {@code /}. Wiring only: each route reads its inputs and hands over to a service.
 * Every error leaves as {@code {"error":{"code","message"}}} through {@link #fail}; nothing
 * internal leaks.
 */
public final class ApiRoutes {

    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    static final long MAX_BODY_BYTES = 64 * 1024;
    static final String REQUEST_ID = "kring.requestId";
    /** No inline script or style, nothing from other origins (WebSocket to the same host included by 'self'). */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** What a staff member who must still enrol a second factor may call. */
    static final Set<String> ENROLMENT_PATHS = Set.of("/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/totp", "/api/v1/me/totp/confirm");

    /**
     * A route's work, given the signed-in user, their token and the JSON body (an empty object when
     * there is none). Its result is a JSON object, or a text (CSV) for an export.
     */
    @FunctionalInterface
    interface Handler {
        Future<?> handle(RoutingContext ctx, Principal p, String token, JsonObject body);
    }

    private final AuthService auth;
    private final SecondFactor secondFactor;
    private final CommunityAdmin communities;
    private final InviteAdmin invites;
    private final StaffAdmin staff;
    private final MemberService members;
    private final SafetyAdmin safety;
    private final ModerationApi moderation;
    private final Figures figures;
    private final SpreekuurApi spreekuren;
    private final RoomRepository rooms;
    private final Database db;
    private final java.util.List<String> described = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ApiRoutes(AuthService auth, SecondFactor secondFactor, CommunityAdmin communities, InviteAdmin invites,
                     StaffAdmin staff, MemberService members, SafetyAdmin safety, ModerationApi moderation, Figures figures,
                     SpreekuurApi spreekuren, RoomRepository rooms, Database db) {
        this.figures = figures;
        this.spreekuren = spreekuren;
        this.safety = safety;
        this.moderation = moderation;
        this.auth = auth;
        this.secondFactor = secondFactor;
        this.communities = communities;
        this.invites = invites;
        this.staff = staff;
        this.members = members;
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
        router.route("/api/*").handler(ctx -> {
            // the request's correlation id: in the log (MDC "req") and in the X-Request-Id header for support
            String requestId = "rq-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
            ctx.put(REQUEST_ID, requestId);
            ctx.response().putHeader("Cache-Control", "no-store").putHeader("X-Request-Id", requestId);
            MDC.put("req", requestId);
            try {
                ctx.next();
            } finally {
                MDC.remove("req");
            }
        });
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));

        open(router, HttpMethod.POST, "/api/v1/auth/anonymous", 201, (ctx, body) -> auth.joinAnonymous(
                str(body, "community"), str(body, "inviteCode"), str(body, "pseudonym"), str(body, "ageBand"), str(body, "region"))
                .map(ApiRoutes::signedIn));
        open(router, HttpMethod.POST, "/api/v1/auth/login", 200, (ctx, body) -> auth.login(
                str(body, "email"), str(body, "password"), str(body, "totp")).map(ApiRoutes::signedIn));
        described.add("GET /api/v1/communities/{slug}");
        router.get("/api/v1/communities/:slug").handler(ctx -> communities.frontDoor(ctx.pathParam("slug"))
                .onComplete(ar -> respond(ctx, ar.result(), ar.cause(), 200)));

        described.add("GET /api/v1/communities/{slug}/help");
        router.get("/api/v1/communities/:slug/help").handler(ctx -> safety.help(ctx.pathParam("slug"))
                .onComplete(ar -> respond(ctx, ar.result(), ar.cause(), 200)));

        authed(router, HttpMethod.POST, "/api/v1/auth/logout", 204, (ctx, p, token, body) -> auth.logout(p, token).map(v -> null));
        authed(router, HttpMethod.POST, "/api/v1/ws-ticket", 200, (ctx, p, token, body) -> Future.succeededFuture(new JsonObject()
                .put("ticket", auth.issueTicket(token, p)).put("expiresInSeconds", TicketStore.TTL.toSeconds())));
        authed(router, HttpMethod.GET, "/api/v1/me", 200, (ctx, p, token, body) ->
                Future.succeededFuture(new JsonObject().put("user", p.toJson())));
        authed(router, HttpMethod.PATCH, "/api/v1/me", 200, (ctx, p, token, body) -> auth.changeDisplayName(p, token,
                str(body, "displayName")).map(q -> new JsonObject().put("user", q.toJson())));
        authed(router, HttpMethod.DELETE, "/api/v1/me", 204, (ctx, p, token, body) -> members.erase(p).map(v -> null));
        authed(router, HttpMethod.GET, "/api/v1/me/sessions", 200, (ctx, p, token, body) -> auth.sessions(p).map(list -> sessions(p, list)));
        authed(router, HttpMethod.POST, "/api/v1/me/sessions", 201, (ctx, p, token, body) -> auth.newDeviceSession(p)
                .map(s -> signedIn(s).put("session", Long.toString(s.principal().sessionId()))));
        authed(router, HttpMethod.DELETE, "/api/v1/me/sessions/:id", 204, (ctx, p, token, body) -> auth.endSession(p.userId(),
                        sessionId(ctx.pathParam("id")), "revoked")
                .compose(found -> found ? Future.succeededFuture(null)
                        : Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such session"))));
        authed(router, HttpMethod.POST, "/api/v1/me/totp", 201, (ctx, p, token, body) -> secondFactor.enrol(p));
        authed(router, HttpMethod.POST, "/api/v1/me/totp/confirm", 200, (ctx, p, token, body) -> secondFactor.confirm(p, body));
        authed(router, HttpMethod.POST, "/api/v1/me/totp/remove", 200, (ctx, p, token, body) -> secondFactor.remove(p, body));
        authed(router, HttpMethod.GET, "/api/v1/rooms", 200, (ctx, p, token, body) -> listRooms(p));

        authed(router, HttpMethod.GET, "/api/v1/admin/communities", 200, (ctx, p, t, body) -> communities.listCommunities(p));
        authed(router, HttpMethod.POST, "/api/v1/admin/communities", 201, (ctx, p, t, body) -> communities.createCommunity(p, body));
        authed(router, HttpMethod.GET, "/api/v1/admin/communities/:slug", 200, (ctx, p, t, body) ->
                communities.getCommunity(p, ctx.pathParam("slug")));
        authed(router, HttpMethod.PATCH, "/api/v1/admin/communities/:slug", 200, (ctx, p, t, body) ->
                communities.updateCommunity(p, ctx.pathParam("slug"), body));
        authed(router, HttpMethod.GET, "/api/v1/admin/communities/:slug/rooms", 200, (ctx, p, t, body) ->
                communities.listRooms(p, ctx.pathParam("slug")));
        authed(router, HttpMethod.POST, "/api/v1/admin/communities/:slug/rooms", 201, (ctx, p, t, body) ->
                communities.createRoom(p, ctx.pathParam("slug"), body));
        authed(router, HttpMethod.PATCH, "/api/v1/admin/rooms/:id", 200, (ctx, p, t, body) ->
                communities.updateRoom(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.POST, "/api/v1/admin/communities/:slug/invites", 201, (ctx, p, t, body) ->
                invites.createBatch(p, ctx.pathParam("slug"), body));
        authed(router, HttpMethod.GET, "/api/v1/admin/communities/:slug/invite-batches", 200, (ctx, p, t, body) ->
                invites.listBatches(p, ctx.pathParam("slug")));
        authed(router, HttpMethod.POST, "/api/v1/admin/communities/:slug/invites/revoke", 200, (ctx, p, t, body) ->
                invites.revokeCode(p, ctx.pathParam("slug"), body));
        authed(router, HttpMethod.POST, "/api/v1/admin/invite-batches/:id/revoke", 200, (ctx, p, t, body) ->
                invites.revokeBatch(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.GET, "/api/v1/admin/staff", 200, (ctx, p, t, body) -> staff.listStaff(p));
        authed(router, HttpMethod.POST, "/api/v1/admin/staff", 201, (ctx, p, t, body) -> staff.createStaff(p, body));
        authed(router, HttpMethod.POST, "/api/v1/admin/staff/:id/identity", 200, (ctx, p, t, body) ->
                staff.identity(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.POST, "/api/v1/admin/staff/:id/disable", 200, (ctx, p, t, body) ->
                staff.disable(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.POST, "/api/v1/admin/staff/:id/revoke-sessions", 200, (ctx, p, t, body) ->
                staff.revokeSessions(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.POST, "/api/v1/admin/communities/:slug/help", 201, (ctx, p, t, body) ->
                safety.addHelp(p, ctx.pathParam("slug"), body));
        authed(router, HttpMethod.DELETE, "/api/v1/admin/help/:id", 204, (ctx, p, t, body) ->
                safety.removeHelp(p, ctx.pathParam("id")).map(v -> null));
        authed(router, HttpMethod.GET, "/api/v1/admin/communities/:slug/figures", 200, (ctx, p, t, body) ->
                figures.csv(p, ctx.pathParam("slug"), ctx.request().getParam("from"), ctx.request().getParam("to")));
        authed(router, HttpMethod.GET, "/api/v1/me/notices", 200, (ctx, p, t, body) -> moderation.notices(p));
        authed(router, HttpMethod.POST, "/api/v1/me/notices/:id/seen", 204, (ctx, p, t, body) ->
                moderation.seen(p, ctx.pathParam("id")).map(v -> null));
        authed(router, HttpMethod.GET, "/api/v1/moderation/communities/:slug/queue", 200, (ctx, p, t, body) ->
                moderation.queue(p, ctx.pathParam("slug")));
        authed(router, HttpMethod.GET, "/api/v1/moderation/items/:id", 200, (ctx, p, t, body) ->
                moderation.item(p, ctx.pathParam("id")));
        authed(router, HttpMethod.POST, "/api/v1/moderation/items/:id/claim", 200, (ctx, p, t, body) ->
                moderation.claim(p, ctx.pathParam("id")));
        authed(router, HttpMethod.POST, "/api/v1/moderation/items/:id/unclaim", 200, (ctx, p, t, body) ->
                moderation.unclaim(p, ctx.pathParam("id")));
        authed(router, HttpMethod.POST, "/api/v1/moderation/items/:id/actions", 200, (ctx, p, t, body) ->
                moderation.act(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.GET, "/api/v1/moderation/duty", 200, (ctx, p, t, body) -> moderation.duty(p));
        authed(router, HttpMethod.PUT, "/api/v1/moderation/duty", 200, (ctx, p, t, body) -> moderation.setDuty(p, body));
        authed(router, HttpMethod.GET, "/api/v1/moderation/members/:id/history", 200, (ctx, p, t, body) ->
                moderation.memberHistory(p, ctx.pathParam("id")));
        authed(router, HttpMethod.GET, "/api/v1/communities/:slug/spreekuren", 200, (ctx, p, t, body) ->
                spreekuren.list(p, ctx.pathParam("slug")));
        authed(router, HttpMethod.POST, "/api/v1/admin/communities/:slug/spreekuren", 201, (ctx, p, t, body) ->
                spreekuren.create(p, ctx.pathParam("slug"), body));
        authed(router, HttpMethod.PATCH, "/api/v1/admin/spreekuren/:id", 200, (ctx, p, t, body) ->
                spreekuren.update(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.GET, "/api/v1/spreekuren/:id/queue", 200, (ctx, p, t, body) ->
                spreekuren.queue(p, ctx.pathParam("id")));
        authed(router, HttpMethod.POST, "/api/v1/spreekuren/:id/queue", 200, (ctx, p, t, body) ->
                spreekuren.ask(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.DELETE, "/api/v1/spreekuren/:id/queue", 204, (ctx, p, t, body) ->
                spreekuren.leave(p, ctx.pathParam("id")).map(v -> null));
        authed(router, HttpMethod.POST, "/api/v1/spreekuren/:id/take", 200, (ctx, p, t, body) ->
                spreekuren.take(p, ctx.pathParam("id")));
        authed(router, HttpMethod.GET, "/api/v1/talks/:id", 200, (ctx, p, t, body) -> spreekuren.talk(p, ctx.pathParam("id")));
        authed(router, HttpMethod.POST, "/api/v1/talks/:id/transfer", 200, (ctx, p, t, body) ->
                spreekuren.transfer(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.POST, "/api/v1/talks/:id/end", 200, (ctx, p, t, body) ->
                spreekuren.end(p, ctx.pathParam("id"), body));
        authed(router, HttpMethod.POST, "/api/v1/talks/:id/feedback", 204, (ctx, p, t, body) ->
                spreekuren.feedback(p, ctx.pathParam("id"), body).map(v -> null));
        authed(router, HttpMethod.POST, "/api/v1/mod/members/:id/ban", 200, (ctx, p, t, body) ->
                members.ban(p, ctx.pathParam("id"), body));

        router.route("/api/*").handler(ctx -> fail(ctx, new KringException(ErrorCode.NOT_FOUND, "no such endpoint")));
        router.route("/api/*").failureHandler(ctx -> fail(ctx, ctx.statusCode() == 413
                ? new KringException(ErrorCode.PAYLOAD_TOO_LARGE, "request body too large")
                : KringException.from(ctx.failure())));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
        return router;
    }

    /** Every API route as "METHOD /path/{param}" (after {@link #router}), for the OpenAPI test. */
    public java.util.List<String> routes() {
        return java.util.List.copyOf(new java.util.LinkedHashSet<>(described));
    }

    private Future<JsonObject> listRooms(Principal p) {
        Long[] ids = p.isMember() ? new Long[] {p.communityId()} : p.staffCommunities().toArray(new Long[0]);
        return rooms.list(!p.isMember() && p.allCommunities(), ids, false)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(found -> {
                    JsonArray out = new JsonArray();
                    for (RoomRepository.RoomSummary r : found) {
                        if (Access.mayJoin(p, r.communityId(), r.settings(), false)) {
                            out.add(r.toJson());
                        }
                    }
                    return new JsonObject().put("rooms", out);
                });
    }

    private static JsonObject sessions(Principal p, java.util.List<AccountRepository.SessionInfo> list) {
        JsonArray out = new JsonArray();
        for (AccountRepository.SessionInfo s : list) {
            out.add(new JsonObject().put("id", Long.toString(s.id())).put("createdAt", s.createdAt().toString())
                    .put("expiresAt", s.expiresAt().toString()).put("current", s.id() == p.sessionId()));
        }
        return new JsonObject().put("sessions", out);
    }

    private static long sessionId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new KringException(ErrorCode.NOT_FOUND, "no such session");
        }
    }

    private static JsonObject signedIn(AuthService.SignedIn s) {
        return new JsonObject().put("token", s.token()).put("user", s.principal().toJson());
    }

    /** A route without sign-in that takes a JSON object. */
    private void open(Router router, HttpMethod method, String path, int status,
                      java.util.function.BiFunction<RoutingContext, JsonObject, Future<JsonObject>> handler) {
        described.add(method.name() + " " + path.replaceAll(":([a-z]+)", "{$1}"));
        router.route(method, path).handler(ctx -> {
            try {
                handler.apply(ctx, body(ctx, true)).onComplete(ar -> respond(ctx, ar.result(), ar.cause(), status));
            } catch (KringException e) {
                fail(ctx, e);
            }
        });
    }

    /** A route that needs a bearer token; a body, when sent, must be a JSON object. */
    private void authed(Router router, HttpMethod method, String path, int status, Handler handler) {
        described.add(method.name() + " " + path.replaceAll(":([a-z]+)", "{$1}"));
        router.route(method, path).handler(ctx -> {
            String token = bearer(ctx);
            auth.authenticate(token).onComplete(ar -> {
                if (ar.failed()) {
                    fail(ctx, KringException.from(ar.cause()));
                    return;
                }
                Principal p = ar.result();
                try {
                    if (p.totpRequired() && !ENROLMENT_PATHS.contains(path)) {
                        throw new KringException(ErrorCode.TOTP_REQUIRED, "enrol a second factor first (POST /api/v1/me/totp)");
                    }
                    handler.handle(ctx, p, token, body(ctx, false))
                            .onComplete(r -> respond(ctx, r.succeeded() ? r.result() : null, r.cause(), status));
                } catch (KringException e) {
                    fail(ctx, e);
                }
            });
        });
    }

    /** The request's JSON object; an empty object for an empty body unless {@code required}. */
    private static JsonObject body(RoutingContext ctx, boolean required) {
        io.vertx.core.buffer.Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
        if (raw == null || raw.length() == 0) {
            if (required) {
                throw KringException.badRequest("the body must be a JSON object");
            }
            return new JsonObject();
        }
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(raw);
            if (!(parsed instanceof JsonObject body)) {
                throw KringException.badRequest("the body must be a JSON object");
            }
            return body;
        } catch (DecodeException | ClassCastException e) {
            throw KringException.badRequest("the body must be a JSON object");
        }
    }

    private static void respond(RoutingContext ctx, Object result, Throwable failure, int status) {
        if (failure != null) {
            fail(ctx, KringException.from(failure));
        } else if (status == 204 || result == null) {
            ctx.response().setStatusCode(204).end();
        } else if (result instanceof String csv) {
            // CSV (RFC 4180) as text/plain with a .csv file name: the media type every OpenAPI validator knows
            ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"kring-figures.csv\"").end(csv);
        } else {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(((JsonObject) result).encode());
        }
    }

    static void fail(RoutingContext ctx, KringException e) {
        if (e.code() == ErrorCode.INTERNAL) {
            MDC.put("req", String.valueOf((Object) ctx.get(REQUEST_ID)));
            try {
                log.error("request failed [route: {}]", ctx.currentRoute() == null ? "-" : ctx.currentRoute().getPath(), ctx.failure());
            } finally {
                MDC.remove("req");
            }
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
