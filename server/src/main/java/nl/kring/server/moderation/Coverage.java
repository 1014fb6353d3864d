package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.kring.moderation.queue.DutyRoster;
import nl.kring.moderation.queue.Fallback;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.peers.Notice;
import nl.kring.server.peers.Peers;
import nl.kring.server.communities.Community;
import nl.kring.server.communities.CommunityRepository;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.MetricNames;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.safety.SafetyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Duty and coverage: staff go on and off duty per community (stored in {@code duty_shifts},
 * audited); a community with no moderator on duty runs its rooms in the community's fallback
 * mode (slow mode, every flagged message held, a notice), and the rooms switch back when a
 * moderator comes on. A shift whose staff member has had no socket for the grace period ends by
 * itself. Every switch is sent to the community's rooms as a {@code coverage} event.
 * Thread-safe: the roster is guarded by this object's lock; {@link #covered} reads a snapshot.
 */
public final class Coverage {

    private static final Logger log = LoggerFactory.getLogger(Coverage.class);

    static final String OPEN_SHIFTS = """
            SELECT s.user_id, s.community_id, u.role, u.pseudonym, u.public_id FROM duty_shifts s JOIN users u ON u.id = s.user_id
            WHERE s.ended_at IS NULL""";
    static final String START = """
            INSERT INTO duty_shifts (user_id, community_id) VALUES ($1, $2)
            ON CONFLICT (user_id, community_id) WHERE ended_at IS NULL DO NOTHING RETURNING id""";
    static final String END = """
            UPDATE duty_shifts SET ended_at = now(), ended_reason = $3
            WHERE user_id = $1 AND community_id = $2 AND ended_at IS NULL RETURNING id""";

    private final Database db;
    private final CommunityRepository communities;
    private final RoomRegistry rooms;
    private final SafetyService safety;
    private final KringMetrics metrics;
    private final Reach reach;
    private final DutyRoster roster;
    /** Staff on duty: role and display name, for escalations and the duty list. */
    private final Map<Long, Principal> staff = new HashMap<>();
    private final ConcurrentHashMap<Long, Boolean> covered = new ConcurrentHashMap<>();
    private volatile Peers peers = Peers.ALONE;

    public Coverage(Database db, CommunityRepository communities, RoomRegistry rooms, SafetyService safety, Reach reach,
                    KringMetrics metrics, Clock clock, Duration grace) {
        this.db = db;
        this.communities = communities;
        this.rooms = rooms;
        this.safety = safety;
        this.reach = reach;
        this.metrics = metrics;
        this.roster = new DutyRoster(clock, grace);
        metrics.gauge(MetricNames.MOD_ROOMS_FALLBACK, "rooms active on this node that run in fallback mode (no moderator on duty)",
                this::roomsInFallback);
        metrics.gauge(MetricNames.MOD_ON_DUTY, "staff shifts on duty (one per staff member and community)", this::shiftCount);
    }

    /** Reads the open shifts (at start). */
    public Future<Void> load() {
        return db.pool().query(OPEN_SHIFTS).execute().map(rows -> {
            synchronized (this) {
                for (Row r : rows) {
                    Role role = Role.fromWireName(r.getString("role")).orElseThrow();
                    long user = r.getLong("user_id");
                    long community = r.getLong("community_id");
                    roster.start(new DutyRoster.Shift(user, community, moderates(role)));
                    covered.put(community, roster.covered(community));
                    staff.putIfAbsent(user, Principal.identity(user, r.getString("public_id"), r.getString("pseudonym"), role));
                }
            }
            return null;
        });
    }

    /** Whether a moderator is on duty in the community (any thread, no query). */
    public boolean covered(long communityId) {
        return covered.getOrDefault(communityId, false);
    }

    /** The user ids of the professionals on duty in a community. */
    public synchronized List<Long> professionalsOnDuty(long communityId) {
        List<Long> out = new ArrayList<>();
        for (DutyRoster.Shift s : roster.shifts(communityId)) {
            Principal p = staff.get(s.userId());
            if (p != null && p.role() == Role.PROFESSIONAL) {
                out.add(s.userId());
            }
        }
        return out;
    }

