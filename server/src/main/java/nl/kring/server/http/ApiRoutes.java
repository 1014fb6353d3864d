package nl.kring.server.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.accounts.SecondFactor;
import nl.kring.server.admin.CommunityAdmin;
import nl.kring.server.admin.CommunityLogos;
import nl.kring.server.admin.InviteAdmin;
import nl.kring.server.admin.SafetyAdmin;
import nl.kring.server.admin.StaffAdmin;
import nl.kring.server.config.AddressRange;
import nl.kring.server.figures.Figures;
import nl.kring.server.members.MemberService;
import nl.kring.server.moderation.ModerationApi;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomDirectory;
import nl.kring.server.spreekuur.SpreekuurApi;
import nl.kring.server.vraagbaak.VraagBaak;
import org.slf4j.MDC;

/**
 * The HTTP API under {@code /api/v1} (described in {@code docs/openapi.yaml}) and the browser
 * client at {@code /}, assembled: the headers every answer carries, the request id, the body
 * limit, each area's routes (the {@code *Routes} classes of this package, declared through
 * {@link Endpoints}), the answer for an unknown endpoint and for a failure, and the static files.
 * Thread-safe: each gateway instance builds its own router.
 */
public final class ApiRoutes {

    static final long MAX_BODY_BYTES = 64 * 1024;
    /** No inline script or style, nothing from other origins (WebSocket to the same host included by 'self'). */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final AuthService auth;
    private final AccountRoutes accounts;
    private final MemberRoutes members;
    private final CommunityRoutes communities;
    private final InviteStaffRoutes invitesAndStaff;
    private final SafetyRoutes safety;
    private final FiguresRoutes figures;
    private final ModerationRoutes moderation;
    private final SpreekuurRoutes spreekuren;
    private final BackOfficeRoutes backOffice;
    private final VraagBaakRoutes vraagbaak;
    private final List<String> described = new CopyOnWriteArrayList<>();

    public ApiRoutes(AuthService auth, SecondFactor secondFactor, CommunityAdmin communities, InviteAdmin invites,
                     StaffAdmin staff, MemberService members, SafetyAdmin safety, ModerationApi moderation, Figures figures,
                     SpreekuurApi spreekuren, RoomDirectory rooms, List<AddressRange> trustedProxies, BackOfficeRoutes backOffice,
                     VraagBaak vraagbaak) {
        this.auth = auth;
        this.accounts = new AccountRoutes(auth, secondFactor, new ClientSource(trustedProxies));
        this.members = new MemberRoutes(auth, members);
        this.communities = new CommunityRoutes(communities, rooms);
        this.invitesAndStaff = new InviteStaffRoutes(invites, staff);
        this.safety = new SafetyRoutes(safety);
        this.figures = new FiguresRoutes(figures);
        this.moderation = new ModerationRoutes(moderation);
        this.spreekuren = new SpreekuurRoutes(spreekuren);
        this.backOffice = backOffice;
        this.vraagbaak = new VraagBaakRoutes(vraagbaak);
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
            String requestId = "rq-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            ctx.put(Endpoints.REQUEST_ID, requestId);
            ctx.response().putHeader("Cache-Control", "no-store").putHeader("X-Request-Id", requestId);
            MDC.put("req", requestId);
            try {
                ctx.next();
            } finally {
                MDC.remove("req");
            }
        });
        // a logo may be larger than a JSON body; the first body handler that runs is the one that counts
        router.put(BackOfficeRoutes.LOGO).handler(BodyHandler.create(false).setBodyLimit(CommunityLogos.MAX_BYTES));
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));

        Endpoints api = new Endpoints(router, auth, described::add);
        accounts.mount(api);
        members.mount(api);
        communities.mount(api);
        invitesAndStaff.mount(api);
        safety.mount(api);
        figures.mount(api);
        moderation.mount(api);
        spreekuren.mount(api);
        backOffice.mount(api);
        vraagbaak.mount(api);

        router.route("/api/*").handler(ctx -> Endpoints.fail(ctx, new KringException(ErrorCode.NOT_FOUND, "no such endpoint")));
        router.route("/api/*").failureHandler(ctx -> Endpoints.fail(ctx, ctx.statusCode() == 413
                ? new KringException(ErrorCode.PAYLOAD_TOO_LARGE, "request body too large")
                : KringException.from(ctx.failure())));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
        return router;
    }

    /** Every API route as "METHOD /path/{param}" (after {@link #router}), for the OpenAPI test. */
    public List<String> routes() {
        return List.copyOf(new LinkedHashSet<>(described));
    }
}
