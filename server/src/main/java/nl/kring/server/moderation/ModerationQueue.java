package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import nl.kring.server.db.Database;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.rooms.MessageRepository;
import nl.kring.server.rooms.Room;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderation queue: items from #chatsafe holds and reviews ({@link ChatsafeItems}), member
 * reports, the automatic report rules and staff escalations ({@link QueueReports}); ordered by rank
 * (imminent risk first, then severity) and age ({@link QueueReads}); claimed with a lease that runs
 * out without activity ({@link QueueClaims}). Every change goes to the consoles as a {@code queue}
 * event ({@link QueueEvents}). This class builds the parts, runs the sweep (lapsed claims, the
 * gauges) and is the entry the other packages call. The actions themselves are
 * {@link ModerationActions}'. Thread-safe.
 */
public final class ModerationQueue {

    private static final Logger log = LoggerFactory.getLogger(ModerationQueue.class);

    private final Vertx vertx;
    private final Database db;
    private final QueueEvents events;
    private final QueueReads reads;
    private final QueueClaims claims;
    private final QueueReports reports;
    private final QueueGauges gauges;
    private long timer = -1;

    /** Builds the queue and makes it where {@code safety} puts its holds and review items. */
    public ModerationQueue(Vertx vertx, Database db, MessageRepository messages, RoomRegistry rooms,
                           SafetyService safety, MemberNotices notices, Reach reach, KringMetrics metrics, Duration lease) {
        this.vertx = vertx;
        this.db = db;
        this.events = new QueueEvents(db, reach);
        this.reads = new QueueReads(db, messages);
        this.claims = new QueueClaims(db, reads, events, metrics, lease);
        this.reports = new QueueReports(db, safety, new ReportHiding(rooms, notices), events);
        this.gauges = new QueueGauges(db, metrics);
        safety.queueTo(new ChatsafeItems(db, events));
    }

    public Duration lease() {
        return claims.lease();
    }

    /** Starts the sweep that frees lapsed claims and refreshes the queue gauges. */
    public void start() {
        long period = Math.max(500, Math.min(5000, claims.lease().toMillis() / 2));
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
        return claims.freeLapsed()
                .compose(v -> gauges.refresh())
                .onFailure(t -> log.warn("moderation sweep failed: {}", t.getMessage()));
    }

    /** The open items of a community, most urgent first (professionals: the escalated ones). */
    public Future<JsonObject> list(Principal p, long communityId) {
        return reads.list(p, communityId);
    }

    /** One item with its message, the messages around it, its reports and the author's history. */
    public Future<JsonObject> detail(Principal p, String id) {
        return reads.detail(p, id);
    }

    /** A member's earlier queue items and the audit events about them (mutes, bans, warnings), newest first. */
    public Future<JsonObject> memberHistory(Principal p, String publicId) {
        return reads.memberHistory(p, publicId);
    }

    /** Claims an item for this moderator (or renews their claim); {@code conflict} when another holds it. */
    public Future<JsonObject> claim(Principal p, String id) {
        return claims.claim(p, id);
    }

    /** Gives a claimed item back to the queue. */
    public Future<JsonObject> unclaim(Principal p, String id) {
        return claims.unclaim(p, id);
    }

    /**
     * A report of a delivered message (protocol {@code report}), filed in the queue; answers once
     * the report and its item are committed ({@link QueueReports}).
     */
    public Future<Void> report(Principal reporter, Room room, long seq, String category, String reason) {
        return reports.report(reporter, room, seq, category, reason);
    }

    QueueReads reads() {
        return reads;
    }

    QueueClaims claims() {
        return claims;
    }

    QueueEvents events() {
        return events;
    }
}
