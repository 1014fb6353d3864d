package nl.kring.server.safety;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.kring.moderation.Action;
import nl.kring.moderation.Policy;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.chatsafe.Classifier;
import nl.kring.moderation.chatsafe.Finding;
import nl.kring.moderation.help.HelpDirectory;
import nl.kring.moderation.help.HelpResource;
import nl.kring.moderation.help.OpeningHours;
import nl.kring.moderation.help.Prompts;
import nl.kring.moderation.queue.Fallback;
import nl.kring.server.shared.Principal;
import nl.kring.server.communities.Community;
import nl.kring.server.communities.CommunityRepository;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * #chatsafe on the server: each community's classifier, policy and help directory (cached,
 * dropped when an admin changes them), the decision for a message, holding it and asking for a
 * review (stored by the moderation queue through {@link QueueIntake}), the author's prompt with
 * the help that is open now, and alerting staff. Thread-safe. Classification runs
 * on the caller's event loop (about 14 µs per message, docs/benchmarks.md).
 */
public final class SafetyService {

    private static final Logger log = LoggerFactory.getLogger(SafetyService.class);

    static final String HELP_FOR = """
            SELECT id, title, description, phone, url, hours, crisis FROM help_resources
            WHERE (community_id = $1 OR community_id IS NULL) AND removed_at IS NULL ORDER BY id""";
    /** Says something to the staff of a community (implemented by the gateway's session registry). */
    public interface StaffAlerter {
        /** Sends the event to every connected moderator, professional and admin of the community; how many sockets got it. */
        int alert(long communityId, String json);
    }

    private final Database db;
    private final CommunityRepository communities;
    private final KringMetrics metrics;
    private final Classifier builtIn = Classifier.builtIn();
    private final Clock clock;
    private final LoadingCache<Long, Future<CommunitySafety>> cache;
    private volatile StaffAlerter alerter = (community, json) -> 0;
    private volatile QueueIntake queue = QueueIntake.NONE;

    public SafetyService(Database db, CommunityRepository communities, KringMetrics metrics, Clock clock) {
        this.db = db;
        this.communities = communities;
        this.metrics = metrics;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build(this::load);
    }

    public void onAlert(StaffAlerter alerter) {
        this.alerter = alerter;
    }

    /** Where holds and review items go: the moderation queue, which sets itself here when it is built. */
    public void queueTo(QueueIntake queue) {
        this.queue = queue;
    }

    /** A community's set-up; a failed load is not kept, so the next message tries again. */
    public Future<CommunitySafety> forCommunity(long communityId) {
        Future<CommunitySafety> f = cache.get(communityId);
        if (f.failed()) {
            cache.invalidate(communityId);
            f = cache.get(communityId);
        }
        return f;
    }

    /** Forget a community's set-up (its policy or help directory changed). */
    public void invalidate(long communityId) {
        cache.invalidate(communityId);
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }

    private Future<CommunitySafety> load(long communityId) {
        Future<Optional<Community>> community = communities.byId(communityId);
        Future<List<HelpResource>> help = db.pool().preparedQuery(HELP_FOR).execute(Tuple.of(communityId)).map(rows -> {
            List<HelpResource> out = new ArrayList<>();
            for (Row r : rows) {
                try {
                    out.add(new HelpResource(Long.toString(r.getLong("id")), r.getString("title"), r.getString("description"),
                            r.getString("phone"), r.getString("url"), OpeningHours.parse(r.getString("hours")), r.getBoolean("crisis")));
                } catch (IllegalArgumentException e) {
                    log.warn("help resource skipped, bad hours [id: {}]", r.getLong("id"));
                }
            }
            return out;
        });
        return Future.all(community, help).map(v -> {
            Community found = community.result().orElse(null);
            JsonObject p = found == null ? new JsonObject() : found.policy();
            String slug = found == null ? "community" : found.slug();
            Classifier classifier;
            Policy pol;
            Fallback fallback;
            try {
                classifier = SafetySettings.classifier(builtIn, p, slug);
                pol = SafetySettings.policy(p);
                fallback = SafetySettings.fallback(p);
            } catch (IllegalArgumentException e) {
                // Settings are validated when saved; if older ones are bad, the defaults still protect.
                log.error("community chatsafe settings unusable, defaults used [community: {}]", communityId);
                classifier = builtIn;
                pol = Policy.defaults();
                fallback = Fallback.DEFAULTS;
            }
            return new CommunitySafety(classifier, pol, new HelpDirectory(help.result()), fallback);
        }).recover(t -> Future.failedFuture(db.failure(t)));
    }

