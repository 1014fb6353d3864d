package nl.kring.server.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import nl.kring.server.access.Access;
import org.slf4j.MDC;
import nl.kring.server.access.Action;
import nl.kring.server.shared.Principal;
import nl.kring.server.limits.FloodGuard;
import nl.kring.server.shared.StoredMessage;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.shared.RoomSettings;
import nl.kring.moderation.queue.Fallback;
import nl.kring.server.moderation.Coverage;
import nl.kring.server.sending.SendFlow;

/**
 * One WebSocket session: parses frames, answers every request with exactly one reply, keeps
 * the socket's room subscriptions, and enforces rate limits. Confined to its event loop
 * ({@link #context()}); asynchronous results hop back onto it before touching state.
 */
public final class Session {

    static final int MAX_BODY_CHARS = 4000;
    /** Tries of a resume's backlog read while the database is busy or away, before {@code reset}. */
    static final int CATCH_UP_ATTEMPTS = 5;
    static final int MAX_ID_CHARS = 64;
    static final int MAX_REASON_CHARS = 500;
    static final long TYPING_INTERVAL_NANOS = 2_000_000_000L;
    static final Set<String> REPORT_CATEGORIES = Set.of("unsafe", "bullying", "privacy", "spam", "other");
    static final Set<String> REQUESTS = Set.of("join", "leave", "send", "history", "report", "check");

    private final GatewayServices services;
    private final Principal principal;
    private final ClientConnection connection;
    private final Context context;
    private final FloodGuard floodGuard;
    private final FloodGuard violationGuard;
    /** The last send's pass through the rate limiter (sends of this socket take their tokens in order). */
    private Future<?> sendOrder = Future.succeededFuture();
    private final Map<Long, Subscription> subscriptions = new HashMap<>();
    private final Map<Long, Long> lastTyping = new HashMap<>();
    private long lastSeenNanos = System.nanoTime();
    private boolean closed;
    /** This connection's correlation id in the log (MDC key {@code conn}): random, tied to nothing else. */
    private final String correlation = "ws-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());

    Session(GatewayServices services, Principal principal, ClientConnection connection, Context context) {
        this.services = services;
        this.principal = principal;
        this.connection = connection;
        this.context = context;
        this.floodGuard = new FloodGuard(services.config().floodStrikes());
        this.violationGuard = new FloodGuard(services.config().floodStrikes());
    }

    public Principal principal() {
        return principal;
    }

