package nl.kring.server.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * How an API route is declared on one router, and the glue every route shares: the bearer token
 * and its principal (with the gates of a forced password change and of second-factor enrolment), the JSON body, the answer, and the
 * one mapping of a failure to {@code {"error":{"code","message"}}} with the status of its
 * {@link ErrorCode} ({@link #fail}); nothing internal leaks. Each declared route is also told to
 * {@code described} as "METHOD /path/{param}". One per router, used while the router is built;
 * the handlers it installs keep no state of their own.
 */
final class Endpoints {

    /** Under the API's name, as before the split: log settings that name it keep working. */
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    static final String REQUEST_ID = "kring.requestId";
    /** What a staff member who must still enrol a second factor may call. */
    static final Set<String> ENROLMENT_PATHS = Set.of("/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/totp", "/api/v1/me/totp/confirm");
    /** What a staff member whose password an admin reset may call before choosing a new one. */
    static final Set<String> PASSWORD_CHANGE_PATHS = Set.of("/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/password");

    /**
     * A route's work, given the signed-in user, their token and the JSON body (an empty object when
     * there is none). Its result is a JSON object, or a text (CSV) for an export.
     */
    @FunctionalInterface
    interface Handler {
        Future<?> handle(RoutingContext ctx, Principal p, String token, JsonObject body);
    }

    private final Router router;
    private final AuthService auth;
    private final Consumer<String> described;

    Endpoints(Router router, AuthService auth, Consumer<String> described) {
        this.router = router;
        this.auth = auth;
        this.described = described;
    }

    /** A route without sign-in that takes a JSON object. */
    void open(HttpMethod method, String path, int status, BiFunction<RoutingContext, JsonObject, Future<JsonObject>> handler) {
        describe(method, path);
        router.route(method, path).handler(ctx -> {
            try {
                handler.apply(ctx, body(ctx, true)).onComplete(ar -> respond(ctx, ar.result(), ar.cause(), status));
            } catch (KringException e) {
                fail(ctx, e);
            }
        });
    }

    /** A GET without sign-in and without a body, answering 200. */
    void openGet(String path, Function<RoutingContext, Future<?>> handler) {
        describe(HttpMethod.GET, path);
        router.get(path).handler(ctx -> handler.apply(ctx).onComplete(ar -> respond(ctx, ar.result(), ar.cause(), 200)));
    }

    /** A route that needs a bearer token; a body, when sent, must be a JSON object. */
    void authed(HttpMethod method, String path, int status, Handler handler) {
        describe(method, path);
        router.route(method, path).handler(ctx -> signedIn(ctx, path, (p, token) -> handler.handle(ctx, p, token, body(ctx, false))
                .onComplete(r -> respond(ctx, r.succeeded() ? r.result() : null, r.cause(), status))));
    }

    /** A route's work on a raw body (an upload), given the signed-in user, the body's bytes and its declared Content-Type. */
    @FunctionalInterface
    interface UploadHandler {
        Future<?> handle(RoutingContext ctx, Principal p, Buffer bytes, String contentType);
    }

    /** A route that needs a bearer token and takes the body as bytes (its limit set by the caller's body handler). */
    void authedUpload(HttpMethod method, String path, int status, UploadHandler handler) {
        describe(method, path);
        router.route(method, path).handler(ctx -> signedIn(ctx, path, (p, token) -> handler.handle(ctx, p,
                        ctx.body() == null ? null : ctx.body().buffer(), ctx.request().getHeader("Content-Type"))
                .onComplete(r -> respond(ctx, r.succeeded() ? r.result() : null, r.cause(), status))));
    }

    /** A file (an image) of a public GET. */
    record Download(String contentType, Buffer bytes, String cacheControl) {
    }

    /** A GET without sign-in that answers a file; failures as the other routes. */
    void openDownload(String path, Function<RoutingContext, Future<Download>> handler) {
        describe(HttpMethod.GET, path);
        router.get(path).handler(ctx -> handler.apply(ctx).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, KringException.from(ar.cause()));
            } else {
                ctx.response().setStatusCode(200).putHeader("Content-Type", ar.result().contentType())
                        .putHeader("Cache-Control", ar.result().cacheControl()).end(ar.result().bytes());
            }
        }));
    }

    /** Authenticates the bearer token, applies the gates (forced password change, second factor), then runs {@code work}. */
    private void signedIn(RoutingContext ctx, String path, java.util.function.BiConsumer<Principal, String> work) {
        String token = bearer(ctx);
        auth.authenticate(token).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, KringException.from(ar.cause()));
                return;
            }
            Principal p = ar.result();
            try {
                if (p.passwordChangeRequired() && !PASSWORD_CHANGE_PATHS.contains(path)) {
                    throw new KringException(ErrorCode.PASSWORD_CHANGE_REQUIRED, "choose a new password first (POST /api/v1/me/password)");
                }
                if (p.totpRequired() && !p.passwordChangeRequired() && !ENROLMENT_PATHS.contains(path)) {
                    throw new KringException(ErrorCode.TOTP_REQUIRED, "enrol a second factor first (POST /api/v1/me/totp)");
                }
                work.accept(p, token);
            } catch (KringException e) {
                fail(ctx, e);
            }
        });
    }

    private void describe(HttpMethod method, String path) {
        described.accept(method.name() + " " + path.replaceAll(":([a-z]+)", "{$1}"));
    }

    /** A string field of a body, or {@code null} when absent or not a string. */
    static String str(JsonObject body, String field) {
        return body.getValue(field) instanceof String s ? s : null;
    }

    /** Sends a failure as {@code {"error":{...}}} with its code's status; an internal one is logged with the request id. */
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

    /** The request's JSON object; an empty object for an empty body unless {@code required}. */
    private static JsonObject body(RoutingContext ctx, boolean required) {
        return parseBody(ctx.body() == null ? null : ctx.body().buffer(), required);
    }

    /** A request body as a JSON object, or {@code bad_request}; pure (BodyFuzzTest). */
    static JsonObject parseBody(Buffer raw, boolean required) {
        if (raw == null || raw.length() == 0) {
            if (required) {
                throw KringException.badRequest("the body must be a JSON object");
            }
            return new JsonObject();
        }
        try {
            Object parsed = Json.decodeValue(raw);
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

    private static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