    /**
     * The classification and the actions for a message in a community. {@code unmoderated}: no
     * moderator is on duty, and the community's fallback holds every flagged message.
     */
    public Decision decide(CommunitySafety cs, String body, boolean unmoderated) {
        return decide(cs, body, unmoderated, false);
    }

    /**
     * As {@link #decide(CommunitySafety, String, boolean)}; a message by staff (a moderator,
     * professional, peer expert or admin) is classified and counted for the figures but always
     * delivered, without prompt or review: staff are never silenced, least of all when they answer
     * a member at risk.
     */
    public Decision decide(CommunitySafety cs, String body, boolean unmoderated, boolean byStaff) {
        Classification c = cs.classifier().classify(body);
        Set<Action> actions = byStaff ? EnumSet.of(Action.DELIVER) : cs.policy().decide(c);
        if (unmoderated && !byStaff) {
            actions = cs.fallback().apply(c, actions);
        }
        for (Finding f : c.findings()) {
            metrics.chatsafeFinding(f.category().wireName());
        }
        for (Action a : actions) {
            metrics.chatsafeAction(a.wireName());
        }
        return new Decision(c, actions);
    }

    /**
     * The compose-time check's answer: what would happen to this text, the prompt to show before
     * sending, a content-warning suggestion for a heavy message without one, and responder
     * guidance when the reply is to a message whose author shared something heavy. No side
     * effect: nothing is stored or counted.
     */
    public JsonObject check(CommunitySafety cs, String body, boolean cw, boolean replyToCare) {
        Classification c = cs.classifier().classify(body);
        Set<Action> actions = cs.policy().decide(c);
        JsonArray names = new JsonArray();
        actions.forEach(a -> names.add(a.wireName()));
        JsonObject data = new JsonObject().put("category", c.category().wireName()).put("severity", c.severity().wireName())
                .put("actions", names);
        JsonObject prompt = c.category() != RiskCategory.NONE ? promptJson(cs, c.category())
                : actions.contains(Action.PROMPT) ? promptJson(cs, promptCategory(c)) : null;
        if (prompt != null) {
            data.put("prompt", prompt);
        }
        boolean heavy = c.category() == RiskCategory.SUICIDAL_IDEATION || c.category() == RiskCategory.SELF_HARM;
        if (heavy && !cw && !actions.contains(Action.HOLD)) {
            data.put("contentWarning", Prompts.CONTENT_WARNING);
        }
        if (replyToCare) {
            data.put("responderGuidance", Prompts.RESPONDER);
        }
        return data;
    }

    /**
     * Records that an author was shown a prompt with a delivered message (for the anonymised
     * figures: prompts by category). Not in the group commit (prompts are rare; a column there
     * slowed every batch) and never failing: a figure lost to a database hiccup must not fail a
     * message that is already durable.
     */
    public Future<Void> promptShown(long roomId, long authorId, String category) {
        return db.pool().preparedQuery("INSERT INTO chatsafe_prompts (room_id, author_id, category) VALUES ($1, $2, $3)")
                .execute(io.vertx.sqlclient.Tuple.of(roomId, authorId, category))
                .<Void>mapEmpty()
                .recover(t -> {
                    log.warn("recording a prompt failed: {}", t.getMessage());
                    return Future.succeededFuture();
                });
    }

    /** The classification of a message without acting on it (the triage of a reported message). */
    public Classification classify(CommunitySafety cs, String body) {
        return cs.classifier().classify(body);
    }

    /**
     * The author's prompt: kind words for the category and every helpline open now. A held
     * message always gets one: when its category has no prompt of its own, the words say that a
     * moderator looks first.
     */
    public JsonObject prompt(CommunitySafety cs, RiskCategory category, boolean held) {
        JsonObject prompt = promptJson(cs, category);
        if (prompt == null && held) {
            prompt = new JsonObject().put("category", category.wireName()).put("text", Prompts.HELD_FOR_REVIEW)
                    .put("resources", openNow(cs.help()));
        }
        if (prompt != null) {
            metrics.chatsafePrompt(category.wireName());
        }
        return prompt;
    }

    private JsonObject promptJson(CommunitySafety cs, RiskCategory category) {
        String text = Prompts.forAuthor(category);
        return text == null ? null
                : new JsonObject().put("category", category.wireName()).put("text", text).put("resources", openNow(cs.help()));
    }

    /**
     * The category whose words the author's prompt uses: the most serious finding's, or for a
     * message the model was only unsure about, the most serious uncertain finding's (a gentle
     * prompt where the policy gives one).
     */
    public static RiskCategory promptCategory(Classification c) {
        if (c.category() != RiskCategory.NONE) {
            return c.category();
        }
        Finding unsure = c.topUncertain();
        return unsure == null ? RiskCategory.NONE : unsure.category();
    }

