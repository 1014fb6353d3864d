package nl.kring.server.vraagbaak;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.help.Notices;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.communities.Community;
import nl.kring.server.communities.CommunityRepository;
import nl.kring.server.db.Database;
import nl.kring.server.limits.KeyedRateLimiter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.MetricNames;
import nl.kring.server.moderation.MemberNotices;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;

/**
 * The VraagBaak (protocol section 9): members ask, #chatsafe checks each question on arrival
 * (risk: the asker's prompt at once, the question in the moderation queue, and no publication
 * until an editor clears it; personal details: flagged for the editors), the community's editors
 * assign, reword, return, reject and publish, professionals and peer experts answer, anyone reads
 * what is published. Each step is one transaction with its audit row and, where the asker is
 * told, their notice ({@link MemberNotices}); the rules are {@link QuestionRules}'. Thread-safe.
 */
public final class VraagBaak {

    /** Questions a member may ask: 5 at once, then one per 10 minutes (a burst of worry is fine; a flood is not). */
    static final int ASK_BURST = 5;
    static final double ASK_RATE = 1.0 / 600;
    static final int LIMIT_DEFAULT = 20;
    static final int LIMIT_MAX = 50;
    static final int SEARCH_MAX = 200;

    private final Vertx vertx;
    private final Database db;
    private final CommunityRepository communities;
    private final SafetyService safety;
    private final MemberNotices notices;
    private final KringMetrics metrics;
    private final KeyedRateLimiter<Long> asking = new KeyedRateLimiter<>(ASK_RATE, ASK_BURST, 100_000);
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    public VraagBaak(Vertx vertx, Database db, CommunityRepository communities, SafetyService safety, MemberNotices notices,
                     KringMetrics metrics) {
        this.vertx = vertx;
        this.db = db;
        this.communities = communities;
        this.safety = safety;
        this.notices = notices;
        this.metrics = metrics;
        for (QuestionStatus s : List.of(QuestionStatus.WAITING, QuestionStatus.ASSIGNED, QuestionStatus.ANSWERED)) {
            open.put(s.wireName(), 0);
            metrics.gauge(MetricNames.VRAAGBAAK_OPEN, "VraagBaak questions not yet published, returned or rejected (all communities)",
                    "status", s.wireName(), () -> open.get(s.wireName()));
        }
    }

    /** Reads the gauge now and every 30 s (other nodes change it too). */
    public void start() {
        refreshGauge();
        vertx.setPeriodic(30_000, id -> refreshGauge());
    }

    /** A member asks (protocol section 9): 201 {@code {"id","status":"waiting"}}, plus a {@code prompt} when #chatsafe sees risk. */
    public Future<JsonObject> ask(Principal p, String slug, JsonObject body) {
        return community(slug).compose(c -> {
            QuestionRules.checkAsk(p, c.id());
            String title = QuestionRules.text(body, "title", QuestionRules.TITLE_MIN, QuestionRules.TITLE_MAX);
            String text = QuestionRules.text(body, "body", 1, QuestionRules.BODY_MAX);
            long wait = asking.tryAcquire(p.userId());
            if (wait > 0) {
                throw new KringException(ErrorCode.RATE_LIMITED, "you asked several questions just now; try again later", wait);
            }
            return safety.forCommunity(c.id()).compose(cs -> {
                SafetyService.Decision d = safety.decide(cs, title + "\n" + text, false);
                RiskCategory risk = QuestionRules.risk(d.classification());
                Severity severity = risk == null ? null : QuestionRules.riskSeverity(d.classification(), risk);
                boolean pii = QuestionRules.pii(d.classification());
                long[] ids = {0, 0};
                return db.pool().withTransaction(conn -> QuestionRepository.insert(conn, c.id(), p.userId(), title, text,
                                        risk == null ? (pii ? RiskCategory.PII.wireName() : null) : risk.wireName(),
                                        severity == null ? null : severity.wireName(), risk != null, pii)
                                .compose(id -> {
                                    ids[0] = id;
                                    return AuditLog.record(conn, p.userId(), "question.asked", c.id(), p.userId(), "question:" + id, null,
                                            null, new JsonObject().put("status", "waiting").put("risky", risk != null).put("pii", pii));
                                })
                                .compose(v -> risk == null ? Future.succeededFuture(0L)
                                        : safety.queueQuestion(conn, ids[0], c.id(), p.userId(), d, severity))
                                .map(item -> ids[1] = item))
                        .recover(t -> Future.failedFuture(db.failure(t)))
                        .map(v -> {
                            JsonObject answer = new JsonObject().put("id", Long.toString(ids[0])).put("status", "waiting");
                            if (risk != null) {
                                safety.questionQueued(ids[1], ids[0], c.id(), d);
                                answer.put("prompt", safety.prompt(cs, risk, true));
                            }
                            refreshGauge();
                            return answer;
                        });
            });
        });
    }

