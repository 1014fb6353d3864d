package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import nl.kring.moderation.Severity;
import nl.kring.moderation.queue.Triage;
import nl.kring.server.shared.Principal;
import nl.kring.server.admin.Fields;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.MetricNames;
import nl.kring.server.moderation.Reach;
import nl.kring.server.moderation.StaffAudience;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.rooms.RoomRepository;
import nl.kring.server.safety.SafetyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-to-one side of a consultation hour: the queue of members who asked for a private talk,
 * ordered by #chatsafe risk (imminent first) and then by the time they asked; a host taking the
 * next member (a conditional write under {@code FOR UPDATE SKIP LOCKED}: of two hosts at the same
 * moment exactly one gets each member); the private room that opens for the two; handing a talk
 * to another host; ending it with signposting; and the member's feedback.
 *
 * <p>The queue lives in PostgreSQL ({@code spreekuur_requests}), keyed by the member, not the
 * socket: a member who reconnects keeps their place and is told it again at once. Every change
 * recomputes the positions of the session ({@link #refresh}, coalesced per session) and tells each
 * waiting member whose position or estimate changed, and the hosts. Thread-safe.
 */
public final class TalkQueue {

    private static final Logger log = LoggerFactory.getLogger(TalkQueue.class);
    static final int MAX_TOPIC = 500;
    static final int MAX_COMMENT = 1000;

    static final String IN_TALK = "SELECT 1 FROM spreekuur_talks WHERE member_id = $1 AND ended_at IS NULL";

    /** The highest #chatsafe severity of the member's own messages in the last day (held or flagged ones). */
    static final String RECENT_RISK = """
            SELECT coalesce(max(rank), 0) AS rank FROM mod_items
            WHERE author_id = $1 AND created_at > now() - interval '24 hours' AND 'chatsafe' = ANY(sources)""";

    static final String REQUEST = """
            INSERT INTO spreekuur_requests (spreekuur_id, starts_at, user_id, rank, severity, topic) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (spreekuur_id, user_id) WHERE status = 'waiting' DO NOTHING RETURNING id""";

    static final String WAITING = """
            SELECT r.id, r.user_id, r.rank, r.severity, r.topic, r.queued_at, u.public_id, u.pseudonym,
                   row_number() OVER (ORDER BY r.rank DESC, r.queued_at, r.id) AS position
            FROM spreekuur_requests r JOIN users u ON u.id = r.user_id
            WHERE r.spreekuur_id = $1 AND r.status = 'waiting' ORDER BY position""";

    static final String RUNNING = "SELECT count(*) AS n FROM spreekuur_talks WHERE spreekuur_id = $1 AND ended_at IS NULL";

    static final String RECENT_LENGTHS = """
            SELECT extract(epoch FROM ended_at - started_at)::bigint AS seconds FROM spreekuur_talks
            WHERE spreekuur_id = $1 AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT 20""";

    static final String LEAVE = """
            UPDATE spreekuur_requests SET status = 'left', done_at = now(), topic = NULL
            WHERE spreekuur_id = $1 AND user_id = $2 AND status = 'waiting' RETURNING queued_at""";

    static final String CLOSE_WAITING = """
            UPDATE spreekuur_requests SET status = 'closed', done_at = now(), topic = NULL
            WHERE spreekuur_id = $1 AND status = 'waiting' RETURNING user_id, queued_at""";

    static final String RAISE = """
            UPDATE spreekuur_requests SET rank = $2, severity = $3
            WHERE user_id = $1 AND status = 'waiting' AND rank < $2 RETURNING spreekuur_id""";

    static final String TAKE = """
            WITH next AS (
                SELECT id FROM spreekuur_requests WHERE spreekuur_id = $1 AND status = 'waiting'
                ORDER BY rank DESC, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            UPDATE spreekuur_requests r SET status = 'talking', done_at = now()
            FROM next WHERE r.id = next.id
            RETURNING r.id, r.user_id, r.severity, r.topic, r.queued_at""";

    static final String PRIVATE_ROOM = """
            INSERT INTO rooms (community_id, name, kind, capacity, read_only) VALUES ($1, $2, 'private', 2, false) RETURNING id""";

    static final String PARTICIPANT = "INSERT INTO room_participants (room_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    static final String NEW_TALK = """
            INSERT INTO spreekuur_talks (spreekuur_id, community_id, room_id, member_id, host_id, waited_seconds)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""";

    static final String TALK = """
            SELECT t.id, t.spreekuur_id, t.community_id, t.room_id, t.member_id, t.host_id, t.started_at, t.ended_at, t.ended_by,
                   t.signpost, t.transfers, t.feedback_given, t.waited_seconds,
                   m.public_id AS member_public_id, m.pseudonym AS member_pseudonym,
                   h.public_id AS host_public_id, h.pseudonym AS host_name, h.role AS host_role,
                   r.topic, r.severity
            FROM spreekuur_talks t JOIN users m ON m.id = t.member_id JOIN users h ON h.id = t.host_id
            LEFT JOIN spreekuur_requests r ON r.talk_id = t.id
            WHERE t.id = $1""";

    /** On connect, in one query: the sessions a user waits in and the talks running for them (as member or host). */
    /** A user's places in queues and running talks ($1: the user id; what a new connection is told again); also part of {@code gateway.ConnectReads}. */
    public static final String PENDING_FOR = """
            SELECT 'wait' AS what, spreekuur_id AS id FROM spreekuur_requests WHERE user_id = $1 AND status = 'waiting'
            UNION ALL
            SELECT 'talk', id FROM spreekuur_talks WHERE ended_at IS NULL AND member_id = $1
            UNION ALL
            SELECT 'talk', id FROM spreekuur_talks WHERE ended_at IS NULL AND host_id = $1""";

    static final String TRANSFER_TARGET = """
            SELECT u.id, u.public_id, u.pseudonym, u.role FROM users u
            WHERE u.public_id = $1 AND u.role IN ('peer_expert', 'professional', 'admin') AND u.banned_at IS NULL
              AND (u.all_communities OR EXISTS (SELECT 1 FROM staff_communities sc WHERE sc.user_id = u.id AND sc.community_id = $2))""";

    static final String TRANSFER = """
            UPDATE spreekuur_talks SET host_id = $3, transfers = transfers + 1
            WHERE id = $1 AND host_id = $2 AND ended_at IS NULL RETURNING room_id""";

    static final String END = """
            UPDATE spreekuur_talks SET ended_at = now(), ended_by = $3, signpost = $4
            WHERE id = $1 AND ended_at IS NULL AND (host_id = $2 OR member_id = $2)
            RETURNING room_id, extract(epoch FROM ended_at - started_at)::bigint AS seconds""";

    static final String FEEDBACK = """
            UPDATE spreekuur_talks SET feedback_given = true
            WHERE id = $1 AND member_id = $2 AND ended_at IS NOT NULL AND NOT feedback_given RETURNING spreekuur_id, community_id""";

    static final String INSERT_FEEDBACK = """
            INSERT INTO spreekuur_feedback (spreekuur_id, community_id, day, score, comment) VALUES ($1, $2, $3, $4, $5)""";

    /** A member whose request the session's end closed. */
    record Closed(long userId, Instant queuedAt) {
    }

    /** One member in the queue as of the last refresh. */
    record Waiting(long requestId, long userId, String publicId, String pseudonym, int position, String severity, String topic,
                   Instant queuedAt) {
    }

    private final Database db;
    private final Spreekuren spreekuren;
    private final RoomRegistry rooms;
    private final RoomRepository roomRepository;
    private final SafetyService safety;
    private final Reach reach;
    private final KringMetrics metrics;
    /** Refreshes asked for per session while one runs (coalescing). */
    private final ConcurrentHashMap<Long, Integer> pending = new ConcurrentHashMap<>();
    /** The {@code wait} event each waiting member last got, per session; the hosts' last {@code spreekuurQueue} event. */
    private final ConcurrentHashMap<Long, ConcurrentHashMap<Long, String>> lastSent = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, String> lastToHosts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, List<Waiting>> snapshot = new ConcurrentHashMap<>();
    private volatile int running;

    public TalkQueue(Database db, Spreekuren spreekuren, RoomRegistry rooms, RoomRepository roomRepository, SafetyService safety,
                     Reach reach, KringMetrics metrics) {
        this.db = db;
        this.spreekuren = spreekuren;
        this.rooms = rooms;
        this.roomRepository = roomRepository;
        this.safety = safety;
        this.reach = reach;
        this.metrics = metrics;
        spreekuren.talks(this);
        metrics.gauge(MetricNames.SPREEKUUR_WAITING, "members waiting for a one-to-one talk",
                () -> snapshot.values().stream().mapToInt(List::size).sum());
        metrics.gauge(MetricNames.SPREEKUUR_TALKS, "one-to-one talks running", () -> running);
    }

    // ---- the member's side ----------------------------------------------------------------------

    /**
     * A member asks for a private talk in an open session, optionally saying what about (the
     * words go to the hosts and are classified: risk moves the member forward). Asking again
     * while waiting keeps the place. The reply is the member's place in the queue.
     */
    public Future<JsonObject> request(Principal p, String rawId, JsonObject body) {
        Spreekuren.Info info = visible(p, rawId);
        if (!p.isMember()) {
            throw new KringException(ErrorCode.FORBIDDEN, "only members ask for a one-to-one talk");
        }
        if (!info.oneToOne()) {
            throw new KringException(ErrorCode.FORBIDDEN, "this consultation hour offers no one-to-one talks");
        }
        if (!info.isOpen()) {
            throw new KringException(ErrorCode.CONFLICT, "the consultation hour is not open; ask for a talk once it has started");
        }
        String topic = body.containsKey("topic") && body.getValue("topic") != null
                ? Fields.string(body, "topic", 1, MAX_TOPIC) : null;
        return safety.forCommunity(info.communityId()).compose(cs -> {
            nl.kring.moderation.chatsafe.Classification words = topic == null ? null : safety.classify(cs, topic);
            Severity said = words == null ? Severity.NONE : words.severity();
            JsonObject prompt = said.compareTo(Severity.MEDIUM) < 0 ? null : safety.prompt(cs, words.category(), false);
            return db.pool().preparedQuery(IN_TALK).execute(Tuple.of(p.userId())).compose(inTalk -> {
                if (inTalk.size() > 0) {
                    return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "you are in a one-to-one talk already"));
                }
                return db.pool().preparedQuery(RECENT_RISK).execute(Tuple.of(p.userId()));
            }).compose(risk -> {
                Severity recent = Severity.values()[Math.min(4, risk.iterator().next().getInteger("rank"))];
                Severity s = Triage.max(said, recent);
                return db.pool().preparedQuery(REQUEST).execute(Tuple.from(new Object[] {info.id(),
                        info.open().start().atOffset(java.time.ZoneOffset.UTC), p.userId(), Triage.rank(s), s.wireName(), topic}));
            }).compose(inserted -> positions(info.id())).map(found -> {
                forget(info.id(), p.userId());
                refresh(info.id());
                JsonObject reply = mine(info, found, p.userId());
                return prompt == null ? reply : reply.put("prompt", prompt);
            });
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** A member leaves the queue (nothing happens when they were not in it). */
    public Future<Void> leave(Principal p, String rawId) {
        Spreekuren.Info info = visible(p, rawId);
        return db.pool().preparedQuery(LEAVE).execute(Tuple.of(info.id(), p.userId()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    for (Row r : rows) {
                        metrics.spreekuurQueueExit("left", Duration.between(r.getOffsetDateTime("queued_at").toInstant(), Instant.now()));
                        forget(info.id(), p.userId());
                        reach.toUser(p.userId(), new JsonObject().put("type", "wait").put("spreekuur", Long.toString(info.id()))
                                .put("state", "left").encode());
                        refresh(info.id());
                    }
                    return null;
                });
    }

    /** The queue as its asker sees it: a member their own place; staff the whole queue. */
    public Future<JsonObject> view(Principal p, String rawId) {
        Spreekuren.Info info = visible(p, rawId);
        return positions(info.id()).map(found -> p.isMember() ? mine(info, found, p.userId()) : hostView(info, found))
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** A member's own {@code wait} object: waiting with position and estimate, or not waiting. */
    private JsonObject mine(Spreekuren.Info info, Positions found, long userId) {
        for (Waiting w : found.waiting()) {
            if (w.userId() == userId) {
                return waitJson(info, found, w);
            }
        }
        return new JsonObject().put("spreekuur", Long.toString(info.id())).put("state", info.isOpen() ? "none" : "closed");
    }

    private JsonObject waitJson(Spreekuren.Info info, Positions found, Waiting w) {
        int hosts = spreekuren.presence().hosts(info.roomId());
        JsonObject json = new JsonObject().put("spreekuur", Long.toString(info.id())).put("state", "waiting")
                .put("position", w.position()).put("queueLength", found.waiting().size()).put("hostsPresent", hosts)
                .put("since", w.queuedAt().toString());
        OptionalLong minutes = found.estimate().minutes(w.position(), hosts, found.running());
        if (minutes.isPresent()) {
            json.put("estimatedWaitMinutes", minutes.getAsLong());
        }
        return json;
    }

    private JsonObject hostView(Spreekuren.Info info, Positions found) {
        JsonArray list = new JsonArray();
        for (Waiting w : found.waiting()) {
            JsonObject item = new JsonObject().put("id", Long.toString(w.requestId())).put("position", w.position())
                    .put("member", new JsonObject().put("id", w.publicId()).put("pseudonym", w.pseudonym()))
                    .put("severity", w.severity()).put("since", w.queuedAt().toString());
            if (w.topic() != null) {
                item.put("topic", w.topic());
            }
            list.add(item);
        }
        return new JsonObject().put("spreekuur", Long.toString(info.id())).put("waiting", list)
                .put("talksRunning", found.running()).put("hostsPresent", spreekuren.presence().hosts(info.roomId()))
                .put("typicalTalkMinutes", found.estimate().typical().toMinutes());
    }

    /** #chatsafe saw something in a member's message: a member who is waiting moves up to that risk. */
    public void riskSeen(Principal p, Severity severity) {
        if (!p.isMember() || severity == Severity.NONE || !db.isUp()) {
            return;
        }
        db.pool().preparedQuery(RAISE).execute(Tuple.of(p.userId(), Triage.rank(severity), severity.wireName()))
                .onSuccess(rows -> rows.forEach(r -> refresh(r.getLong("spreekuur_id"))))
                .onFailure(t -> log.warn("raising a waiting member's risk failed: {}", t.getMessage()));
    }

    /** On a new connection: the member's place in each queue they wait in, and any talk running for them (member or host). */
    public void connected(Principal p, Consumer<String> send) {
        if (!db.isUp()) {
            return;
        }
        db.pool().preparedQuery(PENDING_FOR).execute(Tuple.of(p.userId())).onSuccess(rows -> rows.forEach(r ->
                resume(p, r.getString("what"), r.getLong("id"), send)));
    }

    /**
     * Tells a new connection of one place in a queue ({@code what} {@code wait}, {@code id} the
     * consultation hour) or one running talk ({@code talk}, the talk's id): a row of
     * {@link #PENDING_FOR}, read here or with the connection's other state ({@code gateway.ConnectReads}).
     */
    public void resume(Principal p, String what, long id, Consumer<String> send) {
        if ("wait".equals(what)) {
            spreekuren.byId(id).ifPresent(info -> positions(id).onSuccess(found ->
                    send.accept(mine(info, found, p.userId()).put("type", "wait").encode())));
        } else {
            talkRow(id).onSuccess(t -> send.accept(talkEvent(t, "started", p.userId() == t.getLong("member_id")).encode()));
        }
    }

    // ---- the host's side ------------------------------------------------------------------------

    /**
     * A host takes the next member: the member is taken out of the queue, a private room for the
     * two is made and the talk starts, in one transaction. {@code conflict} when nobody waits.
     */
    public Future<JsonObject> take(Principal p, String rawId) {
        Spreekuren.Info info = visible(p, rawId);
        if (!Spreekuren.mayHost(p)) {
            throw new KringException(ErrorCode.FORBIDDEN, "your role may not host one-to-one talks");
        }
        return db.pool().withTransaction(conn -> conn.preparedQuery(TAKE).execute(Tuple.of(info.id())).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "nobody is waiting"));
                    }
                    Row r = rows.iterator().next();
                    long member = r.getLong("user_id");
                    Instant queued = r.getOffsetDateTime("queued_at").toInstant();
                    int waited = (int) Math.max(0, Duration.between(queued, Instant.now()).toSeconds());
                    return conn.preparedQuery(PRIVATE_ROOM).execute(Tuple.of(info.communityId(), "Gesprek: " + shorten(info.topic(), 80)))
                            .compose(room -> {
                                long roomId = room.iterator().next().getLong(0);
                                return conn.preparedQuery(PARTICIPANT).executeBatch(List.of(Tuple.of(roomId, member), Tuple.of(roomId, p.userId())))
                                        .compose(v -> conn.preparedQuery(NEW_TALK).execute(Tuple.from(new Object[] {info.id(),
                                                info.communityId(), roomId, member, p.userId(), waited})))
                                        .compose(t -> {
                                            long talkId = t.iterator().next().getLong(0);
                                            return conn.preparedQuery("UPDATE spreekuur_requests SET talk_id = $2 WHERE id = $1")
                                                    .execute(Tuple.of(r.getLong("id"), talkId))
                                                    .map(x -> new long[] {talkId, member, waited});
                                        });
                            });
                }))
                .compose(taken -> {
                    metrics.spreekuurQueueExit("taken", Duration.ofSeconds(taken[2]));
                    forget(info.id(), taken[1]);
                    refresh(info.id());
                    return talkRow(taken[0]).map(t -> {
                        reach.toUser(taken[1], talkEvent(t, "started", true).encode());
                        reach.toUser(p.userId(), talkEvent(t, "started", false).encode());
                        countRunning();
                        return new JsonObject().put("talk", talkJson(t, false));
                    });
                })
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** A talk as one of its two participants sees it. */
    public Future<JsonObject> talk(Principal p, String rawTalkId) {
        return participantTalk(p, rawTalkId).map(t -> new JsonObject().put("talk", talkJson(t, p.userId() == t.getLong("member_id"))));
    }

    /**
     * The host hands the talk to another host who is connected: the new host becomes the room's
     * participant and reads the whole conversation; the first host's sockets leave the room. The
     * member stays in the same room, so every message sent meanwhile is delivered once, in order.
     */
    public Future<JsonObject> transfer(Principal p, String rawTalkId, JsonObject body) {
        String to = Fields.string(body, "to", 1, 64);
        String reason = Fields.string(body, "reason", 0, 500, "");
        return participantTalk(p, rawTalkId).compose(t -> {
            if (t.getLong("host_id") != p.userId()) {
                return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "only the talk's host may hand it over"));
            }
            if (t.getOffsetDateTime("ended_at") != null) {
                return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this talk has ended"));
            }
            long talkId = t.getLong("id");
            long roomId = t.getLong("room_id");
            return db.pool().preparedQuery(TRANSFER_TARGET).execute(Tuple.of(to, t.getLong("community_id"))).compose(rows -> {
                if (rows.size() == 0) {
                    return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no host with this id works in this community"));
                }
                Row target = rows.iterator().next();
                long targetId = target.getLong("id");
                if (targetId == p.userId()) {
                    return Future.failedFuture(KringException.badRequest("to must be another host"));
                }
                if (!reach.hasSocket(targetId)) {
                    return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "that host is not connected now"));
                }
                return db.pool().withTransaction(conn -> conn.preparedQuery(TRANSFER).execute(Tuple.of(talkId, p.userId(), targetId))
                        .compose(u -> u.size() == 0
                                ? Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this talk was handed over or ended meanwhile"))
                                : conn.preparedQuery("DELETE FROM room_participants WHERE room_id = $1 AND user_id = $2")
                                        .execute(Tuple.of(roomId, p.userId())))
                        .compose(v -> conn.preparedQuery(PARTICIPANT).execute(Tuple.of(roomId, targetId)))
                        .compose(v -> AuditLog.record(conn, p.userId(), "spreekuur.talk_transferred", t.getLong("community_id"),
                                targetId, "talk:" + talkId, reason.isEmpty() ? null : reason, null, null)))
                        .compose(v -> {
                            long member = t.getLong("member_id");
                            rooms.ifActive(roomId).ifPresent(room -> room.participants(Set.of(member, targetId)));
                            rooms.changed(roomId);
                            metrics.spreekuurTransfer();
                            return talkRow(talkId).map(after -> {
                                JsonObject handedOver = talkEvent(after, "handed_over", false);
                                reach.removeFromRoom(p.userId(), roomId, handedOver.encode());
                                reach.toUser(member, talkEvent(after, "transferred", true).encode());
                                reach.toUser(targetId, talkEvent(after, "started", false)
                                        .put("from", new JsonObject().put("displayName", p.name()).put("role", p.role().wireName()))
                                        .encode());
                                return new JsonObject().put("talk", talkJson(after, false));
                            });
                        });
            });
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /**
     * Ends a talk (its host, or the member): the room becomes read-only for both; the member is
     * signposted (the group, the help open now, regular care) and may give feedback.
     */
    public Future<JsonObject> end(Principal p, String rawTalkId, JsonObject body) {
        Signpost signpost = p.isMember() ? Signpost.NONE : Signpost.of(Fields.oneOf(body, "signpost",
                List.of("group", "resources", "care", "none"), "resources"));
        return participantTalk(p, rawTalkId).compose(t -> {
            if (t.getOffsetDateTime("ended_at") != null) {
                return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this talk has ended"));
            }
            long talkId = t.getLong("id");
            long roomId = t.getLong("room_id");
            return db.pool().withTransaction(conn -> conn.preparedQuery(END)
                            .execute(Tuple.of(talkId, p.userId(), p.isMember() ? "member" : "host", signpost.wireName()))
                            .compose(rows -> {
                                if (rows.size() == 0) {
                                    return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "this talk was ended or handed over meanwhile"));
                                }
                                long seconds = rows.iterator().next().getLong("seconds");
                                return roomRepository.setReadOnly(conn, roomId, true)
                                        .compose(v -> conn.preparedQuery("UPDATE spreekuur_requests SET topic = NULL WHERE talk_id = $1")
                                                .execute(Tuple.of(talkId)))
                                        .map(v -> seconds);
                            }))
                    .compose(seconds -> {
                        metrics.spreekuurTalkEnded(Duration.ofSeconds(seconds));
                        rooms.ifActive(roomId).ifPresent(room -> room.update(room.settings().withReadOnly(true)));
                        rooms.changed(roomId);
                        refresh(t.getLong("spreekuur_id"));
                        countRunning();
                        return talkRow(talkId).compose(after -> safety.forCommunity(after.getLong("community_id")).map(cs -> {
                            JsonObject toMember = talkEvent(after, "ended", true).put("signpost", signpost.wireName())
                                    .put("text", signpost.text()).put("resources", safety.openNow(cs.help())).put("feedback", true);
                            spreekuren.byId(after.getLong("spreekuur_id")).filter(Spreekuren.Info::isOpen)
                                    .ifPresent(info -> toMember.put("group", Long.toString(info.roomId())));
                            reach.toUser(after.getLong("member_id"), toMember.encode());
                            reach.toUser(after.getLong("host_id"), talkEvent(after, "ended", false).encode());
                            return new JsonObject().put("talk", talkJson(after, p.isMember()));
                        }));
                    });
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /**
     * The member's feedback after the talk: a score from 0 to 10 and optional words, once. Stored
     * with the session and the day only; nothing links it to the member or the talk.
     */
    public Future<Void> feedback(Principal p, String rawTalkId, JsonObject body) {
        if (!p.isMember()) {
            throw new KringException(ErrorCode.FORBIDDEN, "only the member of a talk gives feedback");
        }
        int score = Fields.integer(body, "score", 0, 10, null);
        String comment = body.getValue("comment") == null ? null : Fields.string(body, "comment", 1, MAX_COMMENT);
        return participantTalk(p, rawTalkId).compose(t -> db.pool().withTransaction(conn ->
                        conn.preparedQuery(FEEDBACK).execute(Tuple.of(t.getLong("id"), p.userId())).compose(rows -> {
                            if (rows.size() == 0) {
                                return Future.failedFuture(new KringException(ErrorCode.CONFLICT,
                                        "feedback is given once, after the talk has ended"));
                            }
                            Row r = rows.iterator().next();
                            return conn.preparedQuery(INSERT_FEEDBACK).execute(Tuple.of(r.getLong("spreekuur_id"), r.getLong("community_id"),
                                    LocalDate.now(Schedule.AMSTERDAM), (short) score, comment));
                        }))
                .map(v -> {
                    metrics.spreekuurFeedback(score);
                    return (Void) null;
                }))
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    // ---- the session's end ------------------------------------------------------------------------

    /** Closes the requests still waiting when a session ends (in the closing transaction). */
    static Future<List<Closed>> closeWaiting(SqlConnection conn, long spreekuurId) {
        return conn.preparedQuery(CLOSE_WAITING).execute(Tuple.of(spreekuurId)).map(rows -> {
            List<Closed> out = new ArrayList<>();
            rows.forEach(r -> out.add(new Closed(r.getLong("user_id"), r.getOffsetDateTime("queued_at").toInstant())));
            return out;
        });
    }

    /** After a session closed: each member who was waiting hears so, with the closing words and the help open now. */
    void closed(Spreekuren.Info info, List<Closed> closed, JsonObject closing) {
        for (Closed c : closed) {
            metrics.spreekuurQueueExit("closed", Duration.between(c.queuedAt(), Instant.now()));
            reach.toUser(c.userId(), new JsonObject().put("type", "wait").put("spreekuur", Long.toString(info.id()))
                    .put("state", "closed").put("closing", closing).encode());
        }
        lastSent.remove(info.id());
        refresh(info.id());
    }

    // ---- positions ------------------------------------------------------------------------------

    /** The queue of one session, the talks running and the estimate, read together. */
    record Positions(List<Waiting> waiting, int running, WaitEstimate estimate) {
    }

    private Future<Positions> positions(long spreekuurId) {
        Future<RowSet<Row>> waiting = db.pool().preparedQuery(WAITING).execute(Tuple.of(spreekuurId));
        Future<RowSet<Row>> runningNow = db.pool().preparedQuery(RUNNING).execute(Tuple.of(spreekuurId));
        Future<RowSet<Row>> lengths = db.pool().preparedQuery(RECENT_LENGTHS).execute(Tuple.of(spreekuurId));
        return Future.all(waiting, runningNow, lengths).map(v -> {
            List<Waiting> list = new ArrayList<>();
            for (Row r : waiting.result()) {
                list.add(new Waiting(r.getLong("id"), r.getLong("user_id"), r.getString("public_id"), r.getString("pseudonym"),
                        r.getLong("position").intValue(), r.getString("severity"), r.getString("topic"),
                        r.getOffsetDateTime("queued_at").toInstant()));
            }
            List<Duration> recent = new ArrayList<>();
            lengths.result().forEach(r -> recent.add(Duration.ofSeconds(r.getLong("seconds"))));
            return new Positions(list, runningNow.result().iterator().next().getLong("n").intValue(), WaitEstimate.fromRecent(recent));
        });
    }

    /**
     * Recomputes a session's queue and tells every waiting member whose position or estimate
     * changed ({@code wait}), and the hosts ({@code spreekuurQueue}). Calls that come while one
     * runs are folded into one more run after it.
     */
    void refresh(long spreekuurId) {
        if (pending.merge(spreekuurId, 1, Integer::sum) == 1) {
            runRefresh(spreekuurId);
        }
    }

    private void runRefresh(long spreekuurId) {
        Spreekuren.Info info = spreekuren.byId(spreekuurId).orElse(null);
        Future<Void> done = info == null || !db.isUp() ? Future.succeededFuture() : positions(spreekuurId).map(found -> {
            publish(info, found);
            return null;
        });
        done.onComplete(ar -> {
            if (ar.failed()) {
                log.warn("refreshing a consultation hour's queue failed: {}", ar.cause().getMessage());
            }
            if (pending.compute(spreekuurId, (k, n) -> n == null || n == 1 ? null : 1) != null) {
                runRefresh(spreekuurId);
            }
        });
    }

    private void publish(Spreekuren.Info info, Positions found) {
        snapshot.put(info.id(), found.waiting());
        Map<Long, String> sent = lastSent.computeIfAbsent(info.id(), k -> new ConcurrentHashMap<>());
        Set<Long> still = new java.util.HashSet<>();
        for (Waiting w : found.waiting()) {
            still.add(w.userId());
            String json = waitJson(info, found, w).put("type", "wait").encode();
            if (!json.equals(sent.get(w.userId()))) {
                sent.put(w.userId(), json);
                reach.toUser(w.userId(), json);
            }
        }
        sent.keySet().retainAll(still);
        String hosts = hostView(info, found).put("type", "spreekuurQueue").encode();
        if (!hosts.equals(lastToHosts.put(info.id(), hosts))) {
            reach.toStaff(info.communityId(), StaffAudience.ALL, hosts);
        }
    }

    /** The member is told their place again on the next refresh (they asked again, or were taken). */
    private void forget(long spreekuurId, long userId) {
        Map<Long, String> sent = lastSent.get(spreekuurId);
        if (sent != null) {
            sent.remove(userId);
        }
    }

    /** Members waiting in a session as of the last refresh on this node. */
    int waitingCount(long spreekuurId) {
        List<Waiting> w = snapshot.get(spreekuurId);
        return w == null ? 0 : w.size();
    }

    /** Reads the number of talks running (the gauge) from PostgreSQL: at start and after a talk starts or ends. */
    void countRunning() {
        db.pool().query("SELECT count(*) AS n FROM spreekuur_talks WHERE ended_at IS NULL").execute()
                .onSuccess(rows -> running = rows.iterator().next().getLong("n").intValue());
    }

    // ---- talks ----------------------------------------------------------------------------------

    private Future<Row> talkRow(long talkId) {
        return db.pool().preparedQuery(TALK).execute(Tuple.of(talkId)).compose(rows -> rows.size() == 0
                ? Future.failedFuture(noTalk()) : Future.succeededFuture(rows.iterator().next()));
    }

    /** The talk, if the user is its member or its current host ({@code not_found} for everyone else). */
    private Future<Row> participantTalk(Principal p, String rawTalkId) {
        long id;
        try {
            id = Long.parseLong(rawTalkId);
        } catch (NumberFormatException e) {
            return Future.failedFuture(noTalk());
        }
        return talkRow(id).compose(t -> t.getLong("member_id") == p.userId() || t.getLong("host_id") == p.userId()
                ? Future.succeededFuture(t) : Future.failedFuture(noTalk()))
                .recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** A talk as the API shows it; the member sees their host, the host sees the member and their words. */
    private static JsonObject talkJson(Row t, boolean forMember) {
        JsonObject json = new JsonObject().put("id", Long.toString(t.getLong("id")))
                .put("spreekuur", Long.toString(t.getLong("spreekuur_id"))).put("room", Long.toString(t.getLong("room_id")))
                .put("state", t.getOffsetDateTime("ended_at") == null ? "running" : "ended")
                .put("startedAt", t.getOffsetDateTime("started_at").toInstant().toString())
                .put("host", new JsonObject().put("id", t.getString("host_public_id")).put("displayName", t.getString("host_name"))
                        .put("role", t.getString("host_role")));
        if (t.getOffsetDateTime("ended_at") != null) {
            json.put("endedAt", t.getOffsetDateTime("ended_at").toInstant().toString());
            if (t.getString("signpost") != null) {
                json.put("signpost", t.getString("signpost"));
            }
        }
        if (forMember) {
            json.put("feedbackGiven", t.getBoolean("feedback_given"));
        } else {
            json.put("member", new JsonObject().put("id", t.getString("member_public_id")).put("pseudonym", t.getString("member_pseudonym")))
                    .put("waitedSeconds", t.getInteger("waited_seconds")).put("transfers", t.getInteger("transfers"));
            if (t.getString("severity") != null) {
                json.put("severity", t.getString("severity"));
            }
            if (t.getString("topic") != null) {
                json.put("topic", t.getString("topic"));
            }
        }
        return json;
    }

    private static JsonObject talkEvent(Row t, String state, boolean forMember) {
        return new JsonObject().put("type", "talk").put("state", state).put("talk", talkJson(t, forMember));
    }

    /** The session, if it exists and the user belongs to or works in its community ({@code not_found} otherwise). */
    private Spreekuren.Info visible(Principal p, String rawId) {
        Spreekuren.Info info = spreekuren.byId(Spreekuren.id(rawId)).orElseThrow(Spreekuren::notFound);
        if (!p.mayEnter(info.communityId())) {
            throw Spreekuren.notFound();
        }
        return info;
    }

    private static KringException noTalk() {
        return new KringException(ErrorCode.NOT_FOUND, "no such talk");
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
