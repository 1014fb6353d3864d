package nl.kring.server.gateway;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import nl.kring.server.limits.FloodGuard;
import nl.kring.server.limits.SocketRate;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;
import org.slf4j.MDC;

/**
 * One WebSocket session: decodes each frame, dispatches it to its handler ({@link SessionParts}:
 * {@link Joins}, {@link Sends}, {@link Lookups}), answers every request with exactly one reply,
 * and keeps the socket's state: its room subscriptions, its send order, its request budget, its flood guards.
 * Confined to its event loop ({@link #context()}); asynchronous results hop back onto it
 * ({@link #then}) before touching state.
 */
public final class Session {

    static final long TYPING_INTERVAL_NANOS = 2_000_000_000L;

    private final SessionParts parts;
    private final Principal principal;
    private final ClientConnection connection;
    private final Context context;
    private final FloodGuard floodGuard;
    private final FloodGuard violationGuard;
    /**
     * When this socket's schedule of admitted request frames is due ({@link System#nanoTime()}; see
     * {@link SocketRate}). The request budget is this one long, not a Bucket4j bucket: it is checked
     * for every frame, and this session is confined to one event loop, so it needs no lock, and a
     * Bucket4j bucket would lock and allocate.
     */
    private long requestsDue = System.nanoTime();
    /** The last send's pass through the rate limiter (sends of this socket take their tokens in order). */
    private Future<?> sendOrder = Future.succeededFuture();
    private final Map<Long, Subscription> subscriptions = new HashMap<>();
    private final Map<Long, Long> lastTyping = new HashMap<>();
    private long lastSeenNanos = System.nanoTime();
    private boolean closed;
    /** This connection's correlation id in the log (MDC key {@code conn}): random, tied to nothing else. */
    private final String correlation = "ws-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    Session(SessionParts parts, Principal principal, ClientConnection connection, Context context) {
        this.parts = parts;
        this.principal = principal;
        this.connection = connection;
        this.context = context;
        this.floodGuard = new FloodGuard(parts.floodStrikes());
        this.violationGuard = new FloodGuard(parts.floodStrikes());
    }

    public Principal principal() {
        return principal;
    }

    public Context context() {
        return context;
    }

    ClientConnection connection() {
        return connection;
    }

    /** The log correlation id of this connection. */
    String correlation() {
        return correlation;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    void ping() {
        connection.ping();
    }

    /** Any frame or pong from the client. */
    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    void welcome() {
        parts.arrivals().welcome(this);
    }

    /** Sends an event that belongs to no room (an alert); call on this session's loop. */
    void sendEvent(String json) {
        if (!closed) {
            connection.send(json);
        }
    }

    /** Closes the socket (if still open) and leaves every room. */
    public void close(CloseCode code) {
        connection.close(code);
        cleanUp();
    }

    boolean isClosed() {
        return closed;
    }

    /** Leaves every room; called once when the socket is gone, whoever closed it. */
    void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Subscription s : subscriptions.values()) {
            parts.joins().unsubscribe(this, s);
        }
        subscriptions.clear();
    }

    /** Takes this socket out of a room without a request (a talk was handed to another host); call on this session's loop. */
    void dropRoom(long roomId) {
        leaveRoom(roomId);
    }

    /** Leaves a room for good, if this socket is in it. */
    void leaveRoom(long roomId) {
        Subscription sub = subscriptions.remove(roomId);
        if (sub != null) {
            parts.joins().unsubscribe(this, sub);
        }
    }

    /** This socket's subscription to a room, or null. */
    Subscription subscription(long roomId) {
        return subscriptions.get(roomId);
    }

    /** Makes {@code sub} this socket's subscription to the room; returns the one it replaces, or null. */
    Subscription subscribe(long roomId, Subscription sub) {
        return subscriptions.put(roomId, sub);
    }

    Future<?> sendOrder() {
        return sendOrder;
    }

    void sendOrder(Future<?> last) {
        sendOrder = last;
    }

    /** One more refused send; true when there were too many in a short time (close with 4029). */
    boolean floodStrike() {
        return floodGuard.strike();
    }

    void handleBinary() {
        touch();
        if (withinBudget(lastSeenNanos, null)) {
            violation(null, "binary frames are not part of the protocol; send JSON text frames");
        }
    }

    /** One text message from the client. */
    void handleText(String text) {
        MDC.put("conn", correlation);
        try {
            handleFrame(text);
        } finally {
            MDC.remove("conn");
        }
    }

    private void handleFrame(String text) {
        long arrived = System.nanoTime();
        lastSeenNanos = arrived;
        JsonObject frame = Requests.parse(text);
        if (!withinBudget(arrived, frame)) {
            return;
        }
        if (frame == null) {
            violation(null, "malformed JSON: a frame must be one JSON object");
            return;
        }
        Requests.Decoded decoded = Requests.decode(frame);
        if (decoded instanceof Requests.Violation v) {
            violation(v.id(), v.message());
        } else if (decoded instanceof Requests.Typing t) {
            typing(t.room());
        } else {
            dispatch((Requests.Request) decoded, arrived);
        }
    }

    private void dispatch(Requests.Request r, long arrived) {
        String id = r.id();
        JsonObject frame = r.frame();
        try {
            switch (r.type()) {
                case "join" -> parts.joins().join(this, id, Requests.join(frame));
                case "leave" -> parts.joins().leave(this, id, Requests.leave(frame));
                case "send" -> parts.sends().send(this, id, Requests.send(frame), arrived);
                case "history" -> parts.lookups().history(this, id, Requests.history(frame));
                case "check" -> parts.lookups().check(this, id, Requests.check(frame));
                default -> parts.lookups().report(this, id, Requests.report(frame));
            }
        } catch (KringException e) {
            if (e.code() == ErrorCode.BAD_REQUEST) {
                violation(id, e.getMessage());
            } else {
                replyError(id, e);
            }
        }
    }

    /**
     * Takes one frame from this socket's request budget, whatever the frame is. Over the budget the
     * frame is not processed: a frame with a readable id is answered {@code rate_limited} with
     * {@code retryAfterMs}, any other (typing, malformed) is dropped; each refusal is a strike towards 4029.
     *
     * @param frame the frame, or null when it is not a JSON object
     */
    private boolean withinBudget(long now, JsonObject frame) {
        long wait = parts.requestRate().delay(requestsDue, now);
        if (wait == 0) {
            requestsDue = parts.requestRate().admit(requestsDue, now);
            return true;
        }
        if (frame != null && !"typing".equals(frame.getValue("type"))
                && frame.getValue("id") instanceof String id && !id.isEmpty() && id.length() <= FrameFields.MAX_ID_CHARS) {
            replyError(id, new KringException(ErrorCode.RATE_LIMITED, "too many requests on this connection",
                    SocketRate.retryAfterMs(wait)));
        }
        if (floodStrike()) {
            close(CloseCode.FLOODING);
        }
        return false;
    }

    private void typing(String roomId) {
        long parsed;
        try {
            parsed = Long.parseLong(roomId);
        } catch (NumberFormatException e) {
            return;
        }
        Subscription sub = subscriptions.get(parsed);
        long now = System.nanoTime();
        Long last = lastTyping.get(parsed);
        if (sub == null || (last != null && now - last < TYPING_INTERVAL_NANOS)) {
            return;
        }
        lastTyping.put(parsed, now);
        parts.rooms().event(parsed, new JsonObject().put("type", "typing").put("room", roomId)
                .put("pseudonym", principal.name()).encode(), principal.userId());
    }

    /** Runs {@code handler} on this session's event loop when {@code future} completes, wherever it completes. */
    <T> void then(Future<T> future, Handler<AsyncResult<T>> handler) {
        Handler<AsyncResult<T>> traced = ar -> {
            MDC.put("conn", correlation);
            try {
                handler.handle(ar);
            } finally {
                MDC.remove("conn");
            }
        };
        future.onComplete(ar -> {
            if (Vertx.currentContext() == context) {
                traced.handle(ar);
            } else {
                context.runOnContext(v -> traced.handle(ar));
            }
        });
    }

    private void violation(String id, String message) {
        KringException error = KringException.badRequest(message);
        if (id != null) {
            replyError(id, error);
        } else {
            connection.send(new JsonObject().put("type", "error").put("error", error.toJson()).encode());
        }
        if (violationGuard.strike()) {
            close(CloseCode.PROTOCOL_VIOLATION);
        }
    }

    void replyOk(String id, JsonObject data) {
        connection.send(new JsonObject().put("type", "reply").put("id", id).put("ok", true).put("data", data).encode());
    }

    void replyError(String id, KringException error) {
        connection.send(new JsonObject().put("type", "reply").put("id", id).put("ok", false).put("error", error.toJson()).encode());
    }
}
