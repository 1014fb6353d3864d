package nl.kring.server.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import nl.kring.server.accounts.AccountRepository;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.accounts.SecondFactor;
import nl.kring.server.accounts.TicketStore;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

import static nl.kring.server.http.Endpoints.str;

/** Signing in (limited per source: {@link ClientSource}) and out, WebSocket tickets, a user's sessions (devices), their password and their second factor (TOTP). */
record AccountRoutes(AuthService auth, SecondFactor secondFactor, ClientSource sources) {

    void mount(Endpoints api) {
        api.open(HttpMethod.POST, "/api/v1/auth/anonymous", 201, (ctx, body) -> auth.joinAnonymous(
                str(body, "community"), str(body, "inviteCode"), str(body, "pseudonym"), str(body, "ageBand"), str(body, "region"),
                        sources.of(ctx))
                .map(AccountRoutes::signedIn));
        api.open(HttpMethod.POST, "/api/v1/auth/login", 200, (ctx, body) -> auth.login(
                str(body, "email"), str(body, "password"), str(body, "totp"), str(body, "recoveryCode"), sources.of(ctx))
                .map(AccountRoutes::signedIn));
        api.authed(HttpMethod.POST, "/api/v1/auth/logout", 204, (ctx, p, token, body) -> auth.logout(p, token).map(v -> null));
        api.authed(HttpMethod.POST, "/api/v1/ws-ticket", 200, (ctx, p, token, body) -> Future.succeededFuture(new JsonObject()
                .put("ticket", auth.issueTicket(token, p)).put("expiresInSeconds", TicketStore.TTL.toSeconds())));
        api.authed(HttpMethod.GET, "/api/v1/me/sessions", 200, (ctx, p, token, body) -> auth.sessions(p).map(list -> sessions(p, list)));
        api.authed(HttpMethod.POST, "/api/v1/me/sessions", 201, (ctx, p, token, body) -> auth.newDeviceSession(p)
                .map(s -> signedIn(s).put("session", Long.toString(s.principal().sessionId()))));
        api.authed(HttpMethod.DELETE, "/api/v1/me/sessions/:id", 204, (ctx, p, token, body) -> auth.endSession(p.userId(),
                        sessionId(ctx.pathParam("id")), "revoked")
                .compose(found -> found ? Future.succeededFuture(null)
                        : Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such session"))));
        api.authed(HttpMethod.POST, "/api/v1/me/password", 204, (ctx, p, token, body) -> auth.changePassword(p,
                str(body, "currentPassword"), str(body, "newPassword")).map(v -> null));
        api.authed(HttpMethod.POST, "/api/v1/me/totp", 201, (ctx, p, token, body) -> secondFactor.enrol(p));
        api.authed(HttpMethod.POST, "/api/v1/me/totp/confirm", 200, (ctx, p, token, body) -> secondFactor.confirm(p, body));
        api.authed(HttpMethod.POST, "/api/v1/me/totp/remove", 200, (ctx, p, token, body) -> secondFactor.remove(p, body));
        api.authed(HttpMethod.POST, "/api/v1/me/totp/recovery-codes", 200, (ctx, p, token, body) -> secondFactor.recoveryCodes(p));
    }

    /** The answer to a sign-in: the bearer token and the user. */
    private static JsonObject signedIn(AuthService.SignedIn s) {
        return new JsonObject().put("token", s.token()).put("user", s.principal().toJson());
    }

    private static JsonObject sessions(Principal p, List<AccountRepository.SessionInfo> list) {
        JsonArray out = new JsonArray();
        for (AccountRepository.SessionInfo s : list) {
            out.add(new JsonObject().put("id", Long.toString(s.id())).put("createdAt", s.createdAt().toString())
                    .put("expiresAt", s.expiresAt().toString()).put("current", s.id() == p.sessionId()));
        }
        return new JsonObject().put("sessions", out);
    }

    /** A session id from the path; one that is not a number is a session that does not exist. */
    private static long sessionId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new KringException(ErrorCode.NOT_FOUND, "no such session");
        }
    }
}
