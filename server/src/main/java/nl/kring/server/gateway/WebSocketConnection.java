package nl.kring.server.gateway;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.CloseCode;

/**
 * A {@link ClientConnection} over a Vert.x server WebSocket. The socket's write queue is bounded
 * ({@code KRING_OUTBOUND_QUEUE_BYTES}); a client that lets it fill is closed with 4008 on
 * purpose instead of being buffered without bound. Confined to the socket's event loop.
 */
final class WebSocketConnection implements ClientConnection {

    private final ServerWebSocket socket;
    private final KringMetrics metrics;
    private boolean open = true;

    WebSocketConnection(ServerWebSocket socket, KringMetrics metrics, int queueBytes) {
        this.socket = socket;
        this.metrics = metrics;
        socket.setWriteQueueMaxSize(queueBytes);
    }

    @Override
    public void send(String json) {
        if (!open) {
            return;
        }
        if (socket.isClosed()) {
            // The peer has gone and the close handler has not run yet (a storm of reconnects): nothing to write to.
            open = false;
            return;
        }
        if (socket.writeQueueFull()) {
            close(CloseCode.TOO_SLOW);
            return;
        }
        socket.writeFrame(WebSocketFrame.textFrame(json, true));
    }

    @Override
    public void close(CloseCode code) {
        if (!open) {
            return;
        }
        open = false;
        metrics.sessionClosed(code);
        socket.close(code.code(), code.reason());
    }

    /** The client closed or the connection dropped. */
    void closedByPeer() {
        open = false;
    }

    @Override
    public void ping() {
        if (open) {
            socket.writePing(io.vertx.core.buffer.Buffer.buffer());
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
