package nl.kring.loadtest.gen;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The sessions of one generator event loop and the phases the generator drives them through: the
 * connect ramp (and the extras beyond capacity), the run (open send schedule, churn, storms, with its
 * warm-up and measured window), the drain of unanswered sends, the tail check of what each session
 * saw, and the close. Each {@link Session} does its own socket, join, sends and checks on this loop and
 * reports here what is counted over the shard. Control calls from the generator's main thread arrive
 * through {@code context.runOnContext}.
 */
final class Shard extends AbstractVerticle {

    private final Plan plan;
    private final Stats stats;
    private final EpochClock clock;
    private final List<Session> sessions = new ArrayList<>();
    private final List<Session> extras = new ArrayList<>();
    private final Handshake handshake;
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
    private int shortSessions;
    private Promise<Void> tailDone;

    Shard(Plan plan, Stats stats, EpochClock clock, HttpClient http, List<WebSocketClient> clients, int index) {
        this.plan = plan;
        this.stats = stats;
        this.clock = clock;
        this.handshake = new Handshake(plan, http, clients);
        this.random = new SplittableRandom(plan.scenario().seed() * 31 + plan.process() * 1009L + index);
        StringBuilder pad = new StringBuilder();
        String words = " een gewone zin over school, muziek, vrienden en het weer van vandaag";
        while (pad.length() < plan.scenario().bodyBytes()) {
            pad.append(words);
        }
        this.padding = pad.substring(0, plan.scenario().bodyBytes() - 17);
    }

    void add(int index, String token) {
        Session s = new Session(this, index, token);
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

    /** After the run: waits until every session has seen its room up to {@code expected}, or the time is up. */
    Future<Void> tail(long[] expected, long timeoutMs) {
        this.stopping = true;
        this.expected = expected;
        this.tailDone = Promise.promise();
        shortSessions = 0;
        for (Session s : sessions) {
            if (!s.dead && s.check.last() < expected[s.room]) {
                s.short_ = true;
                shortSessions++;
            }
        }
        if (shortSessions == 0) {
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

    // ---- what the sessions report and read (on this loop) -----------------------------------

    Plan plan() {
        return plan;
    }

    Stats stats() {
        return stats;
    }

    EpochClock clock() {
        return clock;
    }

    Handshake handshake() {
        return handshake;
    }

    /** The shard's one random source: the send schedule, churn, storms and the sessions' backoff draw from it in turn. */
    SplittableRandom random() {
        return random;
    }

    /** What follows the send time in a message body, to make it the scenario's {@code bodyBytes}. */
    String padding() {
        return padding;
    }

    void handshakeStarted() {
        handshakesInFlight++;
    }

    void handshakeEnded() {
        handshakesInFlight--;
    }

    /** A send was made; it counts as unanswered until {@link #answered()}. */
    void sendOpened() {
        unanswered++;
    }

    /** A send was acked, or refused for good. */
    void answered() {
        if (--unanswered == 0 && drainDone != null) {
            drainDone.tryComplete();
        }
    }

    /** Whether the run is over (tail check or close): sessions then reconnect only to catch up. */
    boolean stopping() {
        return stopping;
    }

    /** Whether {@code micros} (an intended send time) falls in the measured window, after the warm-up. */
    boolean measured(long micros) {
        return micros >= measureFrom && micros < measureTo;
    }

    /** During the tail check: the last acked seq of {@code room}. */
    long expected(int room) {
        return expected[room];
    }

    /** A session that was short in the tail check has now seen its room up to {@link #expected}. */
    void caughtUp() {
        if (--shortSessions == 0) {
            tailDone.tryComplete();
        }
    }
}
