package nl.kring.server.gateway;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a public connection that stays idle (no byte read or written) for {@code KRING_HTTP_IDLE_SECONDS}
 * until it becomes a WebSocket: a keep-alive connection between requests, or one that never sent
 * anything. Every TCP connection holds one of {@code KRING_MAX_CONNECTIONS}' places from accept on,
 * and the server has no other idle timeout (WebSockets have heartbeats instead), so idle
 * connections kept places without end: a load generator's pool of ticket connections held the
 * last sessions of a ramp to the limit out for a minute, and anyone could fill the places with
 * connections that say nothing.
 *
 * <p>Netty's {@link IdleStateHandler} fires the idle event, which Vert.x's connection handler
 * answers by closing the connection. The upgrade to a WebSocket removes it: sockets are then
 * watched by the heartbeat sweep, and carry no timer of their own.
 */
final class IdleHttpConnections {

    private static final String NAME = "kring-idle";

    private IdleHttpConnections() {
    }

    /** Starts watching a newly accepted connection: idle time, and the time its requests take to arrive ({@link RequestDeadline}). */
    static void watch(HttpConnection connection, Duration idle, Duration requestTimeout) {
        if (connection instanceof ConnectionBase base) {
            base.channel().pipeline().addFirst(NAME, new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
            RequestDeadline.watch(base.channel().pipeline(), requestTimeout);
        }
    }

    /** Stops watching a connection that became a WebSocket; on the socket's event loop. */
    static void upgraded(ServerWebSocket ws) {
        if (ws instanceof WebSocketImplBase<?> impl) {
            ChannelPipeline pipeline = impl.channelHandlerContext().pipeline();
            if (pipeline.get(NAME) != null) {
                pipeline.remove(NAME);
            }
            RequestDeadline.upgraded(pipeline);
        }
    }
}
