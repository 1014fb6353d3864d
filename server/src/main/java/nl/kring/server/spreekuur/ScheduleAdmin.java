package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.admin.CommunityAdmin;
import nl.kring.server.admin.Fields;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.rooms.RoomRepository;
import nl.kring.server.shared.Principal;

/**
 * The schedule of a community's consultation hours as the API shows and edits it: the list that
 * members and staff read, and the admin's creating, changing and cancelling of sessions (with their
 * group rooms, their scheduled hosts and the audit). Each change has the clock ({@link Spreekuren})
 * tick at once, so the change is seen and, when due, opens or closes the session.
 *
 * <p>The request body is validated here, not in {@link SpreekuurApi}: only after the admin's right
 * to the community is checked (a read), and a change falls back to the stored values; the audit
 * keeps the body as sent. Thread-safe.
 */
public final class ScheduleAdmin {

    static final String DEFAULT_CLOSING = "Het spreekuur is voorbij. Dank je wel voor het meepraten. "
            + "Je kunt verder praten in de andere groepen. Gaat het niet goed? Bel of chat met 113 (0800-0113), "
            + "of bel 112 bij direct gevaar.";
    static final int MAX_HOSTS = 20;

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

    static final String UPDATE_ROOM = "UPDATE rooms SET name = $2, capacity = $3 WHERE id = $1";

    static final String ONE = "SELECT id, community_id, room_id, topic, description, capacity, one_to_one, closing_text"
            + " FROM spreekuren WHERE id = $1 AND cancelled_at IS NULL";

    /** Staff who may be scheduled as hosts of a community's sessions: peer experts, professionals, admins working there. */
    static final String HOSTS = """
            SELECT u.id, u.public_id FROM users u
            WHERE u.public_id = ANY($1) AND u.role IN ('peer_expert', 'professional', 'admin') AND u.banned_at IS NULL
              AND (u.all_communities OR EXISTS (SELECT 1 FROM staff_communities sc WHERE sc.user_id = u.id AND sc.community_id = $2))""";

    static final String CLEAR_HOSTS = "DELETE FROM spreekuur_hosts WHERE spreekuur_id = $1";

    static final String ADD_HOST = "INSERT INTO spreekuur_hosts (spreekuur_id, user_id) VALUES ($1, $2)";

    private final Database db;
    private final CommunityAdmin communities;
    private final RoomRepository roomRepository;
    private final RoomRegistry rooms;
    private final Spreekuren spreekuren;
    private final TalkQueue queue;

    public ScheduleAdmin(Database db, CommunityAdmin communities, RoomRepository roomRepository, RoomRegistry rooms,
                         Spreekuren spreekuren, TalkQueue queue) {
        this.db = db;
        this.communities = communities;
        this.roomRepository = roomRepository;
        this.rooms = rooms;
        this.spreekuren = spreekuren;
        this.queue = queue;
    }

    /**
     * The sessions of a community for a member or its staff: those open now and those still to
     * come within 14 days (earliest first), each with its schedule; for admins also the others;
     * for staff with the members waiting for a talk. From the schedule as of the last tick (every
     * change made through this node ticks at once).
     */
    public Future<JsonObject> list(Principal p, String slug) {
        return communities.visible(p, slug).map(c -> {
            Instant lastTick = spreekuren.lastTick();
            Instant horizon = lastTick.plus(Duration.ofDays(14));
            List<Spreekuren.Info> shown = new ArrayList<>();
            for (Spreekuren.Info info : spreekuren.all()) {
                if (info.communityId() != c.id()) {
                    continue;
                }
                Optional<Schedule.Occurrence> next = info.schedule().currentOrNext(lastTick);
                if (info.isOpen() || (next.isPresent() && next.get().start().isBefore(horizon)) || p.isAdmin()) {
                    shown.add(info);
                }
            }
            shown.sort(Comparator.comparing(i -> i.isOpen() ? Instant.MIN
                    : i.schedule().currentOrNext(lastTick).map(Schedule.Occurrence::start).orElse(Instant.MAX)));
            JsonArray out = new JsonArray();
            for (Spreekuren.Info info : shown) {
                JsonObject json = spreekuren.state(info).put("schedule", schedule(info)).put("capacity", info.capacity());
                if (!p.isMember()) {
                    json.put("waiting", queue.waitingCount(info.id()));
                }
                out.add(json);
            }
            return new JsonObject().put("spreekuren", out);
        });
    }

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
                    .compose(id -> spreekuren.tickAgain().compose(v -> one(id)));
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    /** Changes a session (admin): topic, description, capacity, one-to-one, closing words, hosts; or cancels it. */
    public Future<JsonObject> update(Principal p, long id, JsonObject body) {
        return db.pool().preparedQuery(ONE).execute(Tuple.of(id)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(Spreekuren.notFound());
            }
            Row r = rows.iterator().next();
            long communityId = r.getLong("community_id");
            if (!p.mayEnter(communityId)) {
                return Future.failedFuture(Spreekuren.notFound());
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
                            .compose(u -> conn.preparedQuery(UPDATE_ROOM).execute(Tuple.of(roomId, roomName(topic), capacity)))
                            .compose(u -> hostIds == null ? Future.succeededFuture()
                                    : hosts(conn, hostIds, communityId).compose(hostRows -> conn
                                            .preparedQuery(CLEAR_HOSTS).execute(Tuple.of(id))
                                            .compose(d -> setHosts(conn, id, hostRows))))
                            .compose(u -> AuditLog.record(conn, p.userId(), cancel ? "spreekuur.cancelled" : "spreekuur.changed",
                                    communityId, null, "spreekuur:" + id, null, null, body.copy())))
                    .compose(v -> roomRepository.summary(roomId))
                    .compose(room -> {
                        room.ifPresent(stored -> rooms.ifActive(roomId).ifPresent(active -> active.update(stored.settings())));
                        rooms.changed(roomId);
                        return cancel ? spreekuren.closeCancelled(id) : Future.succeededFuture();
                    })
                    .compose(v -> cancel ? spreekuren.reload().map(l -> new JsonObject().put("spreekuur", Long.toString(id))
                            .put("cancelled", true)) : spreekuren.tickAgain().compose(x -> one(id)));
        }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
    }

    private Future<JsonObject> one(long id) {
        Optional<Spreekuren.Info> info = spreekuren.byId(id);
        if (info.isEmpty()) {
            return Future.failedFuture(Spreekuren.notFound());
        }
        return Future.succeededFuture(spreekuren.state(info.get()).put("schedule", schedule(info.get()))
                .put("capacity", info.get().capacity()).put("closingText", info.get().closingText()));
    }

    private static Future<List<Long>> hosts(SqlConnection conn, List<String> publicIds, long communityId) {
        if (publicIds.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return conn.preparedQuery(HOSTS).execute(Tuple.of(publicIds.toArray(new String[0]), communityId)).compose(rows -> {
            if (rows.size() != new HashSet<>(publicIds).size()) {
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
        return conn.preparedQuery(ADD_HOST).executeBatch(batch).mapEmpty();
    }

    /** A session's schedule as the API shows it. */
    private static JsonObject schedule(Spreekuren.Info info) {
        Schedule s = info.schedule();
        JsonObject json = new JsonObject().put("firstDay", s.firstDay().toString()).put("start", s.start().toString())
                .put("durationMinutes", s.duration().toMinutes()).put("weekly", s.weekly())
                .put("timeZone", Schedule.AMSTERDAM.getId());
        if (s.lastDay() != null) {
            json.put("lastDay", s.lastDay().toString());
        }
        return json;
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
}
