package nl.kring.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Netty's flush consolidation, used only while the event loop has other tasks queued.
 *
 * <p>Vert.x flushes every frame written outside a read, so a socket that gets several frames while
 * its event loop is behind (broadcasts queued behind each other, a batch of messages, a join's
 * reply followed by presence) paid one {@code send} system call per frame: 70 % of the server's
 * CPU in the 10,000-member room was in {@code send}. This handler flushes at once when the loop
 * has nothing else queued, and otherwise once after the tasks already queued (at once after 64
 * frames, on close and when the socket's buffer fills), so the further behind the loop, the more
 * frames share one system call. A frame is never held past the loop's current queue. The bare
 * relay of the load generator installs it too, so that the two are compared on the same writes.
 */
public final class BehindLoopFlushes extends FlushConsolidationHandler {

    private BehindLoopFlushes() {
        super(64, true);
    }

    /** Puts the handler at the head of the connection's pipeline (it stays there after a WebSocket upgrade). */
    public static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            base.channel().pipeline().addFirst("kring-flush", new BehindLoopFlushes());
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        if (ctx.executor() instanceof SingleThreadEventExecutor loop && loop.pendingTasks() == 0) {
            // Nothing queued behind this task: no later write to share the system call with.
            // A consolidated flush still scheduled finds nothing left to write.
            ctx.flush();
        } else {
            super.flush(ctx);
        }
    }
}