    /**
     * Puts a delivered message the model was unsure about in the queue (low priority; high for
     * imminent risk, medium for method detail: {@code Triage.ofReview}), with why; tells the
     * queue's staff. Never fails the send: the message is durable already.
     */
    public Future<Void> review(long roomId, long communityId, long authorId, long seq, Classification c) {
        if (c.topUncertain() == null) {
            return Future.succeededFuture();
        }
        return queue.review(roomId, communityId, authorId, seq, c)
                .<Void>map(created -> {
                    for (long item : created) {
                        queue.created(item, communityId);
                    }
                    return null;
                })
                .recover(t -> {
                    log.warn("queueing a message for review failed [room: {}, seq: {}]: {}", roomId, seq, t.getMessage());
                    return Future.succeededFuture();
                });
    }

    /** The help that is open now, as the protocol's {@code resources} list. */
    public JsonArray openNow(HelpDirectory help) {
        JsonArray out = new JsonArray();
        for (HelpResource r : help.openAt(clock.instant())) {
            out.add(resourceJson(r, true));
        }
        return out;
    }

    /** A help resource as the API and the prompts show it. */
    public static JsonObject resourceJson(HelpResource r, boolean open) {
        JsonObject json = new JsonObject().put("id", r.id()).put("name", r.name()).put("description", r.description())
                .put("hours", r.hours().toString()).put("crisis", r.crisis()).put("open", open);
        if (r.phone() != null) {
            json.put("phone", r.phone());
        }
        if (r.url() != null) {
            json.put("url", r.url());
        }
        return json;
    }

    /**
     * Stores a held message (idempotent on author and clientMsgId) with its moderation queue item
     * ({@link QueueIntake#hold}) and, for an alert, tells the community's staff at once.
     */
    public Future<Held> hold(long roomId, long communityId, Principal author, String clientMsgId, String body, boolean cw,
                             Decision d) {
        boolean alert = d.actions().contains(Action.ALERT);
        Classification c = d.classification();
        return queue.hold(roomId, communityId, author.userId(), clientMsgId, body, cw, c, alert)
                .map(stored -> {
                    long id = stored.heldId();
                    Held result = new Held(id, stored.releasedSeq());
                    if (!stored.repeated()) {
                        metrics.chatsafeHeld(c.category().wireName());
                        Long item = stored.itemId();
                        if (alert) {
                            int reached = alerter.alert(communityId, new JsonObject().put("type", "alert")
                                    .put("held", Long.toString(id)).put("item", item == null ? null : Long.toString(item))
                                    .put("room", Long.toString(roomId))
                                    .put("category", c.category().wireName()).put("severity", c.severity().wireName())
                                    .put("author", new JsonObject().put("id", author.publicId()).put("pseudonym", author.name()))
                                    .put("ts", clock.instant().toString()).encode());
                            metrics.chatsafeAlert(reached);
                            log.info("imminent-risk alert [held: {}, community: {}, staff sockets: {}]", id, communityId, reached);
                        }
                        if (item != null) {
                            queue.created(item, communityId);
                        }
                    }
                    return result;
                });
    }

    /**
     * A VraagBaak question in which #chatsafe sees risk: its moderation queue item, within the
     * caller's transaction ({@code conn}); the item's id. After the commit, {@link #questionQueued}.
     */
    public Future<Long> queueQuestion(io.vertx.sqlclient.SqlClient conn, long questionId, long communityId, long askerId,
                                      Decision d, nl.kring.moderation.Severity severity) {
        return queue.question(conn, questionId, communityId, askerId, d.classification(), severity, d.actions().contains(Action.ALERT));
    }

    /**
     * Tells the queue's staff of a question's new item and, for imminent risk (an alert), every
     * connected risk responder at once, as for a held message.
     */
    public void questionQueued(long itemId, long questionId, long communityId, Decision d) {
        queue.created(itemId, communityId);
        if (d.actions().contains(Action.ALERT)) {
            Classification c = d.classification();
            int reached = alerter.alert(communityId, new JsonObject().put("type", "alert").put("item", Long.toString(itemId))
                    .put("question", Long.toString(questionId)).put("category", c.category().wireName())
                    .put("severity", c.severity().wireName()).put("ts", clock.instant().toString()).encode());
            metrics.chatsafeAlert(reached);
            log.info("imminent-risk alert [question: {}, community: {}, staff sockets: {}]", questionId, communityId, reached);
        }
    }

    /**
     * A held message: its id, and the seq it got if a moderator released it since (a repeated
     * send of a released message answers {@code delivered} with that seq).
     */
    public record Held(long id, Long releasedSeq) {
    }

    /** A classification and what to do with it. */
    public record Decision(Classification classification, Set<Action> actions) {
    }
}