    /**
     * Goes on or off duty: {@code {"onDuty": true, "communities": ["slug", …]}}; without
     * {@code communities}, every community the staff member works in (an installation admin must name them).
     */
    public Future<JsonObject> setDuty(Principal p, JsonObject body) {
        Access.checkRole(p, Action.GO_ON_DUTY);
        if (!(body.getValue("onDuty") instanceof Boolean on)) {
            throw KringException.badRequest("onDuty must be true or false");
        }
        Object raw = body.getValue("communities");
        Future<List<Community>> which;
        if (raw == null) {
            if (p.allCommunities()) {
                throw KringException.badRequest("communities is required for staff of the whole installation");
            }
            which = Future.all(p.staffCommunities().stream().map(communities::byId).toList()).map(all -> {
                List<Community> out = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    all.<java.util.Optional<Community>>resultAt(i).ifPresent(out::add);
                }
                return out;
            });
        } else {
            if (!(raw instanceof JsonArray list) || list.isEmpty() || list.size() > 100) {
                throw KringException.badRequest("communities must be a list of 1 to 100 community slugs");
            }
            List<Future<Community>> found = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String slug)) {
                    throw KringException.badRequest("communities must be a list of community slugs");
                }
                found.add(communities.bySlug(slug).compose(c -> c.isEmpty() || !p.mayEnter(c.get().id())
                        ? Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such community: " + slug))
                        : Future.succeededFuture(c.get())));
            }
            which = Future.all(found).map(all -> all.<Community>list());
        }
        return which.recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)))
                .compose(list -> {
                    List<Future<Void>> changes = new ArrayList<>();
                    for (Community c : list) {
                        Access.checkCommunity(p, c.id(), Action.GO_ON_DUTY);
                        changes.add(on ? start(p, c.id()) : end(p.userId(), c.id(), "off", p.userId()));
                    }
                    return Future.all(changes);
                })
                .compose(v -> duty(p));
    }

    private Future<Void> start(Principal p, long communityId) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(START).execute(Tuple.of(p.userId(), communityId))
                        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture()
                                : AuditLog.record(conn, p.userId(), "duty.started", communityId, null, null, null, null,
                                new JsonObject().put("onDuty", true))))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(v -> {
                    startedHere(p, communityId);
                    peers.tell(Notice.DUTY, new JsonObject().put("on", true).put("user", p.userId()).put("community", communityId)
                            .put("id", p.publicId()).put("name", p.name()).put("role", p.role().wireName()));
                    return null;
                });
    }

    private void startedHere(Principal p, long communityId) {
        boolean switched;
        synchronized (this) {
            staff.put(p.userId(), p);
            switched = roster.start(new DutyRoster.Shift(p.userId(), communityId, moderates(p.role())));
            covered.put(communityId, roster.covered(communityId));
        }
        if (switched) {
            announce(communityId, true);
        }
    }

    /** Ends a shift, stored and audited ({@code by}: the staff member, or {@code null} for the system). */
    private Future<Void> end(long userId, long communityId, String reason, Long by) {
        return db.pool().withTransaction(conn -> conn.preparedQuery(END).execute(Tuple.of(userId, communityId, reason))
                        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture()
                                : AuditLog.record(conn, by, "duty.ended", communityId, userId, null, reason, null,
                                new JsonObject().put("onDuty", false))))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(v -> {
                    endedHere(userId, communityId);
                    peers.tell(Notice.DUTY, new JsonObject().put("on", false).put("user", userId).put("community", communityId));
                    return null;
                });
    }

    private void endedHere(long userId, long communityId) {
        boolean switched;
        synchronized (this) {
            switched = roster.end(userId, communityId);
            covered.put(communityId, roster.covered(communityId));
            if (roster.shiftsOf(userId).isEmpty()) {
                staff.remove(userId);
            }
        }
        if (switched) {
            announce(communityId, false);
        }
    }

    /**
     * Hears shifts started and ended on other nodes, so that every node runs a community's rooms in
     * the same mode. Each node's sweep asks the cluster-wide {@link Reach#hasSocket}; a shift that
     * several nodes end at once is ended once in PostgreSQL (the statement matches an open shift only).
     */
    public void joinCluster(Peers cluster) {
        this.peers = cluster;
        cluster.on(Notice.DUTY, n -> {
            if (n.getBoolean("on")) {
                startedHere(Principal.identity(n.getLong("user"), n.getString("id"), n.getString("name"),
                        Role.fromWireName(n.getString("role")).orElseThrow()), n.getLong("community"));
            } else {
                endedHere(n.getLong("user"), n.getLong("community"));
            }
        });
    }

    /** Ends the shifts of staff who have had no socket for the grace period; run periodically. */
    public Future<Void> sweep() {
        List<DutyRoster.Shift> lapsed;
        synchronized (this) {
            lapsed = roster.lapsed(reach::hasSocket);
        }
        List<Future<Void>> ends = new ArrayList<>();
        for (DutyRoster.Shift s : lapsed) {
            log.info("duty ended, no connection [user: {}, community: {}]", s.userId(), s.communityId());
            ends.add(end(s.userId(), s.communityId(), "no_connection", null));
        }
        return Future.all(ends).mapEmpty();
    }

    /** Who is on duty where, for the console: the caller's own shifts and each of their communities' coverage. */
    public Future<JsonObject> duty(Principal p) {
        Access.checkRole(p, Action.GO_ON_DUTY);
        JsonArray mine = new JsonArray();
        JsonArray all = new JsonArray();
        Set<Long> ids;
        synchronized (this) {
            ids = p.allCommunities() ? new java.util.HashSet<>(covered.keySet()) : p.staffCommunities();
            for (long c : ids) {
                if (roster.onDuty(p.userId(), c)) {
                    mine.add(Long.toString(c));
                }
                JsonArray who = new JsonArray();
                for (DutyRoster.Shift s : roster.shifts(c)) {
                    Principal q = staff.get(s.userId());
                    if (q != null) {
                        who.add(new JsonObject().put("id", q.publicId()).put("displayName", q.name()).put("role", q.role().wireName()));
                    }
                }
                all.add(new JsonObject().put("community", Long.toString(c)).put("moderated", roster.covered(c)).put("onDuty", who));
            }
        }
        return Future.all(ids.stream().map(communities::byId).toList()).map(found -> {
            Map<String, String> slugs = new HashMap<>();
            for (int i = 0; i < found.size(); i++) {
                found.<java.util.Optional<Community>>resultAt(i).ifPresent(c -> slugs.put(Long.toString(c.id()), c.slug()));
            }
            JsonArray mySlugs = new JsonArray();
            mine.forEach(c -> mySlugs.add(slugs.get((String) c)));
            JsonArray out = new JsonArray();
            all.forEach(o -> {
                JsonObject c = (JsonObject) o;
                out.add(c.put("community", slugs.get(c.getString("community"))));
            });
            return new JsonObject().put("onDuty", mySlugs).put("communities", out);
        }).recover(t -> Future.failedFuture(db.failure(t)));
    }

    /** The {@code coverage} object of a room's join reply and event: moderated, or the fallback in force. */
    public static JsonObject describe(boolean moderated, Fallback fallback) {
        JsonObject json = new JsonObject().put("moderated", moderated);
        if (!moderated) {
            json.put("notice", fallback.notice()).put("slowModeSeconds", fallback.slowModeSeconds())
                    .put("holdFlagged", fallback.holdFlagged());
        }
        return json;
    }

    private void announce(long communityId, boolean moderated) {
        log.info("community coverage changed [community: {}, moderated: {}]", communityId, moderated);
        safety.forCommunity(communityId).onSuccess(cs -> rooms.forEachActive(room -> {
            if (room.communityId() == communityId) {
                room.broadcastEvent(describe(moderated, cs.fallback()).put("type", "coverage").put("room", room.wireId()).encode(), -1);
            }
        }));
    }

    private int roomsInFallback() {
        int[] n = {0};
        rooms.forEachActive(room -> {
            if (!covered(room.communityId())) {
                n[0]++;
            }
        });
        return n[0];
    }

    private synchronized int shiftCount() {
        int n = 0;
        for (long c : covered.keySet()) {
            n += roster.shifts(c).size();
        }
        return n;
    }

    private static boolean moderates(Role role) {
        return role == Role.MODERATOR || role == Role.ADMIN;
    }
}
