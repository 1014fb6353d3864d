package nl.kring.loadtest.gen;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import nl.kring.websocket.WebSocketFootprint;

/**
 * The sessions of one generator event loop. Everything about a session happens on this loop:
 * its handshake, its frames, its sends, its reconnects. Control calls from the generator's main
 * thread arrive through {@code context.runOnContext}.
 */
final class Shard extends AbstractVerticle {

    private static final String MESSAGE = "{\"type\":\"message\"";
    private static final String REPLY = "{\"type\":\"reply\"";
    private static final String RESET = "{\"type\":\"reset\"";

    private final Plan plan;
    private final Stats stats;
    private final EpochClock clock;
    private final List<Session> sessions = new ArrayList<>();
    private final List<Session> extras = new ArrayList<>();
    private final HttpClient http;
    private final List<WebSocketClient> clients;
    private final SplittableRandom random;
    private final String padding;
    private int handshakesInFlight;
    /** Sends not yet answered (acked, or refused for good) over all sessions of this shard. */
    private long unanswered;
    /** Completed when {@link #unanswered} reaches zero after the run (see {@link #drained}). */
    private Promise<Void> drainDone;
    private boolean stopping;
    private long measureFrom = Long.MAX_VALUE;
    private long measureTo = Long.MAX_VALUE;
    /** During the tail check: sessions still short of their room's last acked seq. */
    private long[] expected;
    private int short_;
    private Promise<Void> tailDone;

    Shard(Plan plan, Stats stats, EpochClock clock, HttpClient http, List<WebSocketClient> clients, int index) {
        this.plan = plan;
        this.stats = stats;
        this.clock = clock;
        this.http = http;
        this.clients = clients;
        this.random = new SplittableRandom(plan.scenario().seed() * 31 + plan.process() * 1009L + index);
        StringBuilder pad = new StringBuilder();
        String words = " een gewone zin over school, muziek, vrienden en het weer van vandaag";
        while (pad.length() < plan.scenario().bodyBytes()) {
            pad.append(words);
        }
        this.padding = pad.substring(0, plan.scenario().bodyBytes() - 17);
    }

    void add(int index, String token) {
        Session s = new Session(index, plan.layout().roomOf(index), plan.layout().isSender(index), token);
        (plan.layout().isExtra(index) ? extras : sessions).add(s);
    }

    // ---- connect ramp ------------------------------------------------------------------------

    /**
     * How long a ramp waits, after its last session's first attempt, for sessions whose attempts
     * failed and are being retried; those not in by then are reported as not in.
     */
    static final long RAMP_GRACE_MS = 60_000;

    /**
     * Opens {@code which} at {@code perSecond}, never more than the scenario's handshakes in flight,
     * and ends when every session is in (after as many retries as it took) or dead (an extra that was
     * refused), or {@link #RAMP_GRACE_MS} after the last first attempt. {@code outcome} hears, once per
     * session, whether it got in. A failed attempt is not the end of a session's ramp: it retries with
     * backoff, and the ramp waits for it (before, a ramp ended when every first attempt had ended,
     * so it was reported done with sessions still retrying).
     */
    private Future<Void> ramp(List<Session> which, double perSecond, io.vertx.core.Handler<Boolean> outcome) {
        Promise<Void> done = Promise.promise();
        if (which.isEmpty()) {
            return Future.succeededFuture();
        }
        long start = System.nanoTime();
        int[] next = {0};
        int[] finished = {0};
        int cap = Math.max(1, plan.scenario().maxConnectsInFlight() / plan.shards());
        vertx.setPeriodic(1, 5, timer -> {
            long due = Math.min(which.size(), (long) ((System.nanoTime() - start) / 1e9 * perSecond) + 1);
            while (next[0] < due && handshakesInFlight < cap) {
                Session s = which.get(next[0]++);
                s.onFirstOutcome(ok -> {
                    outcome.handle(ok);
                    if (++finished[0] == which.size()) {
                        done.tryComplete();
                    }
                });
                s.connect(ok -> { });
            }
            if (next[0] == which.size()) {
                vertx.cancelTimer(timer);
                vertx.setTimer(RAMP_GRACE_MS, t -> done.tryComplete());
            }
        });
        return done.future();
    }

    /** Connects the scenario's sessions, counting those that got in. */
    Future<Void> rampSessions(double perSecond, java.util.concurrent.atomic.LongAdder in) {
        return ramp(sessions, perSecond, ok -> {
            if (ok) {
                in.increment();
            }
        });
    }

    /**
     * Connects the sessions beyond capacity, counting how many of them were accepted and refused
     * (not the generator's failures meanwhile: a ramp session retrying is not one of them).
     */
    Future<Void> rampExtras(double perSecond, java.util.concurrent.atomic.LongAdder accepted,
                            java.util.concurrent.atomic.LongAdder refused) {
        return ramp(extras, perSecond, ok -> (ok ? accepted : refused).increment());
    }

