package nl.kring.server.gateway;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a public connection whose HTTP request has not arrived whole {@code KRING_REQUEST_TIMEOUT_MS}
 * after its first byte (slowloris, issue 26). The idle timeout ({@link IdleHttpConnections}) counts time
 * without a byte, so a client that sends its headers a byte at a time reset it with every byte and held
 * its place of {@code KRING_MAX_CONNECTIONS} for as long as it liked.
 *
 * <p>Two handlers share one deadline: the first, ahead of Vert.x's HTTP decoder, arms it at the first raw
 * byte of a request; the second, behind the decoder, disarms it when the request's last part is decoded
 * (for an upgrade, a GET without a body: as soon as its headers end), so a body counts in the same
 * time (Kring's requests are small JSON; behind nginx they arrive whole and at once). The upgrade to a WebSocket removes both ({@link #upgraded}); a deadline that
 * fires on a connection that has become a WebSocket meanwhile does nothing.
 */
final class RequestDeadline {

    private static final String START = "kring-request-start";
    private static final String END = "kring-request-end";
    private static final String DECODER = "httpDecoder";

    private final long timeoutMillis;
    private ScheduledFuture<?> timer;

    private RequestDeadline(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
    }

    /** Starts watching a newly accepted HTTP/1 connection's pipeline (nothing when it has no HTTP decoder). */
    static void watch(ChannelPipeline pipeline, Duration timeout) {
        if (pipeline.get(DECODER) == null) {
            return;
        }
        RequestDeadline deadline = new RequestDeadline(timeout);
        pipeline.addFirst(START, deadline.new Start());
        pipeline.addAfter(DECODER, END, deadline.new End());
    }

    /** Stops watching a connection that became a WebSocket; on its event loop. */
    static void upgraded(ChannelPipeline pipeline) {
        if (pipeline.get(START) instanceof Start start) {
            start.deadline().disarm();
            pipeline.remove(START);
        }
        if (pipeline.get(END) != null) {
            pipeline.remove(END);
        }
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                if (ctx.pipeline().get(DECODER) != null) {
                    ctx.channel().close();
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Ahead of the decoder: the first raw byte of a request arms the deadline. */
    private final class Start extends ChannelDuplexHandler {
        RequestDeadline deadline() {
            return RequestDeadline.this;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            arm(ctx);
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            disarm();
            super.channelInactive(ctx);
        }
    }

    /** Behind the decoder: a request's last part disarms it. */
    private final class End extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof LastHttpContent) {
                disarm();
            }
            super.channelRead(ctx, msg);
        }
    }
}
