package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.help.Notices;
import nl.kring.moderation.queue.ReportRules;
import nl.kring.moderation.queue.Source;
import nl.kring.moderation.queue.Triage;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.access.Permissions;
import nl.kring.server.shared.RoomKind;
import nl.kring.server.access.Rule;
import nl.kring.server.shared.Principal;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.rooms.MessageRepository;
import nl.kring.server.shared.StoredMessage;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.MetricNames;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.safety.SafetyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderation queue: items from #chatsafe holds (created with the hold), member reports,
 * the automatic report rules and staff escalations; ordered by rank (imminent risk first, then
 * severity) and age; claimed with a lease that runs out after {@code KRING_CLAIM_LEASE_SECONDS}
 * without activity. Every change goes to the community's moderators (and, for escalated items,
 * its professionals) as a {@code queue} event. The actions themselves are
 * {@link ModerationActions}'. Thread-safe.
 */
public final class ModerationQueue {

    private static final Logger log = LoggerFactory.getLogger(ModerationQueue.class);

    static final String SUMMARY = """
            SELECT i.id, i.community_id, i.room_id, i.held_id, i.seq, i.author_id, i.category, i.severity, i.sources, i.reports,
                   i.hidden, i.escalated, i.status, i.resolution, i.claimed_by, i.claim_expires_at, i.created_at, i.due_at,
                   i.resolved_at, r.name AS room_name, r.kind AS room_kind, c.slug, a.public_id AS author_public_id,
                   a.pseudonym AS author_pseudonym, a.role AS author_role, coalesce(h.body, m.body) AS body, coalesce(h.cw, m.cw) AS cw,
                   cl.public_id AS claimer_public_id, cl.pseudonym AS claimer_name, h.rule AS held_rule, i.why
            FROM mod_items i
            JOIN rooms r ON r.id = i.room_id
            JOIN communities c ON c.id = i.community_id
            JOIN users a ON a.id = i.author_id
            LEFT JOIN held_messages h ON h.id = i.held_id
            LEFT JOIN messages m ON m.room_id = i.room_id AND m.seq = i.seq
            LEFT JOIN users cl ON cl.id = i.claimed_by
            """;
    static final String LIST = SUMMARY + """
            WHERE i.community_id = $1 AND i.status = 'open' AND ($2 OR i.escalated)
            ORDER BY i.rank DESC, i.created_at, i.id LIMIT 200""";
    static final String ONE = SUMMARY + "WHERE i.id = $1";
    static final String CLAIM = """
            UPDATE mod_items SET claimed_by = $2, claim_expires_at = now() + make_interval(secs => $3),
                   first_action_at = coalesce(first_action_at, now())
            WHERE id = $1 AND status = 'open' AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at < now())
            RETURNING created_at, severity, first_action_at = now() AS first""";
    static final String UNCLAIM = """
            UPDATE mod_items SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'open'
            RETURNING id""";
    static final String EXPIRED_CLAIMS = """
            UPDATE mod_items SET claimed_by = NULL, claim_expires_at = NULL
            WHERE status = 'open' AND claimed_by IS NOT NULL AND claim_expires_at < now() RETURNING id""";
    static final String DEPTH = """
            SELECT severity, count(*) AS n, min(created_at) AS oldest, count(*) FILTER (WHERE due_at < now()) AS overdue
            FROM mod_items WHERE status = 'open' GROUP BY severity""";
    static final String REPORTED_MESSAGE = """
            SELECT m.author_id, m.body, m.redacted_at, m.hidden_at, u.role FROM messages m JOIN users u ON u.id = m.author_id
            WHERE m.room_id = $1 AND m.seq = $2""";
    static final String INSERT_REPORT = """
            INSERT INTO reports (room_id, seq, reporter_id, category, reason) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (room_id, seq, reporter_id) DO NOTHING RETURNING id""";
    /** One open item per delivered message: a new report joins it, raising its severity and due time when more serious. */
    static final String UPSERT_REPORTED = """
            INSERT INTO mod_items AS i (community_id, room_id, seq, author_id, category, severity, rank, sources, reports, escalated, due_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(secs => $11))
            ON CONFLICT (room_id, seq) WHERE status = 'open' AND seq IS NOT NULL DO UPDATE SET
                reports = i.reports + EXCLUDED.reports,
                sources = ARRAY(SELECT DISTINCT unnest(i.sources || EXCLUDED.sources) ORDER BY 1),
                escalated = i.escalated OR EXCLUDED.escalated,
                category = CASE WHEN EXCLUDED.rank > i.rank THEN EXCLUDED.category ELSE i.category END,
                severity = CASE WHEN EXCLUDED.rank > i.rank THEN EXCLUDED.severity ELSE i.severity END,
                rank = greatest(i.rank, EXCLUDED.rank),
                due_at = least(i.due_at, EXCLUDED.due_at)
            RETURNING id, reports, hidden, (xmax = 0) AS created""";
    static final String AUTHOR_REPORTS_TODAY = """
            SELECT count(*) AS n FROM reports r
            JOIN messages m ON m.room_id = r.room_id AND m.seq = r.seq
            JOIN users u ON u.id = r.reporter_id AND u.role = 'member'
            WHERE m.author_id = $1 AND r.created_at > now() - interval '1 day'""";
    static final String HIDE_ONE = """
            UPDATE messages SET hidden_at = now(), redacted_at = now(), redaction_reason = 'moderation'
            WHERE room_id = $1 AND seq = $2 AND redacted_at IS NULL RETURNING room_id, seq""";
    static final String HIDE_AUTHORS_REPORTED = """
            UPDATE messages m SET hidden_at = now(), redacted_at = now(), redaction_reason = 'moderation'
            FROM mod_items i
            WHERE i.status = 'open' AND i.author_id = $1 AND i.seq IS NOT NULL AND m.room_id = i.room_id AND m.seq = i.seq
              AND m.redacted_at IS NULL
            RETURNING m.room_id, m.seq""";
    static final String MARK_HIDDEN = """
            UPDATE mod_items SET hidden = true, sources = ARRAY(SELECT DISTINCT unnest(sources || '{rule}'::text[]) ORDER BY 1)
            WHERE status = 'open' AND room_id = $1 AND seq = $2 RETURNING id""";
    static final String CONTEXT_ANCHOR = """
            SELECT coalesce(max(seq), 0) AS seq FROM messages WHERE room_id = $1 AND created_at <= $2""";
    static final String REPORTS_OF = """
            SELECT category, reason, created_at FROM reports WHERE room_id = $1 AND seq = $2 ORDER BY created_at LIMIT 100""";
    static final String AUTHOR_ITEMS = """
            SELECT id, category, severity, status, resolution, created_at FROM mod_items
            WHERE author_id = $1 ORDER BY created_at DESC LIMIT 50""";
    static final String AUTHOR_AUDIT = """
            SELECT a.at, a.action, a.reason, u.pseudonym AS actor FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
            WHERE a.target_user_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT 100""";
    static final String MEMBER = """
            SELECT id, public_id, pseudonym, community_id, muted_until, banned_at FROM users WHERE public_id = $1 AND role = 'member'""";