    // ---- the run -----------------------------------------------------------------------------

    /** Sends on the open schedule from {@code startMicros}, with churn and storms, until the run ends. */
    void run(long startMicros) {
        Scenario sc = plan.scenario();
        measureFrom = startMicros + sc.warmupSeconds() * 1_000_000L;
        measureTo = measureFrom + sc.durationSeconds() * 1_000_000L;
        long end = measureTo;
        List<Session> senders = sessions.stream().filter(s -> s.sender).toList();
        if (sc.messagesPerSecond() > 0 && !senders.isEmpty()) {
            double meanIntervalMicros = sc.senders() * 1e6 / sc.messagesPerSecond();
            PriorityQueue<Session> queue = new PriorityQueue<>(Comparator.comparingLong(s -> s.nextSend));
            for (Session s : senders) {
                s.nextSend = startMicros + (long) (random.nextDouble() * meanIntervalMicros);
                queue.add(s);
            }
            boolean poisson = sc.arrivals().equals("poisson");
            vertx.setPeriodic(1, timer -> {
                long now = Math.min(clock.nowMicros(), end);
                while (!queue.isEmpty() && queue.peek().nextSend <= now) {
                    Session s = queue.poll();
                    s.send(s.nextSend);
                    s.nextSend += poisson ? (long) (-Math.log(1 - random.nextDouble()) * meanIntervalMicros) : (long) meanIntervalMicros;
                    if (s.nextSend < end) {
                        queue.add(s);
                    }
                }
                if (queue.isEmpty() || now >= end) {
                    vertx.cancelTimer(timer);
                }
            });
        }
        double churn = sc.churnPerSecond() / plan.totalShards();
        if (churn > 0) {
            long periodMs = Math.max(1, (long) (1000 / churn));
            long perTick = Math.max(1, Math.round(churn * periodMs / 1000));
            vertx.setPeriodic(periodMs, timer -> {
                if (clock.nowMicros() >= end || stopping) {
                    vertx.cancelTimer(timer);
                    return;
                }
                for (int i = 0; i < perTick; i++) {
                    sessions.get(random.nextInt(sessions.size())).drop(1000);
                }
            });
        }
        for (Scenario.Storm storm : sc.storms()) {
            long at = startMicros + storm.atSecond() * 1_000_000L;
            vertx.setTimer(Math.max(1, (at - clock.nowMicros()) / 1000), t -> {
                long now = clock.nowMicros();
                for (Session s : sessions) {
                    if (random.nextDouble() < storm.fraction() && s.drop(1001)) {
                        s.stormAt = now;
                        stats.stormDropped.increment();
                    }
                }
            });
        }
    }

    /** Sends not yet answered. */
    long unanswered() {
        return unanswered;
    }

    /** Completes when every send of this shard has been answered, or after {@code timeoutMs}. */
    Future<Void> drained(long timeoutMs) {
        drainDone = Promise.promise();
        if (unanswered == 0) {
            drainDone.tryComplete();
        }
        vertx.setTimer(timeoutMs, t -> drainDone.tryComplete());
        return drainDone.future();
    }

    private void answered() {
        if (--unanswered == 0 && drainDone != null) {
            drainDone.tryComplete();
        }
    }

    /** After the run: waits until every session has seen its room up to {@code expected}, or the time is up. */
    Future<Void> tail(long[] expected, long timeoutMs) {
        this.stopping = true;
        this.expected = expected;
        this.tailDone = Promise.promise();
        short_ = 0;
        for (Session s : sessions) {
            if (!s.dead && s.check.last() < expected[s.room]) {
                s.short_ = true;
                short_++;
            }
        }
        if (short_ == 0) {
            tailDone.tryComplete();
        }
        vertx.setTimer(timeoutMs, t -> tailDone.tryComplete());
        // Sessions that dropped near the end still reconnect to catch up.
        for (Session s : sessions) {
            if (s.short_ && s.ws == null && !s.connecting && !s.dead) {
                s.connect(ok -> { });
            }
        }
        return tailDone.future();
    }

    /** Sum of every session's stream check, and the messages still missing at the end. */
    long[] totals() {
        long[] t = new long[6];
        for (Session s : sessions) {
            t[0] += s.check.seen;
            t[1] += s.check.lost;
            t[2] += s.check.duplicated;
            t[3] += s.check.disordered;
            t[4] += s.check.resets;
            if (expected != null && !s.dead && s.check.last() < expected[s.room]) {
                t[5] += expected[s.room] - Math.max(0, s.check.last());
            }
        }
        return t;
    }

