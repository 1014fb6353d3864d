package nl.kring.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import nl.kring.server.protocol.CloseCode;

/** {@link KringMetrics} on a Micrometer registry (exported as Prometheus text). Thread-safe. */
public final class MicrometerKringMetrics implements KringMetrics {

    private final MeterRegistry registry;
    private final Counter sessionsOpened;
    private final Map<RefusalReason, Counter> refused = new EnumMap<>(RefusalReason.class);
    private final Map<CloseCode, Counter> closes = new EnumMap<>(CloseCode.class);
    private final Map<SendResult, Counter> sends = new EnumMap<>(SendResult.class);
    private final Timer ackLatency;
    private final Map<String, Counter> modActions = new java.util.HashMap<>();
    private final Timer firstAction;
    private final Timer resolution;
    private final Timer imminentSeen;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;
    private final Timer statementDuration;
    private final Counter deliveries;
    private final Map<AccountEvent, Counter> accountEvents = new EnumMap<>(AccountEvent.class);
    private final Map<String, Counter> findings = new java.util.HashMap<>();
    private final Map<String, Counter> actions = new java.util.HashMap<>();
    private final Map<String, Counter> prompts = new java.util.HashMap<>();
    private final Map<String, Counter> holds = new java.util.HashMap<>();
    private final Counter alerts;
    private final Map<String, Counter> queueExits = new java.util.HashMap<>();
    private final Timer spreekuurWait;
    private final Map<String, Counter> vraagbaakClosed = new java.util.HashMap<>();
    private final Timer vraagbaakPublishWait;
    private final Timer spreekuurTalk;
    private final Counter transfers;
    private final DistributionSummary feedback;
    private final Counter alertsUnseen;
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> notices = new java.util.concurrent.ConcurrentHashMap<>();
    private final Timer crossNode;
    private final Counter catchUps;