    /** Messages shown on each side of the item's message. */
    static final int CONTEXT = 5;

    private final Vertx vertx;
    private final Database db;
    private final MessageRepository messages;
    private final RoomRegistry rooms;
    private final SafetyService safety;
    private final MemberNotices notices;
    private final Reach reach;
    private final KringMetrics metrics;
    private final Duration lease;
    private final ReportRules rules = ReportRules.DEFAULTS;
    private final Map<String, Number> depth = new ConcurrentHashMap<>();
    private volatile double oldestSeconds;
    private volatile int overdue;
    private long timer = -1;

    public ModerationQueue(Vertx vertx, Database db, MessageRepository messages, RoomRegistry rooms,
                           SafetyService safety, MemberNotices notices, Reach reach, KringMetrics metrics, Duration lease) {
        this.vertx = vertx;
        this.db = db;
        this.messages = messages;
        this.rooms = rooms;
        this.safety = safety;
        this.notices = notices;
        this.reach = reach;
        this.metrics = metrics;
        this.lease = lease;
        for (Severity s : Severity.values()) {
            depth.put(s.wireName(), 0);
            metrics.gauge(MetricNames.MOD_QUEUE_DEPTH, "open moderation queue items", "severity", s.wireName(),
                    () -> depth.get(s.wireName()));
        }
        metrics.gauge(MetricNames.MOD_QUEUE_OLDEST, "age of the oldest open moderation queue item", () -> oldestSeconds);
        metrics.gauge(MetricNames.MOD_QUEUE_OVERDUE, "open moderation queue items past their due time", () -> overdue);
        safety.onItem((item, community) -> announce(item, "new"));
    }

    public Duration lease() {
        return lease;
    }

