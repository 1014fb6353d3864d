package nl.kring.server.gateway;

import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Handler;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import nl.kring.websocket.WebSocketFootprint;

/**
 * {@link WebSocketFootprint} on a real Vert.x WebSocket and a real client over a socket: both steps
 * work on this Vert.x (this test fails on an upgrade that renames what they reach), frames written
 * directly arrive whole and in order, a full write queue is the socket's buffered bytes, and the
 * HTTP upgrade is let go while the socket goes on working.
 */
class WebSocketFootprintTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(20, TimeUnit.SECONDS);
    }

    private int serve(Handler<ServerWebSocket> handler) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .webSocketHandler(handler);
        return server.listen().await(20, TimeUnit.SECONDS).actualPort();
    }

    @Test
    void thisVertxHasWhatBothStepsNeed() {
        assertThat(WebSocketFootprint.available()).as("Vert.x's outbound queue field, direct queue class or handler factory field is gone").isTrue();
    }

    @Test
    void aSwitchedSocketDeliversEveryFrameInOrderAndIsSwitchedOnlyOnce() throws Exception {
        CompletableFuture<boolean[]> switched = new CompletableFuture<>();
        int port = serve(ws -> {
            boolean first = WebSocketFootprint.directWrites(ws);
            boolean second = WebSocketFootprint.directWrites(ws);
            switched.complete(new boolean[] {first, second});
            for (int i = 0; i < 2_000; i++) {
                ws.writeTextMessage(new JsonObject().put("type", "n").put("n", i).encode());
            }
        });
        try (WsClient client = WsClient.connect(port, null)) {
            for (int i = 0; i < 2_000; i++) {
                assertThat(client.nextOfType("n").getInteger("n")).isEqualTo(i);
            }
        }
        boolean[] result = switched.join();
        assertThat(result[0]).as("switched on the socket's loop before any write").isTrue();
        assertThat(result[1]).as("a socket already direct is left as it is").isFalse();
    }

    @Test
    void nothingChangedFromAnotherThread() throws Exception {
        CompletableFuture<ServerWebSocket> accepted = new CompletableFuture<>();
        int port = serve(accepted::complete);
        try (WsClient client = WsClient.connect(port, "kept")) {
            ServerWebSocket ws = accepted.join();
            // Tried: both steps called from the test's thread instead of the socket's event loop.
            assertThat(WebSocketFootprint.directWrites(ws)).isFalse();
            assertThat(WebSocketFootprint.releaseUpgrade(ws)).isFalse();
            assertThat(WebSocketFootprint.forgetRequest(ws)).isFalse();
            assertThat(ws.query()).isEqualTo("ticket=kept");
        }
    }

    /**
     * The client does not read; the server writes 4 KiB frames until Vert.x says the queue is full.
     * With direct writes that is Netty's own writability, at the very frame that took the socket's
     * buffered bytes past the limit that {@code setWriteQueueMaxSize} set (what
     * KRING_OUTBOUND_QUEUE_BYTES means). Vert.x's hand-over queue would take more frames after the
     * channel stopped being writable, counting messages (checked: this fails without the switch).
     * Once the client reads, every frame arrives in order.
     */
    @Test
    void aFullWriteQueueIsTheSocketsBufferedBytesAndNothingWrittenIsLost() throws Exception {
        CompletableFuture<long[]> written = new CompletableFuture<>();
        int port = serve(ws -> {
            WebSocketFootprint.directWrites(ws);
            ws.setWriteQueueMaxSize(16_384);
            Channel channel = ((WebSocketImplBase<?>) ws).channelHandlerContext().channel();
            String body = "x".repeat(4_000);
            int n = 0;
            int unwritableAt = -1;
            while (!ws.writeQueueFull() && n < 100_000) {
                ws.writeTextMessage(new JsonObject().put("type", "n").put("n", n++).put("b", body).encode());
                if (unwritableAt < 0 && !channel.isWritable()) {
                    unwritableAt = n;
                }
            }
            written.complete(new long[] {n, unwritableAt, channel.unsafe().outboundBuffer().totalPendingWriteBytes()});
        });
        try (WsClient client = WsClient.connect(port, null, Map.of(), false)) {
            long[] w = written.join();
            assertThat(w[0]).as("frames written before full").isLessThan(100_000);
            assertThat(w[1]).as("frames written when the channel stopped being writable").isEqualTo(w[0]);
            assertThat(w[2]).as("bytes buffered for the socket").isBetween(16_384L, 16_384L + 4_100);
            client.startReading();
            for (int i = 0; i < w[0]; i++) {
                assertThat(client.nextOfType("n").getInteger("n")).isEqualTo(i);
            }
        }
    }

    /**
     * The upgrade's HTTP connection (with its request, response and headers) is garbage once the
     * WebSocket's handler lets go of its factory: a weak reference to it clears in a full collection,
     * while the socket still answers. Without {@code releaseUpgrade} it stays reachable for the
     * socket's life (checked: this test then fails at the deadline).
     */
    @Test
    void theUpgradesHttpConnectionIsLetGoAndTheSocketGoesOnWorking() throws Exception {
        CompletableFuture<java.lang.ref.WeakReference<Object>> httpConnection = new CompletableFuture<>();
        CompletableFuture<Boolean> released = new CompletableFuture<>();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .connectionHandler(c -> httpConnection.complete(new java.lang.ref.WeakReference<>(c)))
                .webSocketHandler(ws -> {
                    released.complete(WebSocketFootprint.releaseUpgrade(ws) & !WebSocketFootprint.releaseUpgrade(ws));
                    ws.textMessageHandler(text -> ws.writeTextMessage(new JsonObject().put("type", "echo").put("text", text).encode()));
                });
        int port = server.listen().await(20, TimeUnit.SECONDS).actualPort();
        try (WsClient client = WsClient.connect(port, null)) {
            assertThat(released.join()).as("released once, on the socket's loop").isTrue();
            assertThat(collected(httpConnection.join())).as("the upgrade's HTTP connection after full collections").isTrue();
            client.sendRaw("still here");
            assertThat(client.nextOfType("echo").getString("text")).isEqualTo("still here");
        }
    }

    /**
     * The request's headers, URI and query (with its spent ticket) are garbage once the socket
     * forgets them: a weak reference to the header map clears in a full collection while the socket
     * still answers; it then has no headers, its URI is its path and it has no query. Without
     * {@code forgetRequest} the socket keeps all three for its life (checked: this test fails).
     */
    @Test
    void theRequestsHeadersAndTicketAreForgottenAndTheSocketGoesOnWorking() throws Exception {
        CompletableFuture<java.lang.ref.WeakReference<Object>> headers = new CompletableFuture<>();
        CompletableFuture<String[]> after = new CompletableFuture<>();
        int port = serve(ws -> {
            String before = ws.headers().get("Sec-WebSocket-Version") + " " + ws.query();
            headers.complete(new java.lang.ref.WeakReference<>(ws.headers()));
            WebSocketFootprint.trim(ws);
            after.complete(new String[] {before, Integer.toString(ws.headers().size()), Boolean.toString(ws.headers().isMutable()),
                    ws.uri(), ws.path(), ws.query()});
            ws.textMessageHandler(text -> ws.writeTextMessage(new JsonObject().put("type", "echo").put("text", text).encode()));
        });
        try (WsClient client = WsClient.connect(port, "spent-ticket")) {
            assertThat(after.join()).containsExactly("13 ticket=spent-ticket", "0", "false", "/ws", "/ws", null);
            assertThat(collected(headers.join())).as("the upgrade request's headers after full collections").isTrue();
            client.sendRaw("still here");
            assertThat(client.nextOfType("echo").getString("text")).isEqualTo("still here");
        }
    }

    /** Whether full collections clear the reference within 20 s (an object still reachable never clears). */
    private static boolean collected(java.lang.ref.WeakReference<Object> ref) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }
        return ref.get() == null;
    }
}
