package nl.kring.server.sending;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.server.messages.PendingSend;
import nl.kring.server.rooms.Room;
import nl.kring.server.safety.CommunitySafety;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;

/**
 * What the send use case ({@link SendFlow}) asks of the rest of the server, in three narrow
 * ports: the checks before #chatsafe, #chatsafe and its side effects, and the durable commit.
 * {@link ServerSendPorts} binds them to the server's services; a test binds them to its own.
 */
public final class SendPorts {

    private SendPorts() {
    }

    /** The checks a send passes before #chatsafe sees it. */
    public interface Checks {

        /** Milliseconds the author's mute still runs; 0 when not muted. */
        long mutedMs(long userId);

        /** False while the writer is overloaded or the database is down: refuse at once. */
        boolean writerAdmits();

        /** The room by its wire id (not_found when there is none). */
        Future<Room> room(String roomId);

        /** Whether a moderator is on duty for the community (else its fallback applies). */
        boolean covered(long communityId);

        /** Milliseconds until the author may send in the room under slow mode; 0 lets this one pass (and counts it). */
        long slowModeWait(long userId, long roomId, int seconds);
    }

    /** #chatsafe: the community's set-up, the decision, the prompt, and what a decision sets going. */
    public interface Safety {

        Future<CommunitySafety> community(long communityId);

        SafetyService.Decision decide(CommunitySafety cs, String body, boolean unmoderated, boolean byStaff);

        /** The author's prompt for the category, or null when it has none (a held message always gets one). */
        JsonObject prompt(CommunitySafety cs, RiskCategory category, boolean held);

        /** Holds the message with its queue item and alert; a retry of a released one answers its seq. */
        Future<SafetyService.Held> hold(Room room, Principal author, String clientMsgId, String body, boolean cw,
                                        SafetyService.Decision decision);

        /** A delivered message the model was unsure about: an item for a human. Never fails the send. */
        void review(Room room, long authorId, long seq, Classification classification);

        /** Counts a prompt shown with a delivered message (the anonymised figures); never fails. */
        Future<Void> promptShown(long roomId, long authorId, String category);

        /** Tells a running talk (eSpreekuur one-to-one) of the risk seen in its member's message. */
        void riskSeen(Principal author, Severity severity);
    }

    /** The durable commit: {@code answer} is called once, after COMMIT (or with the refusal). */
    public interface Commit {

        void commit(Room room, Principal author, String clientMsgId, String body, boolean cw, boolean care, long arrivedNanos,
                    Consumer<PendingSend.SendOutcome> answer);
    }
}