    void closeAll() {
        stopping = true;
        for (Session s : sessions) {
            if (s.ws != null) {
                s.ws.close((short) 1000);
            }
        }
    }

    io.vertx.core.Context ctx() {
        return context;
    }

    // ---- one session -------------------------------------------------------------------------

    final class Session {
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
        boolean short_;
        boolean everConnected;
        /** The ramp's wait for this session's first outcome, until it is in (or given up). */
        io.vertx.core.Handler<Boolean> firstOutcome;
        /** When a storm dropped this session (µs), until it is back in its room; 0 otherwise. */
        long stormAt;
        long nextSend;
        long counter;
        int failures;

        Session(int index, int room, boolean sender, String token) {
            this.index = index;
            this.room = room;
            this.sender = sender;
            this.token = token;
        }

        /** Ticket (Kring) and upgrade within the handshake timeout; {@code done} hears whether it worked. */
        void connect(io.vertx.core.Handler<Boolean> done) {
            connecting = true;
            handshakesInFlight++;
            long t0 = System.nanoTime();
            boolean[] over = {false};
            long timeout = vertx.setTimer(plan.scenario().handshakeTimeoutMs(), t -> {
                over[0] = true;
                finish(false, "timeout", done);
            });
            ticket().compose(ticket -> clients.get(index % clients.size()).connect(new WebSocketConnectOptions()
                            .setHost(plan.host()).setPort(plan.port(index)).setURI(ticket == null ? "/ws" : "/ws?ticket=" + ticket)))
                    .onComplete(ar -> {
                        if (over[0]) {
                            if (ar.succeeded()) {
                                ar.result().close();
                            }
                            return;
                        }
                        vertx.cancelTimer(timeout);
                        if (ar.failed()) {
                            finish(false, reason(ar.cause()), done);
                            return;
                        }
                        if (!everConnected) {
                            // The ramp's handshakes only: reconnects (churn, storms) are reported on their own.
                            stats.connectLatency.recordValue((System.nanoTime() - t0) / 1000);
                        }
                        attach(ar.result());
                        finish(true, null, done);
                    });
        }

        private void finish(boolean ok, String failure, io.vertx.core.Handler<Boolean> done) {
            connecting = false;
            handshakesInFlight--;
            if (ok) {
                stats.connectsOk.increment();
                if (everConnected) {
                    stats.reconnects.increment();
                }
                everConnected = true;
                failures = 0;
            } else {
                Stats.count(stats.connectFailures, failure);
                if (plan.layout().isExtra(index)) {
                    dead = true;
                } else {
                    retryLater();
                }
            }
            if ((ok || dead) && firstOutcome != null) {
                io.vertx.core.Handler<Boolean> first = firstOutcome;
                firstOutcome = null;
                first.handle(ok);
            }
            done.handle(ok);
        }

        /** {@code handler} hears once whether this session got in: when a connect works, or when it is given up (an extra refused). */
        void onFirstOutcome(io.vertx.core.Handler<Boolean> handler) {
            firstOutcome = handler;
        }

        private Future<String> ticket() {
            if (token == null) {
                return Future.succeededFuture(null);
            }
            return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(plan.host()).setPort(plan.port(index))
                            .setURI("/api/v1/ws-ticket").putHeader("Authorization", "Bearer " + token))
                    .compose(req -> req.send().compose(resp -> resp.body().compose(body -> resp.statusCode() == 200
                            ? Future.succeededFuture(Frames.stringAfter(body.toString(), "\"ticket\":\""))
                            : Future.failedFuture(new IllegalStateException("ticket-http-" + resp.statusCode())))));
        }

        private void attach(WebSocket socket) {
            // A session is written from its shard's event loop only: Vert.x's hand-over queues and the HTTP
            // connection of the upgrade (about 10 KiB a session) are let go, as the server does.
            WebSocketFootprint.trim(socket);
            ws = socket;
            joined = false;
            stats.sessionUp();
            socket.textMessageHandler(this::frame);
            socket.closeHandler(v -> closed(socket.closeStatusCode()));
            socket.exceptionHandler(e -> { });
            join();
        }

        /** Joins the room, resuming after the last seq seen when there is one. */
        private void join() {
            ws.writeTextMessage(check.started()
                    ? "{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + plan.roomId(room) + "\",\"since\":{\"epoch\":" + check.epoch()
                    + ",\"seq\":" + check.last() + "}}"
                    : "{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + plan.roomId(room) + "\"}");
        }