    public MicrometerKringMetrics(MeterRegistry registry) {
        this.registry = registry;
        sessionsOpened = Counter.builder(MetricNames.SESSIONS_OPENED)
                .description("WebSocket sessions opened after a successful upgrade").register(registry);
        for (RefusalReason r : RefusalReason.values()) {
            refused.put(r, Counter.builder(MetricNames.UPGRADES_REFUSED).tag("reason", r.tag)
                    .description("WebSocket upgrades refused, by reason").register(registry));
        }
        for (CloseCode c : CloseCode.values()) {
            closes.put(c, Counter.builder(MetricNames.CLOSES).tag("code", Integer.toString(c.code()))
                    .description("WebSocket sessions closed, by close code").register(registry));
        }
        for (SendResult s : SendResult.values()) {
            sends.put(s, Counter.builder(MetricNames.SENDS).tag("result", s.tag)
                    .description("send requests by outcome").register(registry));
        }
        ackLatency = latency(MetricNames.ACK_LATENCY, "from a send frame's arrival to its durable ack");
        batchSize = DistributionSummary.builder(MetricNames.BATCH_SIZE)
                .description("messages committed together in one group commit")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                .register(registry);
        batchDuration = latency(MetricNames.BATCH_DURATION, "one group commit from start to published, including the WAL flush");
        statementDuration = latency(MetricNames.STATEMENT_DURATION, "one batch statement's round trip to PostgreSQL, before publishing");
        deliveries = Counter.builder(MetricNames.DELIVERIES)
                .description("message events written to sockets").register(registry);
        for (AccountEvent e : AccountEvent.values()) {
            Counter.Builder builder = Counter.builder(e.meter).description(switch (e.meter) {
                case MetricNames.LOGINS -> "staff sign-ins by outcome";
                case MetricNames.SIGNUPS -> "member sign-ups with an invite code, by outcome";
                case MetricNames.ACCOUNTS_ENDED -> "accounts ended: members banned or erased, staff disabled";
                default -> "views of a staff member's real identity (each also in the audit table)";
            });
            if (e.tagKey != null) {
                builder.tag(e.tagKey, e.tagValue);
            }
            accountEvents.put(e, builder.register(registry));
        }
        for (nl.kring.moderation.RiskCategory c : nl.kring.moderation.RiskCategory.values()) {
            String tag = c.wireName();
            findings.put(tag, Counter.builder(MetricNames.CHATSAFE_FINDINGS).tag("category", tag)
                    .description("#chatsafe findings in sent messages, by category").register(registry));
            prompts.put(tag, Counter.builder(MetricNames.CHATSAFE_PROMPTS).tag("category", tag)
                    .description("supportive prompts shown to authors, by category").register(registry));
            holds.put(tag, Counter.builder(MetricNames.CHATSAFE_HOLDS).tag("category", tag)
                    .description("messages held for a moderator, by their most serious category").register(registry));
        }
        for (nl.kring.moderation.Action a : nl.kring.moderation.Action.values()) {
            actions.put(a.wireName(), Counter.builder(MetricNames.CHATSAFE_ACTIONS).tag("action", a.wireName())
                    .description("#chatsafe actions taken on sent messages").register(registry));
        }
        for (String a : new String[] {"claim", "release", "remove", "warn", "mute", "ban", "escalate", "dismiss"}) {
            modActions.put(a, Counter.builder(MetricNames.MOD_ACTIONS).description("moderator actions on queue items")
                    .tag("action", a).register(registry));
        }
        firstAction = humanWait(MetricNames.MOD_FIRST_ACTION, "from a queue item's creation to the first human claim or action");
        resolution = humanWait(MetricNames.MOD_RESOLUTION, "from a queue item's creation to its resolution");
        imminentSeen = humanWait(MetricNames.MOD_IMMINENT_SEEN, "from an imminent-risk item's creation to the first human claim or action");
        for (String outcome : new String[] {"taken", "left", "closed"}) {
            queueExits.put(outcome, Counter.builder(MetricNames.SPREEKUUR_QUEUE_EXITS).tag("outcome", outcome)
                    .description("members who left a one-to-one queue: taken by a host, left themselves, or closed by the session's end")
                    .register(registry));
        }
        for (String outcome : new String[] {"published", "returned", "rejected"}) {
            vraagbaakClosed.put(outcome, Counter.builder(MetricNames.VRAAGBAAK_CLOSED).tag("outcome", outcome)
                    .description("VraagBaak questions that left the editors' hands: published, returned to the asker, or rejected")
                    .register(registry));
        }
        // days, not minutes: a question waits for an answerer and an editor
        vraagbaakPublishWait = Timer.builder(MetricNames.VRAAGBAAK_PUBLISH_WAIT)
                .description("from asking a VraagBaak question to publishing it")
                .serviceLevelObjectives(Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(12), Duration.ofDays(1),
                        Duration.ofDays(2), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(30))
                .register(registry);
        spreekuurWait = humanWait(MetricNames.SPREEKUUR_WAIT, "from asking for a one-to-one talk to a host taking it");
        spreekuurTalk = humanWait(MetricNames.SPREEKUUR_TALK, "length of a one-to-one talk");
        transfers = Counter.builder(MetricNames.SPREEKUUR_TRANSFERS).description("one-to-one talks handed to another host")
                .register(registry);
        feedback = DistributionSummary.builder(MetricNames.SPREEKUUR_FEEDBACK)
                .description("feedback scores after one-to-one talks (0 to 10)")
                .serviceLevelObjectives(0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10) // one bucket per whole score
                .register(registry);
        alerts = Counter.builder(MetricNames.CHATSAFE_ALERTS).description("imminent-risk alerts to staff").register(registry);
        alertsUnseen = Counter.builder(MetricNames.CHATSAFE_ALERTS_UNSEEN)
                .description("imminent-risk alerts that reached no connected staff member").register(registry);
        catchUps = Counter.builder(MetricNames.CLUSTER_CATCH_UPS)
                .description("rooms read from PostgreSQL because another node's publish never arrived here").register(registry);
        crossNode = latency(MetricNames.CLUSTER_LATENCY, "from a batch's commit on one node to its arrival on another (wall clocks)");
    }

