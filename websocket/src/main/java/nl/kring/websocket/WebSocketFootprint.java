package nl.kring.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of what Vert.x 5.0.10 keeps for every WebSocket's whole life but Kring never uses:
 * at 19,000 held sessions these were about 6 KiB of the 12 KiB of heap per session (docs/benchmarks.md,
 * memory). Both steps reach Vert.x internals by reflection, are done on the socket's event loop
 * right after the upgrade, before anything is written, and are skipped (logged once at start) if an
 * upgrade of Vert.x renames what they touch; the socket then works as before, only larger.
 * {@code WebSocketFootprintTest} fails on such an upgrade so that it is seen. The gateway trims
 * every server WebSocket; the load generator trims its client WebSockets the same way (there the
 * two steps free both of Vert.x's queues and the HTTP client connection: about 10 KiB a session).
 *
 * <ol>
 * <li><b>Direct writes</b> ({@link #directWrites}). Vert.x gives every connection an outbound queue
 * through which writes from other threads are handed to its event loop: a JCTools MPSC queue whose
 * first chunk has 1,024 slots, about 4.7 KiB, although Kring writes a socket only from its own loop.
 * {@code HttpServerOptions.setStrictThreadMode} replaces it with a direct write for HTTP connections,
 * and {@link VertxConnection} has that mode built in, but Vert.x (5.0.10, and 5.0.12 and 5.1.0 too)
 * builds the WebSocket's connection without passing the option on; this switches it to the same
 * built-in mode. A write then goes straight into Netty's outbound buffer, and
 * {@code writeQueueFull()} is Netty's writability: the socket's buffered bytes against
 * {@code KRING_OUTBOUND_QUEUE_BYTES}. A write from another thread would bypass the hand-over, so
 * {@link WebSocketConnection} hands such a write to the loop itself (and asserts that none comes).</li>
 * <li><b>The upgrade let go</b> ({@link #releaseUpgrade}). The WebSocket's pipeline handler keeps
 * the function that built its connection, a lambda holding the upgrade's handshaker, and through it
 * the HTTP request, its response, their headers and the whole HTTP/1.1 connection with its own
 * handler: about 1.5 KiB per socket, read once when the handler was added and never again. This
 * drops that reference. What the WebSocket reads later (headers, uri, path, query, authority) it
 * copied when it was made.</li>
 * <li><b>The request forgotten</b> ({@link #forgetRequest}). Those copies: the upgrade request's
 * headers (a header map with its entries, names and values) and its URI and query, which carry
 * the spent ticket; about 0.6 KiB per socket. Kring reads them in the handshake, before the
 * upgrade, and never again; a server WebSocket then answers {@code headers()} with an empty
 * read-only map, {@code uri()} with its path and {@code query()} with null.</li>
 * </ol>
 */
public final class WebSocketFootprint {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFootprint.class);
    private static final String QUEUED_CLASS = VertxConnection.class.getName() + "$InternalMessageChannel";
    private static final String DIRECT_CLASS = VertxConnection.class.getName() + "$DirectOutboundMessageQueue";

    private static final Field QUEUE;
    private static final Constructor<?> DIRECT;
    private static final Field FACTORY;
    private static final Field HEADERS;
    private static final Field URI;
    private static final Field QUERY;
    /** What a trimmed server WebSocket answers {@code headers()} with. */
    private static final io.vertx.core.MultiMap NO_HEADERS = io.vertx.core.http.impl.headers.HeadersMultiMap.httpHeaders().copy(false);

    static {
        Field queue = null;
        Constructor<?> direct = null;
        try {
            queue = accessible(VertxConnection.class, "outboundMessageQueue");
            direct = Class.forName(DIRECT_CLASS).getDeclaredConstructor(VertxConnection.class);
            direct.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable("WebSockets keep Vert.x's outbound queue (direct writes unavailable in this Vert.x)", e);
            queue = null;
            direct = null;
        }
        QUEUE = queue;
        DIRECT = direct;
        Field factory = null;
        try {
            factory = accessible(VertxHandler.class, "connectionFactory");
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable("WebSockets keep their HTTP upgrade (not releasable in this Vert.x)", e);
        }
        FACTORY = factory;
        Field[] request = {null, null, null};
        try {
            request = new Field[] {accessible(WebSocketImplBase.class, "headers"),
                    accessible(io.vertx.core.http.impl.ServerWebSocketImpl.class, "uri"),
                    accessible(io.vertx.core.http.impl.ServerWebSocketImpl.class, "query")};
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable("WebSockets keep their upgrade request's headers (not releasable in this Vert.x)", e);
        }
        HEADERS = request[0];
        URI = request[1];
        QUERY = request[2];
    }

    private static Field accessible(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static void unavailable(String what, Exception e) {
        log.warn("{} [error: {}]", what, e.getClass().getSimpleName());
    }

    private WebSocketFootprint() {
    }

    /** Whether this Vert.x has what the three steps need. */
    public static boolean available() {
        return QUEUE != null && FACTORY != null && HEADERS != null;
    }

    /**
     * The three steps; on the socket's event loop, before the first write and after the last read of
     * the request's headers, URI or query. Only for a socket written from its own event loop alone (a
     * write from another thread would bypass Vert.x's hand-over).
     */
    public static void trim(WebSocketBase ws) {
        VertxHandler<?> handler = handlerOnLoop(ws);
        if (handler != null) {
            directWrites(handler);
            releaseUpgrade(handler);
            forget(ws);
        }
    }

    /**
     * Replaces the upgrade request's headers with an empty read-only map and, on a server WebSocket,
     * its URI with its path and its query with null. Returns whether it did; only on the socket's loop.
     */
    public static boolean forgetRequest(WebSocketBase ws) {
        return handlerOnLoop(ws) != null && forget(ws);
    }

    private static boolean forget(WebSocketBase ws) {
        if (HEADERS == null) {
            return false;
        }
        try {
            // the socket's own lock guards the field (WebSocketImplBase.headers())
            synchronized (ws) {
                HEADERS.set(ws, NO_HEADERS);
            }
            if (ws instanceof io.vertx.core.http.impl.ServerWebSocketImpl server) {
                URI.set(server, server.path());
                QUERY.set(server, null);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Switches the socket's connection to direct writes. Returns whether it was switched; otherwise
     * the socket keeps Vert.x's queue (not on the socket's loop, already direct, or not available).
     */
    public static boolean directWrites(WebSocketBase ws) {
        VertxHandler<?> handler = handlerOnLoop(ws);
        return handler != null && directWrites(handler);
    }

    /**
     * Drops the WebSocket handler's reference to the function that built its connection (and with it
     * the HTTP upgrade). Returns whether it did; only once the connection is built, on the socket's loop.
     */
    public static boolean releaseUpgrade(WebSocketBase ws) {
        VertxHandler<?> handler = handlerOnLoop(ws);
        return handler != null && releaseUpgrade(handler);
    }

    private static boolean directWrites(VertxHandler<?> handler) {
        VertxConnection connection = handler.getConnection();
        if (QUEUE == null || connection == null) {
            return false;
        }
        try {
            Object current = QUEUE.get(connection);
            if (current == null || !QUEUED_CLASS.equals(current.getClass().getName())) {
                // Already direct, or a queue this class does not know: leave it.
                return false;
            }
            QUEUE.set(connection, DIRECT.newInstance(connection));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static boolean releaseUpgrade(VertxHandler<?> handler) {
        if (FACTORY == null || handler.getConnection() == null) {
            return false;
        }
        try {
            if (FACTORY.get(handler) == null) {
                return false;
            }
            FACTORY.set(handler, null);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The socket's Vert.x handler, when called on the socket's event loop. */
    private static VertxHandler<?> handlerOnLoop(WebSocketBase ws) {
        if (!(ws instanceof WebSocketImplBase<?> impl)) {
            return null;
        }
        ChannelHandlerContext chctx = impl.channelHandlerContext();
        if (!chctx.executor().inEventLoop()) {
            return null;
        }
        return chctx.pipeline().get(VertxHandler.class);
    }
}
