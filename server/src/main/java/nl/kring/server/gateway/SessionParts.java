package nl.kring.server.gateway;

import io.vertx.core.Vertx;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.figures.Visits;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.limits.SocketRate;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.moderation.Coverage;
import nl.kring.server.moderation.MemberNotices;
import nl.kring.server.moderation.ModerationQueue;
import nl.kring.server.rooms.HistoryCache;
import nl.kring.server.rooms.MessageRepository;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.sending.SendFlow;
import nl.kring.server.spreekuur.Spreekuren;
import nl.kring.server.spreekuur.TalkQueue;

/**
 * The node-wide, thread-safe handlers of a socket's requests, shared by every {@link Session}
 * (one instance per node: a session holds one reference, not one per service). Each handler is
 * built with what it needs and nothing more.
 *
 * @param arrivals     the welcome and what a new connection is told
 * @param joins        join, resume, leave
 * @param sends        send (rate, then {@link SendFlow})
 * @param lookups      history, check, report
 * @param rooms        room events (typing)
 * @param floodStrikes refused requests within 10 s before the socket is closed
 * @param requestRate  every socket's budget of request frames, whatever their type
 */
public record SessionParts(Arrivals arrivals, Joins joins, Sends sends, Lookups lookups, RoomRegistry rooms, int floodStrikes,
                           SocketRate requestRate) {

    /** The server's wiring of the handlers. */
    public static SessionParts of(Vertx vertx, KringConfig config, Database db, RoomRegistry rooms, MessageRepository messages,
                                  HistoryCache history, RateLimiter<Long> sendLimiter, SendFlow sendFlow, SafetyService safety,
                                  ModerationQueue queue, Coverage coverage, MemberNotices notices, Spreekuren spreekuren,
                                  TalkQueue talks, Visits visits, KringMetrics metrics) {
        RoomReads reads = new RoomReads(rooms, history, messages, db);
        return new SessionParts(new Arrivals(db, notices, talks, config.heartbeatSeconds()),
                new Joins(reads, safety, coverage, spreekuren, visits, vertx, config.resumeMaxMessages()),
                new Sends(sendLimiter, sendFlow, metrics), new Lookups(reads, safety, queue), rooms, config.floodStrikes(),
                new SocketRate(config.requestRate(), config.requestBurst()));
    }
}