    /** A latency histogram with buckets from 1 ms to 5 s, exported for Prometheus' histogram_quantile. */
    private Timer latency(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    @Override
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    @Override
    public void gauge(String name, String description, String tagKey, String tagValue, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag(tagKey, tagValue).register(registry);
    }

    @Override
    public void moderationAction(String action) {
        increment(modActions, action);
    }

    @Override
    public void moderationFirstAction(Duration wait, boolean imminent) {
        firstAction.record(wait);
        if (imminent) {
            imminentSeen.record(wait);
        }
    }

    @Override
    public void moderationResolved(Duration wait) {
        resolution.record(wait);
    }

    @Override
    public void spreekuurQueueExit(String outcome, Duration waited) {
        increment(queueExits, outcome);
        if ("taken".equals(outcome)) {
            spreekuurWait.record(waited);
        }
    }

    @Override
    public void vraagbaakClosed(String outcome, Duration sinceAsked) {
        increment(vraagbaakClosed, outcome);
        if ("published".equals(outcome)) {
            vraagbaakPublishWait.record(sinceAsked);
        }
    }

    @Override
    public void spreekuurTalkEnded(Duration length) {
        spreekuurTalk.record(length);
    }

    @Override
    public void spreekuurTransfer() {
        transfers.increment();
    }

    @Override
    public void spreekuurFeedback(int score) {
        feedback.record(score);
    }

    @Override
    public void clusterNotice(String kind, boolean sent) {
        // kinds are the bounded Notice names plus "messages"
        notices.computeIfAbsent(kind + (sent ? ">" : "<"), k -> Counter.builder(MetricNames.CLUSTER_NOTICES)
                .tag("kind", kind).tag("direction", sent ? "sent" : "received")
                .description("notices and message batches sent to and received from other nodes").register(registry)).increment();
    }

    @Override
    public void clusterCatchUp(int rooms) {
        catchUps.increment(rooms);
    }

    @Override
    public void crossNodeLatency(long millis) {
        crossNode.record(Math.max(0, millis), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** A human-scale wait (seconds to a day), exported as a Prometheus histogram. */
    private Timer humanWait(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
                        Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(24))
                .register(registry);
    }

    @Override
    public void upgradeRefused(RefusalReason reason) {
        refused.get(reason).increment();
    }

    @Override
    public void sessionOpened() {
        sessionsOpened.increment();
    }

    @Override
    public void sessionClosed(CloseCode code) {
        closes.get(code).increment();
    }

    @Override
    public void sendOutcome(SendResult result) {
        sends.get(result).increment();
    }

    @Override
    public void ackLatency(long nanos) {
        ackLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void batchCommitted(int messages, long nanos) {
        batchSize.record(messages);
        batchDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void statementCompleted(long nanos) {
        statementDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void delivered(long count) {
        deliveries.increment(count);
    }

    @Override
    public void accountEvent(AccountEvent event) {
        accountEvents.get(event).increment();
    }

    @Override
    public void chatsafeFinding(String category) {
        increment(findings, category);
    }

    @Override
    public void chatsafeAction(String action) {
        increment(actions, action);
    }

    @Override
    public void chatsafePrompt(String category) {
        increment(prompts, category);
    }

    @Override
    public void chatsafeHeld(String category) {
        increment(holds, category);
    }

    @Override
    public void chatsafeAlert(int staffSockets) {
        alerts.increment();
        if (staffSockets == 0) {
            alertsUnseen.increment();
        }
    }

    private static void increment(Map<String, Counter> counters, String tag) {
        Counter c = counters.get(tag);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public int poolInUse(String poolName) {
        double inUse = 0;
        for (io.micrometer.core.instrument.Meter m : registry.getMeters()) {
            if (m.getId().getName().replace('_', '.').endsWith("pool.in.use") && poolName.equals(m.getId().getTag("pool_name"))) {
                for (io.micrometer.core.instrument.Measurement value : m.measure()) {
                    inUse += value.getValue();
                }
            }
        }
        return (int) inUse;
    }
}
