package nl.kring.server.gateway;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.OutFrame;

/**
 * A {@link ClientConnection} over a Vert.x server WebSocket. The socket's write queue is bounded
 * ({@code KRING_OUTBOUND_QUEUE_BYTES}); a client that lets it fill is closed with 4008 on
 * purpose instead of being buffered without bound.
 *
 * <p>Confined to the socket's event loop: sessions hand their work to their own context. The socket
 * writes directly to its channel ({@link nl.kring.websocket.WebSocketFootprint}, no Vert.x hand-over queue), so a write that
 * comes from another thread all the same is handed to the loop here, and fails an assertion in the
 * tests so that such a caller is found.
 */
final class WebSocketConnection implements ClientConnection {

    private final ServerWebSocket socket;
    private final KringMetrics metrics;
    private final EventExecutor loop;
    private boolean open = true;

    WebSocketConnection(ServerWebSocket socket, EventExecutor loop, KringMetrics metrics, int queueBytes) {
        this.socket = socket;
        this.loop = loop;
        this.metrics = metrics;
        socket.setWriteQueueMaxSize(queueBytes);
    }

    @Override
    public void send(String json) {
        if (!loop.inEventLoop()) {
            toLoop(() -> send(json));
            return;
        }
        if (mayWrite()) {
            socket.writeFrame(WebSocketFrame.textFrame(json, true));
        }
    }

    /**
     * Wraps the frame's shared UTF-8 bytes (no copy, no encoding per socket). Vert.x has no public
     * factory for a text frame from bytes; its own {@code writeTextMessage} uses this constructor.
     * The wrapper's release after the write frees nothing (an unpooled heap buffer), so the array
     * stays intact for the other sockets.
     */
    @Override
    public void send(OutFrame frame) {
        if (!loop.inEventLoop()) {
            toLoop(() -> send(frame));
            return;
        }
        if (mayWrite()) {
            socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, frame.utf8(), true));
        }
    }

    /** Hands a call from another thread to the socket's loop (checked inline first: no lambda on the hot path). */
    private void toLoop(Runnable call) {
        assert false : "a WebSocket written from outside its event loop";
        loop.execute(call);
    }

    /** Whether a frame may be written now; a client whose write queue is full is closed with 4008 here. */
    private boolean mayWrite() {
        if (!open) {
            return false;
        }
        if (socket.isClosed()) {
            // The peer has gone and the close handler has not run yet (a storm of reconnects): nothing to write to.
            open = false;
            return false;
        }
        if (socket.writeQueueFull()) {
            close(CloseCode.TOO_SLOW);
            return false;
        }
        return true;
    }

    @Override
    public void close(CloseCode code) {
        if (!loop.inEventLoop()) {
            toLoop(() -> close(code));
            return;
        }
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
        if (!loop.inEventLoop()) {
            toLoop(this::ping);
            return;
        }
        if (open) {
            socket.writePing(io.vertx.core.buffer.Buffer.buffer());
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