    /** The published questions of a community, newest first, optionally searched in Dutch; anyone may read them. */
    public Future<JsonObject> published(String slug, String query, String limit, String before) {
        String search = query == null || query.isBlank() ? null : query.trim();
        if (search != null && search.length() > SEARCH_MAX) {
            throw KringException.badRequest("q must be at most " + SEARCH_MAX + " characters");
        }
        int n = limit == null ? LIMIT_DEFAULT : number(limit, "limit", 1, LIMIT_MAX);
        Long beforeId = before == null ? null : (long) number(before, "before", 1, Integer.MAX_VALUE);
        return community(slug).compose(c -> QuestionRepository.list(db.pool(), QuestionRepository.PUBLISHED,
                        Tuple.of(c.id(), beforeId, search, n)))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(list -> listOf(list, QuestionViews::published));
    }

    /** The asker's own questions, any status. */
    public Future<JsonObject> mine(Principal p) {
        return QuestionRepository.list(db.pool(), QuestionRepository.MINE, Tuple.of(p.userId()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(list -> listOf(list, QuestionViews::asker));
    }

    /** A community's questions for its staff (editors: the staff view; answerers: without the asker), optionally of one status. */
    public Future<JsonObject> staffList(Principal p, String slug, String status) {
        String wanted = status == null || status.isEmpty() ? null : QuestionStatus.fromWireName(status)
                .orElseThrow(() -> KringException.badRequest("status must be one of waiting, assigned, answered, published, returned, rejected"))
                .wireName();
        return community(slug).compose(c -> {
            QuestionRules.checkStaffList(p, c.id());
            java.util.function.Function<Question, JsonObject> view = QuestionRules.editor(p, c.id()) ? QuestionViews::staff
                    : QuestionViews::answerer;
            return QuestionRepository.list(db.pool(), QuestionRepository.STAFF, Tuple.of(c.id(), wanted))
                    .recover(t -> Future.failedFuture(db.failure(t)))
                    .map(list -> listOf(list, view));
        });
    }

    /** The questions assigned to this professional or peer expert (or editor) and not yet published. */
    public Future<JsonObject> assigned(Principal p) {
        QuestionRules.checkAnswerer(p);
        return QuestionRepository.list(db.pool(), QuestionRepository.ASSIGNED, Tuple.of(p.userId()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(list -> listOf(list.stream().filter(q -> QuestionRules.maySee(p, q)).toList(), QuestionViews::answerer));
    }

    /** One question, as its reader may see it (editor, answerer or asker). */
    public Future<JsonObject> one(Principal p, String rawId) {
        long id = questionId(rawId);
        return QuestionRepository.one(db.pool(), id, false).recover(t -> Future.failedFuture(db.failure(t))).map(found -> {
            Question q = QuestionRules.visible(p, found);
            JsonObject view = QuestionRules.editor(p, q.communityId()) ? QuestionViews.staff(q)
                    : p.isMember() ? QuestionViews.asker(q) : QuestionViews.answerer(q);
            return new JsonObject().put("question", view);
        });
    }

    /** The professionals and peer experts an editor can assign a community's questions to. */
    public Future<JsonObject> answerers(Principal p, String slug) {
        return community(slug).compose(c -> {
            QuestionRules.checkEditorOf(p, c.id());
            return QuestionRepository.answerers(db.pool(), c.id());
        }).recover(t -> Future.failedFuture(db.failure(t))).map(rows -> {
            JsonArray out = new JsonArray();
            rows.forEach(r -> out.add(new JsonObject().put("id", r.getString("public_id")).put("displayName", r.getString("pseudonym"))
                    .put("role", r.getString("role"))));
            return new JsonObject().put("answerers", out);
        });
    }

    /** {@code {"to": staff id}}: assigns to a professional, peer expert or editor of the community. */
    public Future<JsonObject> assign(Principal p, String rawId, JsonObject body) {
        String to = QuestionRules.text(body, "to", 1, 64);
        return step(p, rawId, (conn, q) -> {
            QuestionRules.checkEditor(p, q);
            QuestionRules.checkAssign(q);
            return QuestionRepository.answerer(conn, to, q.communityId()).compose(staff -> {
                if (staff == null) {
                    return Future.failedFuture(KringException.badRequest("to must be a professional, peer expert or editor of this community"));
                }
                return QuestionRepository.update(conn, QuestionRepository.ASSIGN, Tuple.of(q.id(), staff.getLong("id")))
                        .map(v -> new Change(QuestionStatus.ASSIGNED, "question.assigned", null,
                                new JsonObject().put("status", "assigned").put("to", to).put("role", staff.getString("role")), null));
            });
        });
    }

    /** {@code {"title","body"}}: the editors' wording for publication (the asker's own is kept for the asker). */
    public Future<JsonObject> reword(Principal p, String rawId, JsonObject body) {
        String title = QuestionRules.text(body, "title", QuestionRules.TITLE_MIN, QuestionRules.TITLE_MAX);
        String text = QuestionRules.text(body, "body", 1, QuestionRules.BODY_MAX);
        return step(p, rawId, (conn, q) -> {
            QuestionRules.checkEditor(p, q);
            QuestionRules.checkOpen(q);
            return QuestionRepository.update(conn, QuestionRepository.REWORD, Tuple.of(q.id(), title, text))
                    .map(v -> new Change(q.status(), "question.reworded", null, new JsonObject().put("reworded", true), null));
        });
    }

    /** {@code {"reason"}}: an editor's explicit decision that a risky question may be published (audited with why). */
    public Future<JsonObject> clearRisk(Principal p, String rawId, JsonObject body) {
        String reason = QuestionRules.text(body, "reason", 1, QuestionRules.REASON_MAX);
        return step(p, rawId, (conn, q) -> {
            QuestionRules.checkEditor(p, q);
            QuestionRules.checkClearRisk(q);
            return QuestionRepository.update(conn, QuestionRepository.CLEAR_RISK, Tuple.of(q.id(), p.userId()))
                    .map(v -> new Change(q.status(), "question.risk_cleared", reason,
                            new JsonObject().put("riskCleared", true).put("category", q.riskCategory()), null));
        });
    }

    /** {@code {"body"}}: the answer; the asker is told it is answered. */
    public Future<JsonObject> answer(Principal p, String rawId, JsonObject body) {
        String text = QuestionRules.text(body, "body", 1, QuestionRules.ANSWER_MAX);
        return step(p, rawId, (conn, q) -> {
            QuestionRules.checkAnswer(p, q);
            return QuestionRepository.update(conn, QuestionRepository.ANSWER, Tuple.of(q.id(), text, p.userId()))
                    .map(v -> new Change(QuestionStatus.ANSWERED, "question.answered", null,
                            new JsonObject().put("status", "answered"), q.status() == QuestionStatus.ANSWERED ? null : Notices.QUESTION_ANSWERED));
        });
    }

    /** Optional {@code {"title","body"}} (the editors' wording): publishes question and answer together. */
    public Future<JsonObject> publish(Principal p, String rawId, JsonObject body) {
        String title = QuestionRules.optionalText(body, "title", QuestionRules.TITLE_MIN, QuestionRules.TITLE_MAX);
        String text = QuestionRules.optionalText(body, "body", 1, QuestionRules.BODY_MAX);
        return step(p, rawId, (conn, q) -> {
            QuestionRules.checkEditor(p, q);
            QuestionRules.checkPublish(q);
            return QuestionRepository.publish(conn, q.id(), title, text).map(at -> new Change(QuestionStatus.PUBLISHED,
                    "question.published", null, new JsonObject().put("status", "published").put("reworded", title != null || text != null
                            || q.publicTitle() != null || q.publicBody() != null), Notices.QUESTION_PUBLISHED,
                    Duration.between(q.askedAt(), at)));
        });
    }

    /** {@code {"reason"}}: sends the question back to the asker, who reads the kind reason. */
    public Future<JsonObject> giveBack(Principal p, String rawId, JsonObject body) {
        return close(p, rawId, body, QuestionStatus.RETURNED, "question.returned", Notices.QUESTION_RETURNED);
    }

    /** {@code {"reason"}}: will not be published; the asker reads the kind reason. */
    public Future<JsonObject> reject(Principal p, String rawId, JsonObject body) {
        return close(p, rawId, body, QuestionStatus.REJECTED, "question.rejected", Notices.QUESTION_REJECTED);
    }

    private Future<JsonObject> close(Principal p, String rawId, JsonObject body, QuestionStatus to, String audit, Notices notice) {
        String reason = QuestionRules.text(body, "reason", 1, QuestionRules.REASON_MAX);
        return step(p, rawId, (conn, q) -> {
            QuestionRules.checkEditor(p, q);
            QuestionRules.checkOpen(q);
            return QuestionRepository.update(conn, QuestionRepository.CLOSE, Tuple.of(q.id(), to.wireName(), reason))
                    .map(v -> new Change(to, audit, reason, new JsonObject().put("status", to.wireName()), notice,
                            Duration.between(q.askedAt(), java.time.Instant.now())));
        });
    }

    /**
     * What a step did: the status after it, its audit row's action, reason and after-state, the
     * asker's notice (or null), and for a question that left the editors' hands (published,
     * returned, rejected) the time since it was asked (the metrics), else null.
     */
    private record Change(QuestionStatus status, String audit, String reason, JsonObject after, Notices notice, Duration sinceAsked) {
        Change(QuestionStatus status, String audit, String reason, JsonObject after, Notices notice) {
            this(status, audit, reason, after, notice, null);
        }
    }

    /**
     * One step on one question, in one transaction: the question locked, the rules' checks
     * (inside {@code work}; a refusal rolls back), the change, its audit row and the asker's
     * notice; the notice goes out after the commit. Answers {@code {"id","status"}}.
     */
    private Future<JsonObject> step(Principal p, String rawId, BiFunction<SqlConnection, Question, Future<Change>> work) {
        long id = questionId(rawId);
        MemberNotices.Pending[] pending = {null};
        return db.pool().withTransaction(conn -> QuestionRepository.one(conn, id, true).compose(found -> {
                    Question q = QuestionRules.visible(p, found);
                    return work.apply(conn, q).compose(change -> AuditLog.record(conn, p.userId(), change.audit(), q.communityId(),
                                    q.askerId(), "question:" + q.id(), change.reason(), QuestionRepository.state(q), change.after())
                            .compose(v -> change.notice() == null ? Future.<MemberNotices.Pending>succeededFuture(null)
                                    : notices.store(conn, q.askerId(), q.communityId(), change.notice(), null,
                                            new JsonObject().put("question", Long.toString(q.id()))))
                            .map(n -> {
                                pending[0] = n;
                                return change;
                            }));
                }))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(change -> {
                    if (pending[0] != null) {
                        notices.send(pending[0]);
                    }
                    if (change.sinceAsked() != null) {
                        metrics.vraagbaakClosed(change.status().wireName(), change.sinceAsked());
                    }
                    refreshGauge();
                    return new JsonObject().put("id", Long.toString(id)).put("status", change.status().wireName());
                });
    }

    private Future<Community> community(String slug) {
        return communities.bySlug(slug).recover(t -> Future.failedFuture(db.failure(t))).compose(found -> found.isEmpty()
                ? Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such community"))
                : Future.succeededFuture(found.get()));
    }

    private void refreshGauge() {
        if (!db.isUp()) {
            return;
        }
        QuestionRepository.openCounts(db.pool()).onSuccess(counts -> open.replaceAll((status, n) -> counts.getOrDefault(status, 0)));
    }

    private static JsonObject listOf(List<Question> list, java.util.function.Function<Question, JsonObject> view) {
        JsonArray out = new JsonArray();
        list.forEach(q -> out.add(view.apply(q)));
        return new JsonObject().put("questions", out);
    }

    private static long questionId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw QuestionRules.notFound();
        }
    }

    private static int number(String raw, String field, int min, int max) {
        try {
            int n = Integer.parseInt(raw);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw KringException.badRequest(field + " must be a whole number of " + min + " to " + max);
    }
}
