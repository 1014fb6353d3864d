package nl.kring.loadtest.gen;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import nl.kring.websocket.WebSocketFootprint;

/**
 * One simulated user of a {@link Shard}: its socket and how it gets one back (retries with backoff,
 * reconnects after churn and storms), its join with resume, its sends and their acks (kept until acked
 * and sent again after a reconnect), and the check of what it receives (seq order, delivery latency).
 * The shard's phases drive it; what is counted over the whole shard (handshakes in flight, sends not yet
 * answered, the measured window, the tail check) it reports to its shard. Confined to the shard's event loop.
 */
final class Session {

    private static final String MESSAGE = "{\"type\":\"message\"";
    private static final String REPLY = "{\"type\":\"reply\"";
    private static final String RESET = "{\"type\":\"reset\"";

    /** What all sessions of the shard share (plan, stats, clock, …) is read through it, not kept per session: sessions number up to 100,000 a run. */
    private final Shard shard;
    final int index;
    final int room;
    final boolean sender;
    final String token;
    final StreamCheck check = new StreamCheck();
    /** Sent or waiting, not yet acked: counter → intended send time (µs). Kept across reconnects and sent again. */
    final Map<Long, Long> unacked = new LinkedHashMap<>();
    WebSocket ws;
    boolean joined;
    /** Refusals ({@code unavailable}, {@code rate_limited}) in a row: each doubles the wait before the next try. */
    int refusals;
    boolean connecting;
    boolean dead;
    boolean dropping;
    /** During the shard's tail check: this session has not yet seen its room up to the expected seq. */
    boolean short_;
    boolean everConnected;
    /** The ramp's wait for this session's first outcome, until it is in (or given up). */
    Handler<Boolean> firstOutcome;
    /** When a storm dropped this session (µs), until it is back in its room; 0 otherwise. */
    long stormAt;
    /** When the shard's send schedule has this session send next (µs). */
    long nextSend;
    long counter;
    int failures;

    Session(Shard shard, int index, String token) {
        this.shard = shard;
        this.index = index;
        this.room = shard.plan().layout().roomOf(index);
        this.sender = shard.plan().layout().isSender(index);
        this.token = token;
    }

    /** The shard's Vert.x, known once the shard is deployed (sessions are made before). */
    private Vertx vertx() {
        return shard.getVertx();
    }

