package nl.kring.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's strict thread mode for the WebSocket connection itself.
 *
 * <p>Vert.x gives every connection an outbound queue through which writes from other threads are
 * handed to its event loop: a JCTools MPSC queue whose first chunk has 1,024 slots, about 4.7 KiB
 * per WebSocket, held for the socket's whole life although Kring writes only from the socket's own
 * loop. {@code HttpServerOptions.setStrictThreadMode} replaces it with a direct write for HTTP
 * connections, and {@link VertxConnection} has that direct mode built in, but Vert.x 5.0.10 (and
 * 5.0.12, 5.1.0) constructs the {@code WebSocketConnectionImpl} without passing the option on. This
 * class switches a freshly accepted WebSocket's connection to that same built-in direct mode, on the
 * socket's loop, before anything was written to it.
 *
 * <p>What changes besides the memory: a write goes straight into Netty's outbound buffer, and
 * {@code writeQueueFull()} is Netty's writability (the socket's buffered bytes against
 * {@code KRING_OUTBOUND_QUEUE_BYTES}) instead of the queue's message count. A write from another
 * thread would bypass the hand-over, so {@link WebSocketConnection} hands such a write to the loop
 * itself (and asserts that none happens).
 *
 * <p>Internal API, reached by reflection: if a Vert.x upgrade renames what this touches, the
 * switch is logged once at start and skipped, and sockets keep Vert.x's queue (correct, only
 * larger). {@code DirectWritesTest} fails on such an upgrade so that it is seen.
 */
final class DirectWrites {

    private static final Logger log = LoggerFactory.getLogger(DirectWrites.class);
    private static final String QUEUED_CLASS = VertxConnection.class.getName() + "$InternalMessageChannel";
    private static final String DIRECT_CLASS = VertxConnection.class.getName() + "$DirectOutboundMessageQueue";

    private static final Field QUEUE;
    private static final Constructor<?> DIRECT;

    static {
        Field queue = null;
        Constructor<?> direct = null;
        try {
            queue = VertxConnection.class.getDeclaredField("outboundMessageQueue");
            queue.setAccessible(true);
            direct = Class.forName(DIRECT_CLASS).getDeclaredConstructor(VertxConnection.class);
            direct.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("WebSockets keep Vert.x's outbound queue (direct writes unavailable in this Vert.x) [error: {}]",
                    e.getClass().getSimpleName());
            queue = null;
            direct = null;
        }
        QUEUE = queue;
        DIRECT = direct;
    }

    private DirectWrites() {
    }

    /** Whether this Vert.x has what the switch needs. */
    static boolean available() {
        return QUEUE != null;
    }

    /**
     * Switches the socket's connection to direct writes. Call on the socket's event loop before
     * the first write. Returns whether it was switched; otherwise the socket keeps Vert.x's queue.
     */
    static boolean enable(ServerWebSocket ws) {
        if (QUEUE == null || !(ws instanceof WebSocketImplBase<?> impl)) {
            return false;
        }
        ChannelHandlerContext chctx = impl.channelHandlerContext();
        if (!chctx.executor().inEventLoop()) {
            return false;
        }
        VertxHandler<?> handler = chctx.pipeline().get(VertxHandler.class);
        if (handler == null) {
            return false;
        }
        VertxConnection connection = handler.getConnection();
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
}