    /** Starts the sweep that frees lapsed claims and refreshes the queue gauges. */
    public void start() {
        long period = Math.max(500, Math.min(5000, lease.toMillis() / 2));
        timer = vertx.setPeriodic(period, id -> sweep());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Frees lapsed claims (a {@code released} event each) and refreshes the gauges; public for tests. */
    public Future<Void> sweep() {
        if (!db.isUp()) {
            return Future.succeededFuture();
        }
        return db.pool().query(EXPIRED_CLAIMS).execute()
                .map(rows -> {
                    for (Row r : rows) {
                        announce(r.getLong("id"), "released");
                    }
                    return null;
                })
                .compose(v -> db.pool().query(DEPTH).execute())
                .map(rows -> {
                    Map<String, Integer> now = new java.util.HashMap<>();
                    Instant oldest = null;
                    int late = 0;
                    for (Row r : rows) {
                        now.put(r.getString("severity"), r.getLong("n").intValue());
                        Instant o = r.getOffsetDateTime("oldest").toInstant();
                        oldest = oldest == null || o.isBefore(oldest) ? o : oldest;
                        late += r.getLong("overdue").intValue();
                    }
                    for (Severity s : Severity.values()) {
                        depth.put(s.wireName(), now.getOrDefault(s.wireName(), 0));
                    }
                    oldestSeconds = oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
                    overdue = late;
                    return (Void) null;
                })
                .onFailure(t -> log.warn("moderation sweep failed: {}", t.getMessage()));
    }

    // ---- who may see what ----------------------------------------------------------------------

    /** Moderators and admins work the whole queue; professionals the items escalated to them. */
    static boolean mayModerate(Principal p) {
        return !p.isMember() && Permissions.rule(p.actor(), Action.MODERATE, RoomKind.COMMUNITY) == Rule.YES;
    }

    static boolean mayHandle(Principal p, boolean escalated) {
        return mayModerate(p) || (escalated && !p.isMember() && Permissions.allows(p.actor(), Action.HANDLE_ESCALATIONS));
    }

    /** The item's row, if this user may see it ({@code not_found} otherwise, {@code forbidden} for a role that never may). */
    Future<Row> item(Principal p, String id) {
        if (!mayModerate(p) && (p.isMember() || !Permissions.allows(p.actor(), Action.HANDLE_ESCALATIONS))) {
            return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "your role may not moderate"));
        }
        long itemId;
        try {
            itemId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Future.failedFuture(notFound());
        }
        return db.pool().preparedQuery(ONE).execute(Tuple.of(itemId))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(notFound());
                    }
                    Row r = rows.iterator().next();
                    if (!p.mayEnter(r.getLong("community_id")) || !mayHandle(p, r.getBoolean("escalated"))) {
                        return Future.failedFuture(notFound());
                    }
                    return Future.succeededFuture(r);
                });
    }

    // ---- reading -------------------------------------------------------------------------------

    /** The open items of a community, most urgent first (professionals: the escalated ones). */
    public Future<JsonObject> list(Principal p, long communityId) {
        boolean all = mayModerate(p);
        if (!all) {
            Access.checkCommunity(p, communityId, Action.HANDLE_ESCALATIONS);
        } else {
            Access.checkCommunity(p, communityId, Action.MODERATE);
        }
        return db.pool().preparedQuery(LIST).execute(Tuple.of(communityId, all))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    JsonArray items = new JsonArray();
                    for (Row r : rows) {
                        items.add(summary(r));
                    }
                    return new JsonObject().put("items", items);
                });
    }

    /** One item with its message, the messages around it, its reports and the author's history. */
    public Future<JsonObject> detail(Principal p, String id) {
        return item(p, id).compose(r -> {
            JsonObject item = summary(r);
            long roomId = r.getLong("room_id");
            Long seq = r.getLong("seq");
            Future<Long> anchor = seq != null ? Future.succeededFuture(seq)
                    : db.pool().preparedQuery(CONTEXT_ANCHOR).execute(Tuple.of(roomId, r.getOffsetDateTime("created_at")))
                            .map(rows -> rows.iterator().next().getLong("seq"));
            Future<List<StoredMessage>> context = anchor.compose(a -> messages.range(roomId, Math.max(0, a - CONTEXT - 1),
                    seq != null ? a + CONTEXT : a));
            Future<RowSet<Row>> reports = seq == null ? Future.succeededFuture(null)
                    : db.pool().preparedQuery(REPORTS_OF).execute(Tuple.of(roomId, seq));
            Future<JsonObject> author = authorHistory(r.getLong("author_id"));
            return Future.all(context, reports, author).map(v -> {
                JsonArray around = new JsonArray();
                for (StoredMessage m : context.result()) {
                    around.add(m.toJson().put("self", seq != null && m.seq() == seq));
                }
                JsonArray reps = new JsonArray();
                if (reports.result() != null) {
                    for (Row x : reports.result()) {
                        JsonObject rep = new JsonObject().put("category", x.getString("category"))
                                .put("at", x.getOffsetDateTime("created_at").toInstant().toString());
                        if (x.getString("reason") != null) {
                            rep.put("reason", x.getString("reason"));
                        }
                        reps.add(rep);
                    }
                }
                return new JsonObject().put("item", item).put("context", around).put("reportDetails", reps)
                        .put("authorHistory", author.result());
            }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
        });
    }

    /** A member's earlier queue items and the audit events about them (mutes, bans, warnings), newest first. */
    public Future<JsonObject> memberHistory(Principal p, String publicId) {
        if (!mayModerate(p)) {
            return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "your role may not moderate"));
        }
        return db.pool().preparedQuery(MEMBER).execute(Tuple.of(publicId))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0 || !p.mayEnter(rows.iterator().next().getLong("community_id"))) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such member"));
                    }
                    Row m = rows.iterator().next();
                    JsonObject member = new JsonObject().put("id", m.getString("public_id")).put("pseudonym", m.getString("pseudonym"))
                            .put("banned", m.getOffsetDateTime("banned_at") != null);
                    if (m.getOffsetDateTime("muted_until") != null && m.getOffsetDateTime("muted_until").toInstant().isAfter(Instant.now())) {
                        member.put("mutedUntil", m.getOffsetDateTime("muted_until").toInstant().toString());
                    }
                    return authorHistory(m.getLong("id")).map(h -> h.put("member", member));
                });
    }

    private Future<JsonObject> authorHistory(long authorId) {
        Future<RowSet<Row>> items = db.pool().preparedQuery(AUTHOR_ITEMS).execute(Tuple.of(authorId));
        Future<RowSet<Row>> audit = db.pool().preparedQuery(AUTHOR_AUDIT).execute(Tuple.of(authorId));
        return Future.all(items, audit).map(v -> {
            JsonArray earlier = new JsonArray();
            for (Row r : items.result()) {
                JsonObject i = new JsonObject().put("id", Long.toString(r.getLong("id"))).put("category", r.getString("category"))
                        .put("severity", r.getString("severity")).put("status", r.getString("status"))
                        .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString());
                if (r.getString("resolution") != null) {
                    i.put("resolution", r.getString("resolution"));
                }
                earlier.add(i);
            }
            JsonArray actions = new JsonArray();
            for (Row r : audit.result()) {
                JsonObject a = new JsonObject().put("at", r.getOffsetDateTime("at").toInstant().toString())
                        .put("action", r.getString("action"));
                if (r.getString("reason") != null) {
                    a.put("reason", r.getString("reason"));
                }
                if (r.getString("actor") != null) {
                    a.put("by", r.getString("actor"));
                }
                actions.add(a);
            }
            return new JsonObject().put("items", earlier).put("actions", actions);
        }).recover(t -> Future.failedFuture(db.failure(t)));
    }

    // ---- claiming ------------------------------------------------------------------------------

    /**
     * Claims an item for this moderator (or renews their claim) for the lease; {@code conflict}
     * when another moderator holds it or it is resolved. Two claims at the same moment: the row
     * lock lets exactly one through.
     */
    public Future<JsonObject> claim(Principal p, String id) {
        return item(p, id).compose(r -> claimRow(p, r.getLong("id"))).compose(itemId -> {
            metrics.moderationAction("claim");
            return announce(itemId, "claimed");
        });
    }

    /** Takes or renews the claim of an item the caller may handle; the item id. */
    Future<Long> claimRow(Principal p, long itemId) {
        return db.pool().preparedQuery(CLAIM).execute(Tuple.of(itemId, p.userId(), (double) lease.toSeconds()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new KringException(ErrorCode.CONFLICT,
                                "another moderator is working on this item, or it is resolved"));
                    }
                    Row r = rows.iterator().next();
                    if (r.getBoolean("first")) {
                        metrics.moderationFirstAction(Duration.between(r.getOffsetDateTime("created_at").toInstant(), Instant.now()),
                                Severity.IMMINENT.wireName().equals(r.getString("severity")));
                    }
                    return Future.succeededFuture(itemId);
                });
    }

    /** Gives a claimed item back to the queue. */
    public Future<JsonObject> unclaim(Principal p, String id) {
        return item(p, id).compose(r -> db.pool().preparedQuery(UNCLAIM).execute(Tuple.of(r.getLong("id"), p.userId()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(new KringException(ErrorCode.CONFLICT, "you do not hold this item"))
                        : announce(r.getLong("id"), "released")));
    }

    // ---- reports -------------------------------------------------------------------------------

    /**
     * A report of a delivered message (protocol {@code report}): stored once per reporter, put in
     * the queue (joining the message's open item), triaged by its category and what #chatsafe
     * finds in the message; by staff it is an escalation. The report rules may hide messages
     * pending review. Answers once the report and its item are committed.
     */
    public Future<Void> report(Principal reporter, Room room, long seq, String category, String reason) {
        return db.pool().preparedQuery(REPORTED_MESSAGE).execute(Tuple.of(room.id(), seq))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no message with this seq"));
                    }
                    Row m = rows.iterator().next();
                    return safety.forCommunity(room.communityId()).compose(cs -> {
                        Classification c = safety.classify(cs, m.getString("body"));
                        return file(reporter, room, seq, category, reason, m.getLong("author_id"), c);
                    });
                });
    }

    private Future<Void> file(Principal reporter, Room room, long seq, String category, String reason, long authorId,
                              Classification c) {
        boolean byStaff = !reporter.isMember();
        Severity severity = Triage.ofReport(category, c.severity(), byStaff);
        String itemCategory = c.category() != RiskCategory.NONE && c.severity().compareTo(Severity.LOW) > 0 ? c.category().wireName() : category;
        String[] sources = byStaff ? new String[] {Source.ESCALATION.wireName()} : new String[] {Source.REPORT.wireName()};
        List<Row> hidden = new ArrayList<>();
        List<MemberNotices.Pending> toSend = new ArrayList<>();
        long[] itemId = {-1};
        boolean[] created = {false};
        return db.pool().withTransaction(conn -> conn.preparedQuery(INSERT_REPORT)
                        .execute(Tuple.of(room.id(), seq, reporter.userId(), category, reason))
                        .compose(ins -> {
                            if (ins.size() == 0) {
                                return Future.succeededFuture();
                            }
                            return conn.preparedQuery(UPSERT_REPORTED).execute(Tuple.from(new Object[] {room.communityId(), room.id(), seq,
                                            authorId, itemCategory, severity.wireName(), (short) Triage.rank(severity), sources,
                                            byStaff ? 0 : 1, byStaff, (double) Triage.dueIn(severity).toSeconds()}))
                                    .compose(item -> {
                                        Row i = item.iterator().next();
                                        itemId[0] = i.getLong("id");
                                        created[0] = i.getBoolean("created");
                                        return applyRules(conn, room, seq, authorId, i.getInteger("reports"), hidden, toSend);
                                    });
                        }))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(v -> {
                    for (Row h : hidden) {
                        announceHidden(h.getLong("room_id"), h.getLong("seq"));
                    }
                    toSend.forEach(notices::send);
                    if (itemId[0] >= 0) {
                        announce(itemId[0], created[0] ? "new" : "updated");
                    }
                    return null;
                });
    }

    /** The report rules, inside the report's transaction; collects the messages they hide. */
    private Future<Void> applyRules(SqlConnection conn, Room room, long seq, long authorId, int reporters, List<Row> hidden,
                                    List<MemberNotices.Pending> toSend) {
        return conn.preparedQuery(AUTHOR_REPORTS_TODAY).execute(Tuple.of(authorId)).compose(rows -> {
            int today = rows.iterator().next().getLong("n").intValue();
            return switch (rules.afterReport(reporters, today)) {
                case NOTHING -> Future.succeededFuture();
                case HIDE_MESSAGE -> hide(conn, HIDE_ONE, Tuple.of(room.id(), seq), authorId, room.communityId(), hidden, toSend);
                case HIDE_AUTHORS_REPORTED_MESSAGES -> hide(conn, HIDE_AUTHORS_REPORTED, Tuple.of(authorId), authorId,
                        room.communityId(), hidden, toSend);
            };
        });
    }

    private Future<Void> hide(SqlConnection conn, String sql, Tuple args, long authorId, long communityId, List<Row> hidden,
                              List<MemberNotices.Pending> toSend) {
        return conn.preparedQuery(sql).execute(args).compose(rows -> {
            List<Future<?>> marks = new ArrayList<>();
            for (Row r : rows) {
                hidden.add(r);
                marks.add(conn.preparedQuery(MARK_HIDDEN).execute(Tuple.of(r.getLong("room_id"), r.getLong("seq"))));
                marks.add(AuditLog.record(conn, null, "moderation.hidden", communityId, authorId,
                        "message:" + r.getLong("room_id") + "/" + r.getLong("seq"), "hidden pending review by the report rules",
                        new JsonObject().put("visible", true), new JsonObject().put("visible", false)));
            }
            if (rows.size() == 0) {
                return Future.succeededFuture();
            }
            return Future.all(marks).compose(v -> notices.store(conn, authorId, communityId, Notices.HIDDEN,
                    rows.iterator().next().getLong("room_id"), new JsonObject().put("seq", rows.iterator().next().getLong("seq"))))
                    .map(n -> {
                        toSend.add(n);
                        return null;
                    });
        });
    }

    private void announceHidden(long roomId, long seq) {
        rooms.redacted(roomId, seq, "moderation");
    }

    // ---- events --------------------------------------------------------------------------------

    /**
     * Loads an item and sends a {@code queue} event to the staff who handle it; the item as
     * summarised there.
     */
    Future<JsonObject> announce(long itemId, String event) {
        return db.pool().preparedQuery(ONE).execute(Tuple.of(itemId))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new JsonObject();
                    }
                    Row r = rows.iterator().next();
                    JsonObject item = summary(r);
                    boolean escalated = r.getBoolean("escalated");
                    String json = new JsonObject().put("type", "queue").put("event", event).put("item", item).encode();
                    reach.toStaff(r.getLong("community_id"), escalated ? StaffAudience.ESCALATIONS : StaffAudience.MODERATORS, json);
                    return item;
                });
    }

    /** An item as the queue shows it. */
    static JsonObject summary(Row r) {
        JsonObject json = new JsonObject()
                .put("id", Long.toString(r.getLong("id")))
                .put("community", r.getString("slug"))
                .put("room", Long.toString(r.getLong("room_id")))
                .put("roomName", r.getString("room_name"))
                .put("kind", r.getLong("held_id") != null ? "held" : "message")
                .put("category", r.getString("category"))
                .put("severity", r.getString("severity"))
                .put("sources", new JsonArray(List.of((Object[]) r.getArrayOfStrings("sources"))))
                // why #chatsafe queued it: rule ids, or the model's category, score and weightiest words
                .put("why", new JsonArray(List.of((Object[]) r.getArrayOfStrings("why"))))
                .put("reports", r.getInteger("reports"))
                .put("hidden", r.getBoolean("hidden"))
                .put("escalated", r.getBoolean("escalated"))
                .put("status", r.getString("status"))
                .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
                .put("dueAt", r.getOffsetDateTime("due_at").toInstant().toString())
                .put("overdue", "open".equals(r.getString("status")) && r.getOffsetDateTime("due_at").toInstant().isBefore(Instant.now()))
                .put("author", new JsonObject().put("id", r.getString("author_public_id")).put("pseudonym", r.getString("author_pseudonym"))
                        .put("role", r.getString("author_role")))
                .put("body", r.getString("body") == null ? "" : r.getString("body"))
                .put("cw", Boolean.TRUE.equals(r.getBoolean("cw")))
                // method details are blurred in the console until the moderator opens them (moderator wellbeing)
                .put("sensitive", RiskCategory.METHOD_DETAIL.wireName().equals(r.getString("category")));
        if (r.getLong("held_id") != null) {
            json.put("held", Long.toString(r.getLong("held_id"))).put("rule", r.getString("held_rule"));
        } else {
            json.put("seq", r.getLong("seq"));
        }
        if (r.getString("resolution") != null) {
            json.put("resolution", r.getString("resolution"));
        }
        if (r.getLong("claimed_by") != null && r.getOffsetDateTime("claim_expires_at").toInstant().isAfter(Instant.now())) {
            json.put("claimedBy", new JsonObject().put("id", r.getString("claimer_public_id")).put("displayName", r.getString("claimer_name")))
                    .put("claimExpiresAt", r.getOffsetDateTime("claim_expires_at").toInstant().toString());
        }
        return json;
    }

    static KringException notFound() {
        return new KringException(ErrorCode.NOT_FOUND, "no such item");
    }
}
