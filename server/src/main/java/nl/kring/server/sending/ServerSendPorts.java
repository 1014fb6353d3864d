package nl.kring.server.sending;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.server.messages.MessageWriter;
import nl.kring.server.messages.PendingSend;
import nl.kring.server.moderation.Coverage;
import nl.kring.server.moderation.Mutes;
import nl.kring.server.rooms.Room;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.rooms.SlowMode;
import nl.kring.server.safety.CommunitySafety;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;
import nl.kring.server.spreekuur.TalkQueue;

/** The send use case's ports ({@link SendPorts}) bound to the server's own services; wiring only. */
public final class ServerSendPorts implements SendPorts.Checks, SendPorts.Safety, SendPorts.Commit {

    private final RoomRegistry rooms;
    private final MessageWriter writer;
    private final SafetyService safety;
    private final Coverage coverage;
    private final Mutes mutes;
    private final SlowMode slowMode;
    private final TalkQueue talks;

    public ServerSendPorts(RoomRegistry rooms, MessageWriter writer, SafetyService safety, Coverage coverage, Mutes mutes,
                           SlowMode slowMode, TalkQueue talks) {
        this.rooms = rooms;
        this.writer = writer;
        this.safety = safety;
        this.coverage = coverage;
        this.mutes = mutes;
        this.slowMode = slowMode;
        this.talks = talks;
    }

    @Override
    public long mutedMs(long userId) {
        return mutes.remainingMs(userId);
    }

    @Override
    public boolean writerAdmits() {
        return writer.admits();
    }

    @Override
    public Future<Room> room(String roomId) {
        return rooms.get(roomId);
    }

    @Override
    public boolean covered(long communityId) {
        return coverage.covered(communityId);
    }

    @Override
    public long slowModeWait(long userId, long roomId, int seconds) {
        return slowMode.tryPass(userId, roomId, seconds);
    }

    @Override
    public Future<CommunitySafety> community(long communityId) {
        return safety.forCommunity(communityId);
    }

    @Override
    public SafetyService.Decision decide(CommunitySafety cs, String body, boolean unmoderated, boolean byStaff) {
        return safety.decide(cs, body, unmoderated, byStaff);
    }

    @Override
    public JsonObject prompt(CommunitySafety cs, RiskCategory category, boolean held) {
        return safety.prompt(cs, category, held);
    }

    @Override
    public Future<SafetyService.Held> hold(Room room, Principal author, String clientMsgId, String body, boolean cw,
                                           SafetyService.Decision decision) {
        return safety.hold(room.id(), room.communityId(), author, clientMsgId, body, cw, decision);
    }

    @Override
    public void review(Room room, long authorId, long seq, Classification classification) {
        safety.review(room.id(), room.communityId(), authorId, seq, classification);
    }

    @Override
    public Future<Void> promptShown(long roomId, long authorId, String category) {
        return safety.promptShown(roomId, authorId, category);
    }

    @Override
    public void riskSeen(Principal author, Severity severity) {
        talks.riskSeen(author, severity);
    }

    @Override
    public void commit(Room room, Principal author, String clientMsgId, String body, boolean cw, boolean care, long arrivedNanos,
                       Consumer<PendingSend.SendOutcome> answer) {
        writer.submit(new PendingSend(room, author, clientMsgId, body, cw, care, arrivedNanos, answer));
    }
}
