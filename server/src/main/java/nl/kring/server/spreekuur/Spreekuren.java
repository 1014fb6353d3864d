package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import nl.kring.server.access.Action;
import nl.kring.server.access.Permissions;
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
import nl.kring.server.shared.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consultation hours (eSpreekuren) of every community as they stand: the sessions loaded
 * from the schedule (admins edit it through {@link ScheduleAdmin}), and the clock that opens each
 * session's group room at its start and closes it (read-only, with the closing words and the
 * help open now) at its end. Opening and closing are conditional writes on the session's row in
 * {@code spreekuur_occurrences}, so a restart or a second node never does either twice, and a
 * session whose end passed while the server was down is closed on the next tick.
 * {@link #tick(Instant)} takes the time as an argument: the tests move it. What hangs on a
 * session (the talk queue) hears of closings through a {@link SessionListener}.
 *
 * <p>Also keeps, per node, the staff present in each group room ({@link HostPresence}). Thread-safe.
 */
public final class Spreekuren {

    private static final Logger log = LoggerFactory.getLogger(Spreekuren.class);

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
    private final SpreekuurRepository repository;
    private final RoomRegistry rooms;
    private final SafetyService safety;
    private final Reach reach;
    private final HostPresence presence = new HostPresence();
    private final Clock clock;
    private volatile Map<Long, Info> byId = Map.of();
    private volatile Map<Long, Info> byRoom = Map.of();
    private volatile Instant lastTick;
    private volatile SessionListener listener = SessionListener.NONE;
    private long timer = -1;

    public Spreekuren(Vertx vertx, Database db, RoomRepository roomRepository, RoomRegistry rooms, SafetyService safety, Reach reach,
                      KringMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.db = db;
        this.repository = new SpreekuurRepository(db, roomRepository);
        this.rooms = rooms;
        this.safety = safety;
        this.reach = reach;
        this.clock = clock;
        this.lastTick = clock.instant();
        metrics.gauge(MetricNames.SPREEKUUR_OPEN, "consultation hours open now", () -> byId.values().stream().filter(Info::isOpen).count());
        metrics.gauge(MetricNames.SPREEKUUR_HOSTS, "staff present in the group rooms of consultation hours on this node", presence::total);
    }

    /** The one told when the clock starts, a session closes or the hosts present change (set once at start-up). */
    void listen(SessionListener listener) {
        this.listener = listener;
    }

    public HostPresence presence() {
        return presence;
    }

    /** Starts the clock: a tick every few seconds with the real time. */
    public Future<Void> start(Duration every) {
        timer = vertx.setPeriodic(every.toMillis(), id -> tick(clock.instant()));
        return tick(clock.instant()).onSuccess(v -> listener.started());
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
        return repository.due(now)
                .compose(due -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (SpreekuurRepository.Due d : due) {
                        chain = chain.compose(v -> close(d.spreekuurId(), d.startsAt(), false));
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

    /** Ticks again as of the last tick: a change to the schedule is seen at once (and opens or closes what is due). */
    Future<Void> tickAgain() {
        return tick(lastTick);
    }

    /** Closes a cancelled session if it is open (as its end would), telling the same. */
    Future<Void> closeCancelled(long id) {
        return close(id, null, true);
    }

    /** Reloads the sessions without opening or closing any (after a cancellation). */
    Future<Void> reload() {
        return load().mapEmpty();
    }

    private Future<Void> open(Info info, Schedule.Occurrence o) {
        return repository.open(info, o)
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
    private Future<Void> close(long id, OffsetDateTime start, boolean cancelled) {
        Info info = byId.get(id);
        return repository.close(id, start, listener)
                .compose(afterClose -> {
                    if (afterClose == null) {
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
                            afterClose.closed(after, closing);
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
        return repository.active().map(active -> {
            Map<Long, Info> ids = new ConcurrentHashMap<>();
            Map<Long, Info> roomIds = new ConcurrentHashMap<>();
            for (Info info : active) {
                ids.putIfAbsent(info.id(), info);
                roomIds.putIfAbsent(info.roomId(), info);
            }
            byId = ids;
            byRoom = roomIds;
            return ids;
        });
    }

    // ---- reading --------------------------------------------------------------------------------

    /** A session by id as of the last tick, if it exists and is not cancelled. */
    public Optional<Info> byId(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The session, if it exists and the user belongs to or works in its community ({@code not_found} otherwise). */
    Info visible(Principal p, long id) {
        Info info = byId(id).orElseThrow(Spreekuren::notFound);
        if (!p.mayEnter(info.communityId())) {
            throw notFound();
        }
        return info;
    }

    /** The refusal for a session that does not exist or is not the asker's to see (also for an id that cannot be one). */
    static KringException notFound() {
        return new KringException(ErrorCode.NOT_FOUND, "no such consultation hour");
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
        listener.hostsChanged(info.id());
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
        return !p.isMember() && Permissions.allows(p.actor(), Action.HOST_TALKS);
    }

    /** The sessions as of the last tick. */
    Iterable<Info> all() {
        return byId.values();
    }

    /** The time of the last tick: what the sessions' phases are as of. */
    Instant lastTick() {
        return lastTick;
    }
}