    public Context context() {
        return context;
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
        connection.send(new JsonObject()
                .put("type", "welcome")
                .put("user", principal.toJson())
                .put("heartbeatSeconds", services.config().heartbeatSeconds())
                .put("serverTime", Instant.now().toString())
                .encode());
        Consumer<String> later = json -> context.runOnContext(v -> sendEvent(json));
        if (!principal.isMember()) {
            // a host's running talks: told again on every connection
            services.talks().connected(principal, later);
            return;
        }
        if (!services.db().isUp()) {
            return;
        }
        // moderation notices the member has not seen yet (a removed message, a warning, a mute), then a
        // place in a consultation hour's queue or a talk running: one statement for both
        then(ConnectReads.forMember(services.db(), principal.userId()), ar -> {
            if (ar.failed()) {
                return; // the member sees them on the next connection
            }
            then(services.notices().events(principal, ar.result().notices()), events -> {
                if (events.succeeded()) {
                    events.result().forEach(n -> sendEvent(((JsonObject) n).encode()));
                }
                for (Row r : ar.result().pending()) {
                    services.talks().resume(principal, r.getString("what"), r.getLong("id"), later);
                }
            });
        });
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

    /** Leaves every room; called once when the socket is gone, whoever closed it. */
    void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Subscription s : subscriptions.values()) {
            unsubscribe(s);
        }
        subscriptions.clear();
    }

    /** Takes this socket out of a room without a request (a talk was handed to another host); call on this session's loop. */
    void dropRoom(long roomId) {
        Subscription sub = subscriptions.remove(roomId);
        if (sub != null) {
            unsubscribe(sub);
        }
    }

    /** Leaves a room for good (not a re-join): out of its members and, for staff, out of a consultation hour's presence. */
    private void unsubscribe(Subscription sub) {
        sub.room().remove(context, sub, services.vertx());
        services.spreekuren().left(sub.room(), principal);
    }

    void handleBinary() {
        touch();
        violation(null, "binary frames are not part of the protocol; send JSON text frames");
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
        touch();
        JsonObject frame;
        try {
            frame = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            violation(null, "malformed JSON: a frame must be one JSON object");
            return;
        }
        Object rawId = frame.getValue("id");
        String id = rawId instanceof String s && !s.isEmpty() && s.length() <= MAX_ID_CHARS ? s : null;
        if (rawId != null && id == null) {
            violation(null, "id must be a string of 1 to 64 characters");
            return;
        }
        Object rawType = frame.getValue("type");
        String type = rawType instanceof String t ? t : null;
        if ("typing".equals(type)) {
            typing(frame);
            return;
        }
        if (type == null || !REQUESTS.contains(type)) {
            violation(id, type == null ? "type is missing" : "unknown type: " + abbreviate(type));
            return;
        }
        if (id == null) {
            violation(null, "a " + type + " request needs an id");
            return;
        }
        try {
            switch (type) {
                case "join" -> join(id, frame);
                case "leave" -> leave(id, frame);
                case "send" -> send(id, frame, arrived);
                case "history" -> history(id, frame);
                case "check" -> check(id, frame);
                default -> report(id, frame);
            }
        } catch (KringException e) {
            if (e.code() == ErrorCode.BAD_REQUEST) {
                violation(id, e.getMessage());
            } else {
                replyError(id, e);
            }
        }
    }

    // ---- requests ---------------------------------------------------------------------------

    private void join(String id, JsonObject frame) {
        String roomId = requiredString(frame, "room", 64);
        Integer sinceEpoch = null;
        long sinceSeq = 0;
        Object since = frame.getValue("since");
        if (since != null) {
            if (!(since instanceof JsonObject s) || !(s.getValue("epoch") instanceof Number e)
                    || !(s.getValue("seq") instanceof Number q)) {
                throw KringException.badRequest("since must be {\"epoch\":number,\"seq\":number}");
            }
            sinceEpoch = e.intValue();
            sinceSeq = q.longValue();
        }
        Integer epochArg = sinceEpoch;
        long seqArg = sinceSeq;
        then(enter(roomId, Action.JOIN).compose(r -> services.safety().forCommunity(r.communityId()).map(cs -> Map.entry(r, cs))), ar -> {
            if (closed) {
                return;
            }
            if (ar.failed()) {
                replyError(id, KringException.from(ar.cause()));
                return;
            }
            Room room = ar.result().getKey();
            Fallback fallback = ar.result().getValue().fallback();
            RoomSettings settings = room.settings();
            if (principal.isMember() && !subscriptions.containsKey(room.id()) && !room.isOnline(principal.userId())
                    && room.placesTaken() >= settings.capacity()) {
                replyError(id, new KringException(ErrorCode.ROOM_FULL, "this room is full; try again later"));
                return;
            }
            Subscription old = subscriptions.remove(room.id());
            if (old != null) {
                room.remove(context, old, services.vertx());
            }
            Subscription sub = new Subscription(room, connection, principal.userId(), principal.isMember(),
                    services.config().resumeMaxMessages());
            subscriptions.put(room.id(), sub);
            room.add(context, sub, services.vertx());
            if (old == null) {
                services.spreekuren().entered(room, principal);
                if (principal.isMember()) {
                    services.visits().joined(room.id(), principal.userId());
                }
            }
            long lastSeq = room.lastSeq();
            JsonObject data = new JsonObject().put("room", room.wireId()).put("epoch", room.epoch())
                    .put("lastSeq", lastSeq).put("online", room.online()).put("name", settings.name())
                    .put("kind", settings.kind().wireName()).put("readOnly", settings.readOnly())
                    .put("slowModeSeconds", settings.slowModeSeconds());
            if (settings.pinnedNotice() != null) {
                data.put("pinnedNotice", settings.pinnedNotice());
            }
            data.put("coverage", Coverage.describe(services.coverage().covered(room.communityId()), fallback));
            services.spreekuren().byRoom(room.id()).ifPresent(info -> data.put("spreekuur", services.spreekuren().state(info)));
            replyOk(id, data);
            switch (ResumePlan.decide(epochArg, seqArg, room.epoch(), lastSeq, room.retainedFromSeq(),
                    services.config().resumeMaxMessages())) {
                case LIVE -> sub.goLive(lastSeq);
                case RESET -> sub.reset();
                case REPLAY -> {
                    sub.beginResume(seqArg);
                    catchUp(room, sub, seqArg, lastSeq, 1);
                }
            }
        });
    }

    /**
     * Reads what a resuming socket missed and hands it to the subscription, which holds live
     * messages back meanwhile. When the database is busy or away the read is tried again after
     * its retry time, up to {@link #CATCH_UP_ATTEMPTS} times, before the client is told to
     * {@code reset}: a reconnect storm must not turn every resume into a reload.
     */
    private void catchUp(Room room, Subscription sub, long since, long lastSeq, int attempt) {
        Future<List<String>> redactions = services.messages()
                .redactions(room.id(), Math.max(0, since - services.config().resumeMaxMessages()), since);
        then(backlog(room, since, lastSeq).compose(b -> redactions.map(r -> Map.entry(b, r))), b -> {
            if (closed || subscriptions.get(room.id()) != sub) {
                return;
            }
            if (b.succeeded()) {
                sub.finishCatchUp(b.result().getKey(), lastSeq, b.result().getValue());
                return;
            }
            KringException failure = services.db().failure(b.cause());
            if (failure.code() == ErrorCode.UNAVAILABLE && attempt < CATCH_UP_ATTEMPTS) {
                services.vertx().setTimer(failure.retryAfterMs(), t -> {
                    if (!closed && subscriptions.get(room.id()) == sub) {
                        catchUp(room, sub, since, lastSeq, attempt + 1);
                    }
                });
            } else {
                sub.reset();
            }
        });
    }

    private void leave(String id, JsonObject frame) {
        String roomId = requiredString(frame, "room", 64);
        then(services.rooms().get(roomId), ar -> {
            if (ar.succeeded()) {
                Subscription sub = subscriptions.remove(ar.result().id());
                if (sub != null) {
                    unsubscribe(sub);
                }
            }
            replyOk(id, new JsonObject());
        });
    }

    private void send(String id, JsonObject frame, long arrived) {
        String roomId = requiredString(frame, "room", 64);
        String clientMsgId = requiredString(frame, "clientMsgId", MAX_ID_CHARS);
        Object rawBody = frame.getValue("body");
        if (!(rawBody instanceof String body)) {
            throw KringException.badRequest("body must be a string of 1 to " + MAX_BODY_CHARS + " characters");
        }
        int chars = body.codePointCount(0, body.length());
        if (body.isBlank() || chars > MAX_BODY_CHARS) {
            throw KringException.badRequest("body must be 1 to " + MAX_BODY_CHARS + " characters and not only spaces");
        }
        Object rawCw = frame.getValue("cw");
        if (rawCw != null && !(rawCw instanceof Boolean)) {
            throw KringException.badRequest("cw must be true or false");
        }
        boolean cw = Boolean.TRUE.equals(rawCw);
        // One rate per member over every node of a cluster (the take may go to another node); the sends of
        // one socket pass the limiter in the order they came. Alone, the take is done at once, on this loop.
        Future<Long> permit = sendOrder.transform(v -> services.sendLimiter().acquire(principal.userId()));
        sendOrder = permit;
        then(permit, taken -> {
            long wait = taken.succeeded() ? taken.result() : 0;
            if (wait > 0) {
                services.metrics().sendOutcome(KringMetrics.SendResult.RATE_LIMITED);
                replyError(id, new KringException(ErrorCode.RATE_LIMITED, "you are sending too fast", wait));
                if (floodGuard.strike()) {
                    close(CloseCode.FLOODING);
                }
                return;
            }
            admitted(id, roomId, clientMsgId, body, cw, arrived);
        });
    }

    /** A send within the member's rate: the send use case decides the rest (sending.SendFlow); this writes the reply. */
    private void admitted(String id, String roomId, String clientMsgId, String body, boolean cw, long arrived) {
        then(services.sendFlow().send(new SendFlow.Request(principal, roomId, clientMsgId, body, cw, arrived)), ar -> {
            if (ar.failed()) {
                replyError(id, KringException.from(ar.cause()));
            } else if (ar.result().error() != null) {
                replyError(id, ar.result().error());
            } else {
                replyOk(id, ar.result().data());
            }
        });
    }

    private void history(String id, JsonObject frame) {
        String roomId = requiredString(frame, "room", 64);
        Long beforeSeq = optionalLong(frame, "beforeSeq", 1);
        Long limitArg = optionalLong(frame, "limit", 1);
        if (limitArg != null && limitArg > 100) {
            throw KringException.badRequest("limit must be 1 to 100");
        }
        int limit = limitArg == null ? 50 : limitArg.intValue();
        then(enter(roomId, Action.READ_HISTORY).compose(room -> {
            long upTo = Math.min(beforeSeq == null ? Long.MAX_VALUE : beforeSeq - 1, room.lastSeq());
            long after = Math.max(room.retainedFromSeq() - 1, Math.max(0, upTo - limit));
            return backlog(room, after, upTo);
        }), ar -> {
            if (ar.failed()) {
                replyError(id, KringException.from(ar.cause()));
                return;
            }
            JsonArray list = new JsonArray();
            for (StoredMessage m : ar.result()) {
                list.add(m.toJson());
            }
            replyOk(id, new JsonObject().put("messages", list));
        });
    }

    /**
     * The compose-time check: what #chatsafe would do with this text, with the prompt to show
     * before sending. No side effect: nothing is stored, counted per category or held.
     */
    private void check(String id, JsonObject frame) {
        Object rawBody = frame.getValue("body");
        if (!(rawBody instanceof String body) || body.codePointCount(0, body.length()) > MAX_BODY_CHARS) {
            throw KringException.badRequest("body must be a string of at most " + MAX_BODY_CHARS + " characters");
        }
        Object rawRoom = frame.getValue("room");
        Future<Long> community;
        if (rawRoom != null) {
            community = enter(requiredString(frame, "room", 64), Action.SEND).map(Room::communityId);
        } else if (principal.communityId() != null) {
            community = Future.succeededFuture(principal.communityId());
        } else {
            throw KringException.badRequest("room is required for staff");
        }
        boolean cw = Boolean.TRUE.equals(frame.getValue("cw"));
        Long replyTo = optionalLong(frame, "replyTo", 1);
        if (replyTo != null && rawRoom == null) {
            throw KringException.badRequest("replyTo needs the room");
        }
        Future<Boolean> care = replyTo == null ? Future.succeededFuture(false)
                : enter((String) rawRoom, Action.READ_HISTORY).compose(room -> replyTo > room.lastSeq()
                        ? Future.succeededFuture(java.util.List.<StoredMessage>of())
                        : backlog(room, replyTo - 1, replyTo))
                .map(list -> !list.isEmpty() && list.get(0).care() && list.get(0).redactionReason() == null);
        then(community.compose(c -> services.safety().forCommunity(c)).compose(cs -> care.map(x -> Map.entry(cs, x))), both -> {
            if (both.failed()) {
                replyError(id, KringException.from(both.cause()));
                return;
            }
            replyOk(id, services.safety().check(both.result().getKey(), body, cw, both.result().getValue()));
        });
    }

    private void report(String id, JsonObject frame) {
        String roomId = requiredString(frame, "room", 64);
        Long seq = optionalLong(frame, "seq", 1);
        if (seq == null) {
            throw KringException.badRequest("seq is required");
        }
        Object category = frame.getValue("category");
        if (!(category instanceof String c) || !REPORT_CATEGORIES.contains(c)) {
            throw KringException.badRequest("category must be one of unsafe, bullying, privacy, spam, other");
        }
        Object reason = frame.getValue("reason");
        if (reason != null && (!(reason instanceof String r) || r.length() > MAX_REASON_CHARS)) {
            throw KringException.badRequest("reason must be a string of at most 500 characters");
        }
        then(enter(roomId, Action.REPORT).compose(room -> {
            if (seq > room.lastSeq()) {
                return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no message with this seq"));
            }
            return services.queue().report(principal, room, seq, (String) category, (String) reason);
        }), ar -> {
            if (ar.failed()) {
                replyError(id, KringException.from(ar.cause()));
            } else {
                replyOk(id, new JsonObject());
            }
        });
    }

    private void typing(JsonObject frame) {
        if (!(frame.getValue("room") instanceof String roomId)) {
            violation(null, "typing needs a room");
            return;
        }
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
        services.rooms().event(parsed, new JsonObject().put("type", "typing").put("room", roomId)
                .put("pseudonym", principal.name()).encode(), principal.userId());
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Runs {@code handler} on this session's event loop when {@code future} completes, wherever it completes. */
    private <T> void then(Future<T> future, io.vertx.core.Handler<io.vertx.core.AsyncResult<T>> handler) {
        io.vertx.core.Handler<io.vertx.core.AsyncResult<T>> traced = ar -> {
            MDC.put("conn", correlation);
            try {
                handler.handle(ar);
            } finally {
                MDC.remove("conn");
            }
        };
        future.onComplete(ar -> {
            if (io.vertx.core.Vertx.currentContext() == context) {
                traced.handle(ar);
            } else {
                context.runOnContext(v -> traced.handle(ar));
            }
        });
    }

    /** The room, if it exists and this user may do {@code action} there ({@link Access}: not_found or forbidden otherwise). */
    private Future<Room> enter(String roomId, Action action) {
        return services.rooms().get(roomId).compose(room -> {
            KringException refusal = Access.refusal(principal, room.communityId(), room.settings(), action,
                    room.isParticipant(principal.userId()));
            return refusal == null ? Future.succeededFuture(room) : Future.failedFuture(refusal);
        });
    }

    /** Messages {@code after < seq <= upTo}: from the history cache when it holds them all, else PostgreSQL. */
    private Future<List<StoredMessage>> backlog(Room room, long after, long upTo) {
        if (upTo <= after) {
            return Future.succeededFuture(List.of());
        }
        return services.history().range(room.id(), after, upTo)
                .map(Future::succeededFuture)
                .orElseGet(() -> services.messages().range(room.id(), after, upTo)
                        .recover(t -> Future.failedFuture(services.db().failure(t))));
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

    private void replyOk(String id, JsonObject data) {
        connection.send(new JsonObject().put("type", "reply").put("id", id).put("ok", true).put("data", data).encode());
    }

    private void replyError(String id, KringException error) {
        connection.send(new JsonObject().put("type", "reply").put("id", id).put("ok", false).put("error", error.toJson()).encode());
    }

    private static String requiredString(JsonObject frame, String field, int maxChars) {
        Object v = frame.getValue(field);
        if (!(v instanceof String s) || s.isEmpty() || s.length() > maxChars) {
            throw KringException.badRequest(field + " must be a string of 1 to " + maxChars + " characters");
        }
        return s;
    }

    private static Long optionalLong(JsonObject frame, String field, long min) {
        Object v = frame.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() < min) {
            throw KringException.badRequest(field + " must be a whole number of at least " + min);
        }
        return n.longValue();
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