        /**
         * After {@code unavailable} or {@code rate_limited}: the same request again on the same socket, after
         * the server's retryAfterMs doubled for each refusal in a row this session has had (up to 16 times),
         * as the web client does. With a fixed wait, 19,000 sessions kept an overloaded server refusing.
         */
        private void retry(String text, Runnable again) {
            long wait = Math.max(1, Frames.numberAfter(text, "\"retryAfterMs\":")) << Math.min(refusals++, 4);
            WebSocket socket = ws;
            vertx.setTimer(wait, t -> {
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
            stats.held.decrementAndGet();
            Stats.count(stats.closes, code == null ? "none" : Short.toString(code));
            if (dropping) {
                dropping = false;
                connect(ok -> { });
                return;
            }
            if (code != null && (code == 4500 || code == 4501 || code == 4503)) {
                dead = true;
                return;
            }
            if (!stopping || short_) {
                retryLater();
            }
        }

        /** Full-jitter backoff, as the browser client does (capped lower: this is a test). */
        private void retryLater() {
            failures++;
            long cap = Math.min(5000, 100L << Math.min(failures, 6));
            vertx.setTimer(1 + random.nextLong(cap), t -> {
                if (ws == null && !connecting && !dead && (!stopping || short_)) {
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

        void send(long intended) {
            long n = ++counter;
            unacked.put(n, intended);
            unanswered++;
            stats.sent.increment();
            if (joined) {
                write(n, intended);
            }
        }

        private void write(long n, long intended) {
            ws.writeTextMessage("{\"type\":\"send\",\"id\":\"s" + n + "\",\"room\":\"" + plan.roomId(room)
                    + "\",\"clientMsgId\":\"" + plan.runTag() + "-" + index + "-" + n + "\",\"body\":\"" + intended + padding + "\"}");
        }

        private void frame(String text) {
            if (text.startsWith(MESSAGE)) {
                long seq = Frames.numberAfter(text, "\"seq\":");
                check.message(seq);
                long stamp = Frames.numberAfter(text, "\"body\":\"");
                long now = clock.nowMicros();
                stats.delivered.increment();
                if (stamp >= measureFrom && stamp < measureTo) {
                    long latency = Math.max(0, now - stamp);
                    stats.deliveredMeasured.increment();
                    stats.deliveryLatency.recordValue(latency);
                    stats.deliveryPerSecond.recordValue(latency);
                    if (plan.layout().membersOf(room) >= plan.scenario().trackLastMemberMin()) {
                        stats.lastMember.merge(((long) room << 32) | seq, latency, Math::max);
                    }
                }
                if (short_ && check.last() >= expected[room]) {
                    short_ = false;
                    if (--Shard.this.short_ == 0) {
                        tailDone.tryComplete();
                    }
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
                    Stats.count(stats.replyErrors, "join:" + code);
                    if (retryable(code)) {
                        retry(text, this::join);
                    }
                    return;
                }
                check.joined((int) Frames.numberAfter(text, "\"epoch\":"), Frames.numberAfter(text, "\"lastSeq\":"));
                joined = true;
                if (stormAt > 0) {
                    stats.stormRejoinLatency.recordValue(Math.max(0, clock.nowMicros() - stormAt));
                    stats.stormRejoined.increment();
                    stormAt = 0;
                }
                // Sent again with the same clientMsgId: what was in flight when the socket dropped, and what waited.
                for (Map.Entry<Long, Long> e : unacked.entrySet()) {
                    write(e.getKey(), e.getValue());
                    stats.resent.increment();
                }
                return;
            }
            if (id == null || id.charAt(0) != 's') {
                return;
            }
            long n = Long.parseLong(id.substring(1));
            if (!ok) {
                String code = Frames.stringAfter(text, "\"code\":\"");
                Stats.count(stats.replyErrors, "send:" + code);
                if (retryable(code)) {
                    retry(text, () -> {
                        Long intended = unacked.get(n);
                        if (intended != null && joined) {
                            write(n, intended);
                        }
                    });
                } else if (unacked.remove(n) != null) {
                    answered();
                }
                return;
            }
            Long intended = unacked.remove(n);
            if (intended == null) {
                return;
            }
            answered();
            stats.acked.increment();
            long seq = Frames.numberAfter(text, "\"seq\":");
            if (seq > 0) {
                stats.acked(room, seq);
            } else {
                Stats.count(stats.replyErrors, "send:held");
            }
            if (intended >= measureFrom && intended < measureTo) {
                stats.ackedMeasured.increment();
                stats.ackLatency.recordValue(Math.max(0, clock.nowMicros() - intended));
            }
        }
    }

    private static String reason(Throwable t) {
        if (t instanceof UpgradeRejectedException u) {
            return "http-" + u.getStatus();
        }
        String m = t.getMessage();
        if (m != null && m.startsWith("ticket-http-")) {
            return m;
        }
        if (m != null && m.contains("getStatus: ")) {
            // Netty's handshake failure names the status the server answered with.
            return "http-" + m.substring(m.indexOf("getStatus: ") + 11).split(" ")[0];
        }
        return t.getClass().getSimpleName();
    }
}
