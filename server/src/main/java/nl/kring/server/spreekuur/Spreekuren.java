package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.shared.Principal;
import nl.kring.server.admin.CommunityAdmin;
import nl.kring.server.admin.Fields;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.MetricNames;
import nl.kring.server.moderation.Reach;
import nl.kring.server.moderation.StaffAudience;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.rooms.RoomRepository;
import nl.kring.server.safety.SafetyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consultation hours (eSpreekuren) of every community: the schedule that admins keep, and
 * the clock that opens each session's group room at its start and closes it (read-only, with
 * the closing words and the help open now) at its end. Opening and closing are conditional
 * writes on the session's row in {@code spreekuur_occurrences}, so a restart or a second node
 * never does either twice, and a session whose end passed while the server was down is closed
 * on the next tick. {@link #tick(Instant)} takes the time as an argument: the tests move it.
 *
 * <p>Also keeps, per node, the staff present in each group room ({@link HostPresence}). Thread-safe.
 */
public final class Spreekuren {

    private static final Logger log = LoggerFactory.getLogger(Spreekuren.class);
    static final String DEFAULT_CLOSING = "Het spreekuur is voorbij. Dank je wel voor het meepraten. "
            + "Je kunt verder praten in de andere groepen. Gaat het niet goed? Bel of chat met 113 (0800-0113), "
            + "of bel 112 bij direct gevaar.";
    static final int MAX_HOSTS = 20;

    static final String ACTIVE = """
            SELECT s.id, s.community_id, s.room_id, s.topic, s.description, s.first_day, s.start_time, s.duration_minutes,
                   s.weekly, s.last_day, s.capacity, s.one_to_one, s.closing_text, c.slug,
                   o.starts_at AS open_start, o.ends_at AS open_end,
                   coalesce((SELECT json_agg(json_build_object('id', u.public_id, 'displayName', u.pseudonym, 'role', u.role)
                                             ORDER BY u.pseudonym)
                             FROM spreekuur_hosts h JOIN users u ON u.id = h.user_id WHERE h.spreekuur_id = s.id), '[]')::text AS hosts
            FROM spreekuren s JOIN communities c ON c.id = s.community_id
            LEFT JOIN spreekuur_occurrences o ON o.spreekuur_id = s.id AND o.closed_at IS NULL
            WHERE s.cancelled_at IS NULL
            ORDER BY s.id""";

    static final String INSERT_ROOM = """
            INSERT INTO rooms (community_id, name, kind, capacity, read_only) VALUES ($1, $2, 'spreekuur', $3, true) RETURNING id""";

    static final String INSERT = """
            INSERT INTO spreekuren (community_id, room_id, topic, description, first_day, start_time, duration_minutes, weekly,
                                    last_day, capacity, one_to_one, closing_text, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id""";

    static final String UPDATE = """
            UPDATE spreekuren SET topic = $2, description = $3, capacity = $4, one_to_one = $5, closing_text = $6,
                   cancelled_at = CASE WHEN $7 THEN coalesce(cancelled_at, now()) ELSE cancelled_at END
            WHERE id = $1 AND cancelled_at IS NULL RETURNING room_id""";

    static final String ONE = "SELECT id, community_id, room_id, topic, description, capacity, one_to_one, closing_text"
            + " FROM spreekuren WHERE id = $1 AND cancelled_at IS NULL";

    /** Staff who may be scheduled as hosts of a community's sessions: peer experts, professionals, admins working there. */
    static final String HOSTS = """
            SELECT u.id, u.public_id FROM users u
            WHERE u.public_id = ANY($1) AND u.role IN ('peer_expert', 'professional', 'admin') AND u.banned_at IS NULL
              AND (u.all_communities OR EXISTS (SELECT 1 FROM staff_communities sc WHERE sc.user_id = u.id AND sc.community_id = $2))""";

    static final String OPEN = """
            INSERT INTO spreekuur_occurrences (spreekuur_id, starts_at, ends_at) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING RETURNING spreekuur_id""";

    static final String DUE = "SELECT spreekuur_id, starts_at FROM spreekuur_occurrences WHERE closed_at IS NULL AND ends_at <= $1";

    /** Closes one session ($2) or, for a cancellation, whichever is open ($2 null); the group room's id. */
    static final String CLOSE = """
            UPDATE spreekuur_occurrences o SET closed_at = now() FROM spreekuren s
            WHERE o.spreekuur_id = $1 AND ($2::timestamptz IS NULL OR o.starts_at = $2) AND o.closed_at IS NULL AND s.id = o.spreekuur_id
            RETURNING s.room_id""";

    /** One session as loaded: its schedule, its group room, and whether (and since when) it is open. */
    public record Info(long id, long communityId, String communitySlug, long roomId, String topic, String description,
                       Schedule schedule, int capacity, boolean oneToOne, String closingText, JsonArray hosts,
                       Schedule.Occurrence open) {

        boolean isOpen() {
            return open != null;
        }
    }

    private final Vertx vertx;
    private final Database db;
    private final CommunityAdmin communities;
    private final RoomRepository roomRepository;
    private final RoomRegistry rooms;
    private final SafetyService safety;
    private final Reach reach;
    private final HostPresence presence = new HostPresence();
    private final Clock clock;
    private volatile Map<Long, Info> byId = Map.of();
    private volatile Map<Long, Info> byRoom = Map.of();
    private volatile Instant lastTick;
    private volatile TalkQueue talks;
    private long timer = -1;

    public Spreekuren(Vertx vertx, Database db, CommunityAdmin communities, RoomRepository roomRepository, RoomRegistry rooms,
                      SafetyService safety, Reach reach, KringMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.db = db;
        this.communities = communities;
        this.roomRepository = roomRepository;
        this.rooms = rooms;
        this.safety = safety;
        this.reach = reach;
        this.clock = clock;
        this.lastTick = clock.instant();
        metrics.gauge(MetricNames.SPREEKUUR_OPEN, "consultation hours open now", () -> byId.values().stream().filter(Info::isOpen).count());
        metrics.gauge(MetricNames.SPREEKUUR_HOSTS, "staff present in the group rooms of consultation hours on this node", presence::total);
    }

    /** The queue and talks, told when sessions close (set once at start-up). */
    void talks(TalkQueue talks) {
        this.talks = talks;
    }

    public HostPresence presence() {
        return presence;
    }

    /** Starts the clock: a tick every few seconds with the real time. */
    public Future<Void> start(Duration every) {
        timer = vertx.setPeriodic(every.toMillis(), id -> tick(clock.instant()));
        return tick(clock.instant()).onSuccess(v -> {
            TalkQueue q = talks;
            if (q != null) {
                q.countRunning();
            }
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    // ---- the clock ------------------------------------------------------------------------------

    /**
     * Closes every session whose end has come and opens every session whose start has come, as of
     * {@code now}; then reloads the schedule. Public so that the tests move the clock themselves.
     */
    public Future<Void> tick(Instant now) {
        if (!db.isUp()) {
            return Future.succeededFuture();
        }
        lastTick = now;
        return db.pool().preparedQuery(DUE).execute(Tuple.of(now.atOffset(java.time.ZoneOffset.UTC)))
                .compose(due -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (Row r : due) {
                        long id = r.getLong("spreekuur_id");
                        java.time.OffsetDateTime start = r.getOffsetDateTime("starts_at");
                        chain = chain.compose(v -> close(id, start, false));
                    }
                    return chain;
                })
                .compose(v -> load())
                .compose(loaded -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (Info info : loaded.values()) {
                        if (info.isOpen()) {
                            continue;
                        }
                        Optional<Schedule.Occurrence> o = info.schedule().currentOrNext(now);
                        if (o.isPresent() && o.get().contains(now)) {
                            chain = chain.compose(x -> open(info, o.get()));
                        }
                    }
                    return chain;
                })
                .onFailure(t -> log.warn("consultation hour clock failed: {}", t.getMessage()));
    }

    private Future<Void> open(Info info, Schedule.Occurrence o) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(OPEN).execute(Tuple.of(info.id(),
                        o.start().atOffset(java.time.ZoneOffset.UTC), o.end().atOffset(java.time.ZoneOffset.UTC)))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
                        : roomRepository.setReadOnly(conn, info.roomId(), false).map(true)))
                .compose(opened -> {
                    if (!opened) {
                        return Future.succeededFuture();
                    }
                    log.info("consultation hour opened [spreekuur: {}, room: {}]", info.id(), info.roomId());
                    return load().map(loaded -> {
                        Info now = loaded.get(info.id());
                        rooms.ifActive(info.roomId()).ifPresent(room -> room.update(room.settings().withReadOnly(false)));
                        rooms.changed(info.roomId());
                        announce(now, null);
                        return null;
                    });
                });
    }

    /**
     * Closes a session: the group room becomes read-only, the members still waiting for a talk are
     * told (with the help open now), and talks that are running go on until their host ends them.
     */
    private Future<Void> close(long id, java.time.OffsetDateTime start, boolean cancelled) {
        Info info = byId.get(id);
        return db.pool().withTransaction(conn -> conn.preparedQuery(CLOSE).execute(Tuple.of(id, start))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture((List<TalkQueue.Closed>) null)
                        : roomRepository.setReadOnly(conn, rows.iterator().next().getLong("room_id"), true)
                                .compose(v -> TalkQueue.closeWaiting(conn, id))))
                .compose(closed -> {
                    if (closed == null) {
                        return Future.succeededFuture();
                    }
                    log.info("consultation hour closed [spreekuur: {}, cancelled: {}]", id, cancelled);
                    return load().compose(loaded -> {
                        Info after = loaded.getOrDefault(id, info);
                        if (after == null) {
                            return Future.succeededFuture();
                        }
                        rooms.ifActive(after.roomId()).ifPresent(room -> room.update(room.settings().withReadOnly(true)));
                        rooms.changed(after.roomId());
                        return closingWords(after).map(closing -> {
                            announce(after, closing);
                            TalkQueue q = talks;
                            if (q != null) {
                                q.closed(after, closed, closing);
                            }
                            return null;
                        });
                    });
                });
    }

    /** What members read when a session closes: its closing words, the help open now, and the next session. */
    private Future<JsonObject> closingWords(Info info) {
        return safety.forCommunity(info.communityId()).map(cs -> {
            JsonObject closing = new JsonObject().put("text", info.closingText()).put("resources", safety.openNow(cs.help()));
            info.schedule().currentOrNext(lastTick).filter(o -> !o.contains(lastTick))
                    .ifPresent(o -> closing.put("next", occurrence(o)));
            return closing;
        });
    }

    /** The {@code spreekuur} event to everyone in the group room and to the community's staff. */
    private void announce(Info info, JsonObject closing) {
        if (info == null) {
            return;
        }
        JsonObject event = state(info).put("type", "spreekuur");
        if (closing != null) {
            event.put("closing", closing);
        }
        String json = event.encode();
        rooms.event(info.roomId(), json, -1);
        reach.toStaff(info.communityId(), StaffAudience.ALL, json);
    }

    private Future<Map<Long, Info>> load() {
        return db.pool().query(ACTIVE).execute().map(rows -> {
            Map<Long, Info> ids = new ConcurrentHashMap<>();
            Map<Long, Info> roomIds = new ConcurrentHashMap<>();
            for (Row r : rows) {
                Info info = info(r);
                ids.putIfAbsent(info.id(), info);
                roomIds.putIfAbsent(info.roomId(), info);
            }
            byId = ids;
            byRoom = roomIds;
            return ids;
        });
    }

    private static Info info(Row r) {
        Schedule schedule = new Schedule(r.getLocalDate("first_day"), r.getLocalTime("start_time"),
                Duration.ofMinutes(r.getInteger("duration_minutes")), r.getBoolean("weekly"), r.getLocalDate("last_day"));
        java.time.OffsetDateTime openStart = r.getOffsetDateTime("open_start");
        Schedule.Occurrence open = openStart == null ? null
                : new Schedule.Occurrence(openStart.toInstant(), r.getOffsetDateTime("open_end").toInstant());
        return new Info(r.getLong("id"), r.getLong("community_id"), r.getString("slug"), r.getLong("room_id"),
                r.getString("topic"), r.getString("description"), schedule, r.getInteger("capacity"), r.getBoolean("one_to_one"),
                r.getString("closing_text"), new JsonArray(r.getString("hosts")), open);
    }

    // ---- reading --------------------------------------------------------------------------------

    /** A session by id as of the last tick, if it exists and is not cancelled. */
    public Optional<Info> byId(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The session whose group room this is, if any. */
    public Optional<Info> byRoom(long roomId) {
        return Optional.ofNullable(byRoom.get(roomId));
    }

    /** Where a session is now: {@code open}, {@code waiting} (up to 15 minutes before), or {@code closed}. */
    public String phase(Info info) {
        if (info.isOpen()) {
            return "open";
        }
        return info.schedule().phase(lastTick) == Schedule.Phase.WAITING ? "waiting" : "closed";
    }

    /** A session as members and staff see it (the {@code spreekuur} object of the protocol). */
    public JsonObject state(Info info) {
        JsonObject json = new JsonObject().put("spreekuur", Long.toString(info.id())).put("room", Long.toString(info.roomId()))
                .put("topic", info.topic()).put("state", phase(info)).put("oneToOne", info.oneToOne())
                .put("hosts", presence.toJson(info.roomId())).put("scheduledHosts", info.hosts());
        if (!info.description().isEmpty()) {
            json.put("description", info.description());
        }
        if (info.isOpen()) {
            json.put("session", occurrence(info.open()));
        } else {
            info.schedule().currentOrNext(lastTick).ifPresent(o -> json.put("session", occurrence(o)));
        }
        return json;
    }

    private static JsonObject occurrence(Schedule.Occurrence o) {
        return new JsonObject().put("start", o.start().toString()).put("end", o.end().toString());
    }

    /**
     * The sessions of a community for a member or its staff: those open now and those still to
     * come within 14 days (earliest first), each with its schedule; for admins also the others.
     * From the schedule as of the last tick (every change made through this node ticks at once).
     */
    public Future<JsonObject> list(Principal p, String slug) {
        return communities.visible(p, slug).map(c -> {
            Instant horizon = lastTick.plus(Duration.ofDays(14));
            List<Info> shown = new ArrayList<>();
            for (Info info : byId.values()) {
                if (info.communityId() != c.id()) {
                    continue;
                }
                Optional<Schedule.Occurrence> next = info.schedule().currentOrNext(lastTick);
                if (info.isOpen() || (next.isPresent() && next.get().start().isBefore(horizon)) || p.isAdmin()) {
                    shown.add(info);
                }
            }
            shown.sort(java.util.Comparator.comparing(i -> i.isOpen() ? Instant.MIN
                    : i.schedule().currentOrNext(lastTick).map(Schedule.Occurrence::start).orElse(Instant.MAX)));
            JsonArray out = new JsonArray();
            for (Info info : shown) {
                JsonObject json = state(info).put("schedule", schedule(info)).put("capacity", info.capacity());
                TalkQueue q = talks;
                if (!p.isMember() && q != null) {
                    json.put("waiting", q.waitingCount(info.id()));
                }
                out.add(json);
            }
            return new JsonObject().put("spreekuren", out);
        });
    }

    private static JsonObject schedule(Info info) {
        Schedule s = info.schedule();
        JsonObject json = new JsonObject().put("firstDay", s.firstDay().toString()).put("start", s.start().toString())
                .put("durationMinutes", s.duration().toMinutes()).put("weekly", s.weekly())
                .put("timeZone", Schedule.AMSTERDAM.getId());
        if (s.lastDay() != null) {
            json.put("lastDay", s.lastDay().toString());
        }
        return json;
    }

    // ---- the admin's schedule -------------------------------------------------------------------

    /** A new session (admin): its group room is made with it, read-only until the clock opens it. */
    public Future<JsonObject> create(Principal p, String slug, JsonObject body) {
        return communities.community(p, slug, Action.MANAGE_COMMUNITY).compose(c -> {
            String topic = Fields.string(body, "topic", 1, 200);
            String description = Fields.string(body, "description", 0, 2000, "");
            LocalDate firstDay = date(body, "firstDay", true);
            LocalTime start = time(body, "start");
            int minutes = Fields.integer(body, "durationMinutes", 1, 720, null);
            boolean weekly = Fields.bool(body, "weekly", false);
            LocalDate lastDay = date(body, "lastDay", false);
            Schedule schedule;
            try {
                schedule = new Schedule(firstDay, start, Duration.ofMinutes(minutes), weekly, lastDay);
            } catch (IllegalArgumentException e) {
                throw KringException.badRequest(e.getMessage());
            }
            int capacity = Fields.integer(body, "capacity", 2, 10000, 50);
            boolean oneToOne = Fields.bool(body, "oneToOne", true);
            String closing = Fields.string(body, "closingText", 1, 1000, DEFAULT_CLOSING);
            List<String> hostIds = Fields.strings(body, "hosts", MAX_HOSTS);
            return db.pool().withTransaction(conn -> hosts(conn, hostIds, c.id())
                    .compose(hostRows -> conn.preparedQuery(INSERT_ROOM).execute(Tuple.of(c.id(), roomName(topic), capacity))
                            .compose(room -> {
                                long roomId = room.iterator().next().getLong(0);
                                return conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {c.id(), roomId, topic, description,
                                                schedule.firstDay(), schedule.start(), minutes, weekly, lastDay, capacity, oneToOne, closing,
                                                p.userId()}))
                                        .map(rows -> rows.iterator().next().getLong(0));
                            })
                            .compose(id -> setHosts(conn, id, hostRows).map(id)))
                    .compose(id -> AuditLog.record(conn, p.userId(), "spreekuur.created", c.id(), null, "spreekuur:" + id, null,
                            null, body.copy()).map(id)))
                    .compose(id -> tick(lastTick).compose(v -> one(p, id)));
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** Changes a session (admin): topic, description, capacity, one-to-one, closing words, hosts; or cancels it. */
    public Future<JsonObject> update(Principal p, String rawId, JsonObject body) {
        long id = id(rawId);
        return db.pool().preparedQuery(ONE).execute(Tuple.of(id)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(notFound());
            }
            Row r = rows.iterator().next();
            long communityId = r.getLong("community_id");
            if (!p.mayEnter(communityId)) {
                return Future.failedFuture(notFound());
            }
            Access.checkCommunity(p, communityId, Action.MANAGE_COMMUNITY);
            String topic = Fields.string(body, "topic", 1, 200, r.getString("topic"));
            String description = Fields.string(body, "description", 0, 2000, r.getString("description"));
            int capacity = Fields.integer(body, "capacity", 2, 10000, r.getInteger("capacity"));
            boolean oneToOne = Fields.bool(body, "oneToOne", r.getBoolean("one_to_one"));
            String closing = Fields.string(body, "closingText", 1, 1000, r.getString("closing_text"));
            boolean cancel = Fields.bool(body, "cancelled", false);
            List<String> hostIds = body.containsKey("hosts") ? Fields.strings(body, "hosts", MAX_HOSTS) : null;
            long roomId = r.getLong("room_id");
            return db.pool().withTransaction(conn -> conn.preparedQuery(UPDATE)
                            .execute(Tuple.from(new Object[] {id, topic, description, capacity, oneToOne, closing, cancel}))
                            .compose(u -> conn.preparedQuery("UPDATE rooms SET name = $2, capacity = $3 WHERE id = $1")
                                    .execute(Tuple.of(roomId, roomName(topic), capacity)))
                            .compose(u -> hostIds == null ? Future.succeededFuture()
                                    : hosts(conn, hostIds, communityId).compose(hostRows -> conn
                                            .preparedQuery("DELETE FROM spreekuur_hosts WHERE spreekuur_id = $1").execute(Tuple.of(id))
                                            .compose(d -> setHosts(conn, id, hostRows))))
                            .compose(u -> AuditLog.record(conn, p.userId(), cancel ? "spreekuur.cancelled" : "spreekuur.changed",
                                    communityId, null, "spreekuur:" + id, null, null, body.copy())))
                    .compose(v -> roomRepository.summary(roomId))
                    .compose(room -> {
                        room.ifPresent(stored -> rooms.ifActive(roomId).ifPresent(active -> active.update(stored.settings())));
                        rooms.changed(roomId);
                        return cancel ? close(id, null, true) : Future.succeededFuture();
                    })
                    .compose(v -> cancel ? load().map(l -> new JsonObject().put("spreekuur", Long.toString(id)).put("cancelled", true))
                            : tick(lastTick).compose(x -> one(p, id)));
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    private Future<JsonObject> one(Principal p, long id) {
        Info info = byId.get(id);
        if (info == null) {
            return Future.failedFuture(notFound());
        }
        return Future.succeededFuture(state(info).put("schedule", schedule(info)).put("capacity", info.capacity())
                .put("closingText", info.closingText()));
    }

    private static Future<List<Long>> hosts(SqlConnection conn, List<String> publicIds, long communityId) {
        if (publicIds.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return conn.preparedQuery(HOSTS).execute(Tuple.of(publicIds.toArray(new String[0]), communityId)).compose(rows -> {
            if (rows.size() != new java.util.HashSet<>(publicIds).size()) {
                return Future.failedFuture(KringException.badRequest(
                        "hosts must be ids of peer experts, professionals or admins who work in this community"));
            }
            List<Long> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getLong("id")));
            return Future.succeededFuture(ids);
        });
    }

    private static Future<Void> setHosts(SqlConnection conn, long id, List<Long> hostIds) {
        if (hostIds.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> batch = new ArrayList<>();
        hostIds.forEach(h -> batch.add(Tuple.of(id, h)));
        return conn.preparedQuery("INSERT INTO spreekuur_hosts (spreekuur_id, user_id) VALUES ($1, $2)").executeBatch(batch).mapEmpty();
    }

    private static String roomName(String topic) {
        String name = "Spreekuur: " + topic;
        return name.length() <= 100 ? name : name.substring(0, 99) + "…";
    }

    private static LocalDate date(JsonObject body, String field, boolean required) {
        Object v = body.getValue(field);
        if (v == null && !required) {
            return null;
        }
        try {
            return LocalDate.parse((String) v);
        } catch (RuntimeException e) {
            throw KringException.badRequest(field + " must be a date (YYYY-MM-DD)");
        }
    }

    private static LocalTime time(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (!(v instanceof String s) || !s.matches("\\d{2}:\\d{2}")) {
            throw KringException.badRequest(field + " must be a time (HH:MM, Europe/Amsterdam)");
        }
        try {
            return LocalTime.parse(s);
        } catch (RuntimeException e) {
            throw KringException.badRequest(field + " must be a time (HH:MM, Europe/Amsterdam)");
        }
    }

    static long id(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw notFound();
        }
    }

    static KringException notFound() {
        return new KringException(ErrorCode.NOT_FOUND, "no such consultation hour");
    }

    // ---- drop-in ----------------------------------------------------------------------------------

    /** A socket joined a room: staff in a group room are present (a {@code hosts} event when they just arrived). */
    public void entered(Room room, Principal p) {
        if (p.isMember()) {
            return;
        }
        Info info = byRoom.get(room.id());
        if (info == null) {
            return;
        }
        if (presence.entered(room.id(), p.userId(), new HostPresence.Host(p.publicId(), p.name(), p.role().wireName(), mayHost(p)))) {
            hostsChanged(info, room);
        }
    }

    /** A socket left a room (or closed). */
    public void left(Room room, Principal p) {
        if (p.isMember()) {
            return;
        }
        if (presence.left(room.id(), p.userId())) {
            Info info = byRoom.get(room.id());
            if (info != null) {
                hostsChanged(info, room);
            }
        }
    }

    private void hostsChanged(Info info, Room room) {
        announceHosts(info, room);
        TalkQueue q = talks;
        if (q != null) {
            q.refresh(info.id());
        }
    }

    /**
     * The staff present in a room changed on another node of a cluster: this node's members of the
     * room get the new {@code hosts} list (the node where it changed refreshes the talk queue).
     */
    public void hostsChangedElsewhere(long roomId) {
        Info info = byRoom.get(roomId);
        if (info != null) {
            rooms.ifActive(roomId).ifPresent(room -> announceHosts(info, room));
        }
    }

    private void announceHosts(Info info, Room room) {
        room.broadcastEvent(new JsonObject().put("type", "hosts").put("room", room.wireId())
                .put("spreekuur", Long.toString(info.id())).put("hosts", presence.toJson(room.id())).encode(), -1);
    }

    /** Whether a role may host one-to-one talks (peer experts, professionals, admins). */
    static boolean mayHost(Principal p) {
        return !p.isMember() && nl.kring.server.access.Permissions.allows(p.actor(), Action.HOST_TALKS);
    }

    /** The sessions as of the last tick (the queue's periodic refresh). */
    Iterable<Info> all() {
        return byId.values();
    }

    Instant lastTick() {
        return lastTick;
    }
}
