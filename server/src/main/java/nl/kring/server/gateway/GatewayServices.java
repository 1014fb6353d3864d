package nl.kring.server.gateway;

import io.vertx.core.Vertx;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.rooms.MessageRepository;
import nl.kring.server.messages.MessageWriter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.rooms.HistoryCache;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.rooms.SlowMode;
import nl.kring.server.moderation.Coverage;
import nl.kring.server.moderation.MemberNotices;
import nl.kring.server.moderation.ModerationQueue;
import nl.kring.server.moderation.Mutes;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.spreekuur.Spreekuren;
import nl.kring.server.spreekuur.TalkQueue;

/**
 * The node-wide, thread-safe services that every gateway instance shares (one instance runs
 * per event loop).
 */
public record GatewayServices(
        Vertx vertx,
        KringConfig config,
        Database db,
        AuthService auth,
        RoomRegistry rooms,
        MessageRepository messages,
        MessageWriter writer,
        HistoryCache history,
        SessionRegistry sessions,
        RateLimiter<Long> sendLimiter,
        SlowMode slowMode,
        SafetyService safety,
        ModerationQueue queue,
        Coverage coverage,
        Mutes mutes,
        MemberNotices notices,
        Spreekuren spreekuren,
        TalkQueue talks,
        nl.kring.server.figures.Visits visits,
        KringMetrics metrics,
        nl.kring.server.sending.SendFlow sendFlow) {
}
