package nl.kring.server.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import nl.kring.server.config.KringConfig;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.shared.Principal;
import nl.kring.server.metrics.KringMetrics.RefusalReason;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import nl.kring.websocket.WebSocketFootprint;
import nl.kring.websocket.BehindLoopFlushes;

/**
 * The public listener on one event loop: HTTP API, static client and the {@code /ws} endpoint.
 * One instance runs per event loop and they share the port. Wiring only: the handshake checks
 * capacity, origin and ticket (in that order) and hands the socket to a {@link Session}; one
 * periodic sweep per instance pings its sockets and closes silent or expired ones.
 */
public final class GatewayVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);
    /** Connections beyond maxConnections that still get an HTTP answer before hard refusal at accept. */
    static final int SOFT_SLACK = 64;

    private final KringConfig config;
    private final SessionRegistry sessions;
    private final Function<String, Future<Principal>> tickets;
    private final KringMetrics metrics;
    private final SessionParts parts;
    private final Router router;
    private final Set<Session> local = new HashSet<>();
    private HttpServer server;
    private long sweepTimer = -1;

    /**
     * @param tickets redeems a single-use ticket (AuthService.redeemTicket): the principal, or unauthorized
     * @param parts   the handlers every session of this node shares
     */
    public GatewayVerticle(KringConfig config, SessionRegistry sessions, Function<String, Future<Principal>> tickets,
                           KringMetrics metrics, SessionParts parts, Router router) {
        this.config = config;
        this.sessions = sessions;
        this.tickets = tickets;
        this.metrics = metrics;
        this.parts = parts;
        this.router = router;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(listenPort(config.port()))
                // Hard cap for the codec; the protocol limit is enforced by FrameAssembler so that
                // an oversized frame is read whole and answered with a clean 1009.
                .setMaxWebSocketFrameSize(hardCap(config.maxFrameBytes()))
                .setMaxWebSocketMessageSize(hardCap(config.maxFrameBytes()))
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false)
                .setCompressionSupported(false)
                // No cleartext HTTP/2 upgrade: browsers never use it, and it is one more protocol to get wrong.
                .setHttp2ClearTextEnabled(false)
                .setTcpNoDelay(true)
                .setAcceptBacklog(4096)
                .setWebSocketClosingTimeout(5)
                .setIdleTimeout(0)
                // Every request and response is handled on its connection's event loop (the gateway and the API are
                // verticles on event loops; blocking work such as password hashing hands its result back there).
                // Vert.x then writes the HTTP connection directly instead of through an outbound queue: the
                // upgraded connection of every WebSocket, which the WebSocket keeps, no longer carries a 1,024-slot
                // queue (about 4.7 KiB a session; see docs/benchmarks.md, memory).
                .setStrictThreadMode(true);
        server = vertx.createHttpServer(options)
                .connectionHandler(this::connected)
                .webSocketHandshakeHandler(this::handshake)
                .webSocketHandler(ws -> { })
                .requestHandler(router);
        return server.listen().onSuccess(s -> sweepTimer = vertx.setPeriodic(
                config.heartbeatSeconds() * 1000L, id -> sweep()));
    }

    /**
     * The port every instance listens on. Port 0 (a free port) becomes -1: Vert.x then binds one
     * kernel-chosen port for the first instance and shares it with the others, as it does for a
     * fixed port. Picking a free port beforehand and binding it later lost a race in CI: another
     * socket (a database connection, a client) took the port in between (EADDRINUSE).
     */
    public static int listenPort(int configured) {
        return configured == 0 ? -1 : configured;
    }

    static int hardCap(int limit) {
        return Math.max(16 * limit, 262_144);
    }

    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        return server.close();
    }

    /**
     * Counts TCP connections. Beyond the limit plus a little slack a connection is closed at
     * once, so that the process never reaches its open-file limit (where accept() would fail
     * and handshakes would stall); up to the slack, an upgrade still gets a clear 503.
     */
    private void connected(HttpConnection connection) {
        AtomicInteger count = sessions.connections();
        int now = count.incrementAndGet();
        if (connection instanceof ConnectionBase base) {
            // The socket's own close, not the HTTP connection's close handler: an upgrade to a
            // WebSocket replaces Vert.x's HTTP connection in the pipeline, and its close handler
            // never runs. Counting by it leaked one place per WebSocket ever opened, and after
            // maxConnections + slack of them (not at once: in the process's life) every new
            // connection was closed at accept (found by the storm-19k benchmark).
            base.channel().closeFuture().addListener(f -> count.decrementAndGet());
        } else {
            connection.closeHandler(v -> count.decrementAndGet());
        }
        if (now > config.maxConnections() + SOFT_SLACK) {
            metrics.upgradeRefused(RefusalReason.CAPACITY);
            connection.close();
            return;
        }
        BehindLoopFlushes.install(connection);
        IdleHttpConnections.watch(connection, config.httpIdle(), config.requestTimeout());
    }

    private void handshake(ServerWebSocketHandshake hs) {
        if (!"/ws".equals(hs.path())) {
            refuse(hs, 404, RefusalReason.PATH);
            return;
        }
        if (sessions.isDraining()) {
            refuse(hs, 503, RefusalReason.DRAINING);
            return;
        }
        if (!originAllowed(hs)) {
            refuse(hs, 403, RefusalReason.ORIGIN);
            return;
        }
        if (!sessions.tryReserve(config.maxConnections())) {
            refuse(hs, 503, RefusalReason.CAPACITY);
            return;
        }
        String ticket = ticketOf(hs.query());
        tickets.apply(ticket).onComplete(ar -> {
            if (ar.failed()) {
                sessions.release();
                KringException e = KringException.from(ar.cause());
                refuse(hs, e.code() == ErrorCode.UNAUTHORIZED ? 401 : 503, RefusalReason.TICKET);
                return;
            }
            Principal principal = ar.result();
            hs.accept().onSuccess(ws -> open(ws, principal)).onFailure(t -> {
                sessions.release();
                log.debug("upgrade failed [error: {}]", t.getClass().getSimpleName());
            });
        });
    }

    private void refuse(ServerWebSocketHandshake hs, int status, RefusalReason reason) {
        metrics.upgradeRefused(reason);
        hs.reject(status);
    }

    private void open(ServerWebSocket ws, Principal principal) {
        if (goneDuringHandshake(ws)) {
            sessions.release();
            return;
        }
        IdleHttpConnections.upgraded(ws);
        WebSocketFootprint.trim(ws);
        WebSocketConnection connection = new WebSocketConnection(ws, ((ContextInternal) context).nettyEventLoop(),
                metrics, config.outboundQueueBytes());
        Session session = new Session(parts, principal, connection, context);
        local.add(session);
        sessions.register(session);
        metrics.sessionOpened();
        withCorrelation(session, () -> log.debug("session opened [role: {}]", principal.role().wireName()));
        FrameAssembler assembler = new FrameAssembler(config.maxFrameBytes());
        ws.frameHandler(frame -> {
            if (frame.isPing() || frame.isClose()) {
                return;
            }
            if (frame.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
                session.touch();
                return;
            }
            FrameAssembler.Result result = assembler.accept(!frame.isContinuation(), frame.isText(), frame.isFinal(),
                    frame.binaryData().getBytes());
            if (result instanceof FrameAssembler.Text t) {
                session.handleText(t.text());
            } else if (result instanceof FrameAssembler.Binary) {
                session.handleBinary();
            } else if (result instanceof FrameAssembler.TooBig) {
                session.close(CloseCode.TOO_BIG);
            } else if (result instanceof FrameAssembler.InvalidUtf8) {
                session.close(CloseCode.INVALID_PAYLOAD);
            } else {
                session.touch();
            }
        });
        ws.exceptionHandler(t -> withCorrelation(session, () -> log.debug("socket error [error: {}]", t.getClass().getSimpleName())));
        ws.closeHandler(v -> {
            withCorrelation(session, () -> log.debug("session closed [code: {}]", ws.closeStatusCode()));
            connection.closedByPeer();
            session.cleanUp();
            if (local.remove(session)) {
                sessions.unregister(session);
            }
        });
        session.welcome();
    }

    /**
     * Whether the client went away while its ticket was redeemed (a token not in the cache is read
     * from PostgreSQL, a ticket of another node is asked for over the cluster). Going by Vert.x's
     * source, the upgrade then installs the WebSocket's handler after the channel's close was
     * handled, so no close reaches it and its close handler never runs: its place and registration
     * would never be given back (not reproduced in a test: the window cannot be hit on purpose).
     * Checked on the socket's own loop, where the channel's close is handled, so it cannot close
     * between this check and the handlers being set.
     */
    private static boolean goneDuringHandshake(ServerWebSocket ws) {
        if (ws.isClosed()) {
            return true;
        }
        return ws instanceof io.vertx.core.http.impl.WebSocketImplBase<?> impl
                && !impl.channelHandlerContext().channel().isActive();
    }

    /** Runs debug logging with the connection's correlation id; nothing at all when debug is off (every connect passes here). */
    private static void withCorrelation(Session session, Runnable logging) {
        if (!log.isDebugEnabled()) {
            return;
        }
        org.slf4j.MDC.put("conn", session.correlation());
        try {
            logging.run();
        } finally {
            org.slf4j.MDC.remove("conn");
        }
    }

    /** One sweep for all sockets of this loop: close the silent and the expired, ping the rest. */
    private void sweep() {
        long now = System.nanoTime();
        long silentLimit = 2L * config.heartbeatSeconds() * 1_000_000_000L;
        java.time.Instant wallNow = java.time.Instant.now();
        for (Session s : new ArrayList<>(local)) {
            if (s.principal().expiresAt().isBefore(wallNow)) {
                s.close(CloseCode.SESSION_ENDED);
            } else if (now - s.lastSeenNanos() > silentLimit) {
                s.close(CloseCode.HEARTBEAT_TIMEOUT);
            } else {
                s.ping();
            }
        }
    }

    private boolean originAllowed(ServerWebSocketHandshake hs) {
        String origin = hs.headers().get("Origin");
        if (origin == null) {
            return true;
        }
        String normalised = origin.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        String host = hs.headers().get("Host");
        if (host != null) {
            String own = host.trim().toLowerCase(Locale.ROOT);
            if (normalised.equals("http://" + own) || normalised.equals("https://" + own)) {
                return true;
            }
        }
        for (String allowed : config.allowedOrigins()) {
            if (allowed.equalsIgnoreCase(normalised)) {
                return true;
            }
        }
        return false;
    }

    static String ticketOf(String query) {
        if (query == null) {
            return null;
        }
        java.util.List<String> values = new io.netty.handler.codec.http.QueryStringDecoder(query, false).parameters().get("ticket");
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
