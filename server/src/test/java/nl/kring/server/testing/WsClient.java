package nl.kring.server.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client (JDK {@link java.net.http.WebSocket}) speaking the Kring protocol.
 * Frames land in a queue; tests wait for the frame they expect (bounded by {@link #WAIT}, a
 * failure bound, never a synchronisation delay). With {@code reading=false} it never asks for
 * frames, so the server sees a client that does not read.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Queued after the last frame when the connection ends, so that a wait for more fails at once. */
    private static final JsonObject GONE = new JsonObject().put("type", "_connection_gone");
    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final List<JsonObject> skipped = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocket socket;
    private final boolean reading;

    private WsClient(URI uri, Map<String, String> headers, boolean reading) {
        this.reading = reading;
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        this.socket = b.buildAsync(uri, new Listener()).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public static WsClient connect(int port, String ticket) {
        return connect(port, ticket, Map.of(), true);
    }

    /** Throws {@link java.util.concurrent.CompletionException} wrapping a {@link java.net.http.WebSocketHandshakeException} when refused. */
    public static WsClient connect(int port, String ticket, Map<String, String> headers, boolean reading) {
        String query = ticket == null ? "" : "?ticket=" + ticket;
        return new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws" + query), headers, reading);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            if (reading) {
                ws.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            frames.add(GONE);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
            frames.add(GONE);
        }
    }

    /** Starts reading (for a client created with reading=false). */
    public void startReading() {
        socket.request(Long.MAX_VALUE);
    }

    public void sendRaw(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Sends a request with a fresh id and returns that id. */
    public String send(String type, JsonObject fields) {
        String id = "c" + ids.incrementAndGet();
        sendRaw(fields.copy().put("type", type).put("id", id).encode());
        return id;
    }

    /** Sends a request and waits for its reply (other frames stay queued for {@link #next}). */
    public JsonObject request(String type, JsonObject fields) {
        return reply(send(type, fields));
    }

    public JsonObject reply(String id) {
        return next(f -> "reply".equals(f.getString("type")) && id.equals(f.getString("id")));
    }

    /** The next frame matching; frames that do not match are kept, in order, for later calls. */
    public JsonObject next(Predicate<JsonObject> match) {
        synchronized (skipped) {
            for (int i = 0; i < skipped.size(); i++) {
                if (match.test(skipped.get(i))) {
                    return skipped.remove(i);
                }
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonObject f;
            try {
                f = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (f == null) {
                throw new AssertionError("no matching frame within " + WAIT + "; unmatched: " + skipped);
            }
            if (f == GONE) {
                frames.add(GONE);
                throw new ConnectionGone();
            }
            if (match.test(f)) {
                return f;
            }
            synchronized (skipped) {
                skipped.add(f);
            }
        }
    }

    public JsonObject nextOfType(String type) {
        return next(f -> type.equals(f.getString("type")));
    }

    /** Every frame received so far and not yet taken, without waiting. */
    public List<JsonObject> drain() {
        List<JsonObject> out;
        synchronized (skipped) {
            out = new ArrayList<>(skipped);
            skipped.clear();
        }
        frames.drainTo(out);
        if (out.remove(GONE)) {
            frames.add(GONE);
        }
        return out;
    }

    /** Waits for the server's close frame; the close code, or -1 if the connection broke. */
    public int closeCode() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Waits at most {@code within} for the server's close frame; the close code, or -1 if the connection broke. */
    public int closeCode(Duration within) {
        return closed.orTimeout(within.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    /** The connection ended before the awaited frame came. */
    public static final class ConnectionGone extends IllegalStateException {
        ConnectionGone() {
            super("the connection ended");
        }
    }
}