    /** Ticket (Kring) and upgrade within the handshake timeout; {@code done} hears whether it worked. */
    void connect(Handler<Boolean> done) {
        connecting = true;
        shard.handshakeStarted();
        long t0 = System.nanoTime();
        boolean[] over = {false};
        long timeout = vertx().setTimer(shard.plan().scenario().handshakeTimeoutMs(), t -> {
            over[0] = true;
            finish(false, "timeout", done);
        });
        shard.handshake().open(index, token).onComplete(ar -> {
            if (over[0]) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
                return;
            }
            vertx().cancelTimer(timeout);
            if (ar.failed()) {
                finish(false, Handshake.reason(ar.cause()), done);
                return;
            }
            if (!everConnected) {
                // The ramp's handshakes only: reconnects (churn, storms) are reported on their own.
                shard.stats().connectLatency.recordValue((System.nanoTime() - t0) / 1000);
            }
            attach(ar.result());
            finish(true, null, done);
        });
    }

    private void finish(boolean ok, String failure, Handler<Boolean> done) {
        connecting = false;
        shard.handshakeEnded();
        if (ok) {
            shard.stats().connectsOk.increment();
            if (everConnected) {
                shard.stats().reconnects.increment();
            }
            everConnected = true;
            failures = 0;
        } else {
            Stats.count(shard.stats().connectFailures, failure);
            if (shard.plan().layout().isExtra(index)) {
                dead = true;
            } else {
                retryLater();
            }
        }
        if ((ok || dead) && firstOutcome != null) {
            Handler<Boolean> first = firstOutcome;
            firstOutcome = null;
            first.handle(ok);
        }
        done.handle(ok);
    }

    /** {@code handler} hears once whether this session got in: when a connect works, or when it is given up (an extra refused). */
    void onFirstOutcome(Handler<Boolean> handler) {
        firstOutcome = handler;
    }

    private void attach(WebSocket socket) {
        // A session is written from its shard's event loop only: Vert.x's hand-over queues and the HTTP
        // connection of the upgrade (about 10 KiB a session) are let go, as the server does.
        WebSocketFootprint.trim(socket);
        ws = socket;
        joined = false;
        shard.stats().sessionUp();
        socket.textMessageHandler(this::frame);
        socket.closeHandler(v -> closed(socket.closeStatusCode()));
        socket.exceptionHandler(e -> { });
        join();
    }

    /** Joins the room, resuming after the last seq seen when there is one. */
    private void join() {
        ws.writeTextMessage(check.started()
                ? "{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + shard.plan().roomId(room) + "\",\"since\":{\"epoch\":" + check.epoch()
                + ",\"seq\":" + check.last() + "}}"
                : "{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + shard.plan().roomId(room) + "\"}");
    }

    /**
     * After {@code unavailable} or {@code rate_limited}: the same request again on the same socket, after
     * the server's retryAfterMs doubled for each refusal in a row this session has had (up to 16 times),
     * as the web client does. With a fixed wait, 19,000 sessions kept an overloaded server refusing.
     */
    private void retry(String text, Runnable again) {
        long wait = Math.max(1, Frames.numberAfter(text, "\"retryAfterMs\":")) << Math.min(refusals++, 4);
        WebSocket socket = ws;
        vertx().setTimer(wait, t -> {
            if (ws == socket && socket != null) {
                again.run();
            }
        });
    }

    private static boolean retryable(String code) {
        return "rate_limited".equals(code) || "unavailable".equals(code);
    }

    private void closed(Short code) {
        ws = null;
        joined = false;
        shard.stats().held.decrementAndGet();
        Stats.count(shard.stats().closes, code == null ? "none" : Short.toString(code));
        if (dropping) {
            dropping = false;
            connect(ok -> { });
            return;
        }
        if (code != null && (code == 4500 || code == 4501 || code == 4503)) {
            dead = true;
            return;
        }
        if (!shard.stopping() || short_) {
            retryLater();
        }
    }

    /** Full-jitter backoff, as the browser client does (capped lower: this is a test). */
    private void retryLater() {
        failures++;
        long cap = Math.min(5000, 100L << Math.min(failures, 6));
        vertx().setTimer(1 + shard.random().nextLong(cap), t -> {
            if (ws == null && !connecting && !dead && (!shard.stopping() || short_)) {
                connect(ok -> { });
            }
        });
    }

    /** Closes the socket on purpose (churn: 1000, storm: 1001); the close handler reconnects at once with resume. Whether it was open. */
    boolean drop(int code) {
        if (ws != null && !dropping) {
            dropping = true;
            ws.close((short) code);
            return true;
        }
        return false;
    }

    /** One send meant for {@code intended} (µs): written now when joined, else on the next join. */
    void send(long intended) {
        long n = ++counter;
        unacked.put(n, intended);
        shard.sendOpened();
        shard.stats().sent.increment();
        if (joined) {
            write(n, intended);
        }
    }

    private void write(long n, long intended) {
        ws.writeTextMessage("{\"type\":\"send\",\"id\":\"s" + n + "\",\"room\":\"" + shard.plan().roomId(room)
                + "\",\"clientMsgId\":\"" + shard.plan().runTag() + "-" + index + "-" + n + "\",\"body\":\"" + intended + shard.padding() + "\"}");
    }

    private void frame(String text) {
        if (text.startsWith(MESSAGE)) {
            long seq = Frames.numberAfter(text, "\"seq\":");
            check.message(seq);
            long stamp = Frames.numberAfter(text, "\"body\":\"");
            long now = shard.clock().nowMicros();
            shard.stats().delivered.increment();
            if (shard.measured(stamp)) {
                long latency = Math.max(0, now - stamp);
                shard.stats().deliveredMeasured.increment();
                shard.stats().deliveryLatency.recordValue(latency);
                shard.stats().deliveryPerSecond.recordValue(latency);
                if (shard.plan().layout().membersOf(room) >= shard.plan().scenario().trackLastMemberMin()) {
                    shard.stats().lastMember.merge(((long) room << 32) | seq, latency, Math::max);
                }
            }
            if (short_ && check.last() >= shard.expected(room)) {
                short_ = false;
                shard.caughtUp();
            }
        } else if (text.startsWith(REPLY)) {
            reply(text);
        } else if (text.startsWith(RESET)) {
            check.reset((int) Frames.numberAfter(text, "\"epoch\":"), Frames.numberAfter(text, "\"lastSeq\":"));
        }
    }

    private void reply(String text) {
        String id = Frames.stringAfter(text, "\"id\":\"");
        boolean ok = text.contains("\"ok\":true");
        if (ok) {
            refusals = 0;
        }
        if ("j".equals(id)) {
            if (!ok) {
                String code = Frames.stringAfter(text, "\"code\":\"");
                Stats.count(shard.stats().replyErrors, "join:" + code);
                if (retryable(code)) {
                    retry(text, this::join);
                }
                return;
            }
            check.joined((int) Frames.numberAfter(text, "\"epoch\":"), Frames.numberAfter(text, "\"lastSeq\":"));
            joined = true;
            if (stormAt > 0) {
                shard.stats().stormRejoinLatency.recordValue(Math.max(0, shard.clock().nowMicros() - stormAt));
                shard.stats().stormRejoined.increment();
                stormAt = 0;
            }
            // Sent again with the same clientMsgId: what was in flight when the socket dropped, and what waited.
            for (Map.Entry<Long, Long> e : unacked.entrySet()) {
                write(e.getKey(), e.getValue());
                shard.stats().resent.increment();
            }
            return;
        }
        if (id == null || id.charAt(0) != 's') {
            return;
        }
        long n = Long.parseLong(id.substring(1));
        if (!ok) {
            String code = Frames.stringAfter(text, "\"code\":\"");
            Stats.count(shard.stats().replyErrors, "send:" + code);
            if (retryable(code)) {
                retry(text, () -> {
                    Long intended = unacked.get(n);
                    if (intended != null && joined) {
                        write(n, intended);
                    }
                });
            } else if (unacked.remove(n) != null) {
                shard.answered();
            }
            return;
        }
        Long intended = unacked.remove(n);
        if (intended == null) {
            return;
        }
        shard.answered();
        shard.stats().acked.increment();
        long seq = Frames.numberAfter(text, "\"seq\":");
        if (seq > 0) {
            shard.stats().acked(room, seq);
        } else {
            Stats.count(shard.stats().replyErrors, "send:held");
        }
        if (shard.measured(intended)) {
            shard.stats().ackedMeasured.increment();
            shard.stats().ackLatency.recordValue(Math.max(0, shard.clock().nowMicros() - intended));
        }
    }
}
