package nl.kring.server.sending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import nl.kring.moderation.Action;
import nl.kring.moderation.Policy;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.chatsafe.Classifier;
import nl.kring.moderation.help.HelpDirectory;
import nl.kring.moderation.queue.Fallback;
import nl.kring.server.messages.PendingSend;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.safety.CommunitySafety;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.AgeBand;
import nl.kring.server.shared.Audience;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import nl.kring.server.shared.RoomKind;
import nl.kring.server.shared.RoomSettings;
import org.junit.jupiter.api.Test;

/**
 * The send use case without an event loop, a socket or a database: each port is this test's own
 * recording implementation, and each test says what the ports answer and what the sender must be
 * told, and what must (not) have happened.
 */
class SendFlowTest {

    private static final long COMMUNITY = 7;
    private static final Principal MEMBER = new Principal(11, "m-11", "Sanne", Role.MEMBER, COMMUNITY, "angst", AgeBand.AGE_16_17,
            Audience.MEMBER, null, false, Set.of(), Set.of(), 1, Instant.MAX, false);
    private static final Principal OTHER_COMMUNITY = new Principal(12, "m-12", "Jip", Role.MEMBER, COMMUNITY + 1, "eten",
            AgeBand.AGE_16_17, Audience.MEMBER, null, false, Set.of(), Set.of(), 2, Instant.MAX, false);
    private static final Principal MODERATOR = new Principal(13, "s-13", "Moderator Ria", Role.MODERATOR, null, null, null, null,
            null, false, Set.of(COMMUNITY), Set.of("angst"), 3, Instant.MAX, false);

    /** Every port at once, answering what the test sets and recording what the flow asked. */
    private static final class Ports implements SendPorts.Checks, SendPorts.Safety, SendPorts.Commit {
        long muted;
        boolean admits = true;
        Room room = roomWith(RoomSettings.community("Kletshoek"));
        boolean covered = true;
        long slowWait;
        final List<Integer> slowAsked = new ArrayList<>();
        Fallback fallback = Fallback.DEFAULTS;
        Set<Action> actions = EnumSet.of(Action.DELIVER);
        Classification classification = Classification.NONE;
        Boolean decidedAsStaff;
        JsonObject prompt;
        Future<SafetyService.Held> held = Future.succeededFuture(new SafetyService.Held(41, null));
        boolean holdAsked;
        final List<Long> reviewed = new ArrayList<>();
        Promise<Void> promptCounted;
        final List<String> promptsCounted = new ArrayList<>();
        final List<Severity> risks = new ArrayList<>();
        PendingSend.SendOutcome outcome = new PendingSend.SendOutcome(5, false, null);
        final List<String> committed = new ArrayList<>();
        boolean committedWarned;

        public long mutedMs(long userId) {
            return muted;
        }

        public boolean writerAdmits() {
            return admits;
        }

        public Future<Room> room(String roomId) {
            return room.wireId().equals(roomId) ? Future.succeededFuture(room)
                    : Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such room"));
        }

        public boolean covered(long communityId) {
            return covered;
        }

        public long slowModeWait(long userId, long roomId, int seconds) {
            slowAsked.add(seconds);
            return slowWait;
        }

        public Future<CommunitySafety> community(long communityId) {
            return Future.succeededFuture(new CommunitySafety(Classifier.rulesOnly(), Policy.defaults(), new HelpDirectory(List.of()),
                    fallback));
        }

        public SafetyService.Decision decide(CommunitySafety cs, String body, boolean unmoderated, boolean byStaff) {
            decidedAsStaff = byStaff;
            return new SafetyService.Decision(classification, actions);
        }

        public JsonObject prompt(CommunitySafety cs, RiskCategory category, boolean held) {
            return prompt == null ? null : prompt.copy().put("held", held);
        }

        public Future<SafetyService.Held> hold(Room room, Principal author, String clientMsgId, String body, boolean cw,
                                               SafetyService.Decision decision) {
            holdAsked = true;
            return held;
        }

        public void review(Room room, long authorId, long seq, Classification c) {
            reviewed.add(seq);
        }

        public Future<Void> promptShown(long roomId, long authorId, String category) {
            promptsCounted.add(category);
            return promptCounted == null ? Future.succeededFuture() : promptCounted.future();
        }

        public void riskSeen(Principal author, Severity severity) {
            risks.add(severity);
        }

        public void commit(Room room, Principal author, String clientMsgId, String body, boolean cw, boolean care, long arrivedNanos,
                           Consumer<PendingSend.SendOutcome> answer) {
            committed.add(clientMsgId);
            committedWarned = cw;
            answer.accept(outcome);
        }
    }

    /** The outcomes counted, in order. */
    private static final class Counted implements KringMetrics {
        final List<SendResult> results = new ArrayList<>();

        @Override
        public void sendOutcome(SendResult result) {
            results.add(result);
        }
    }

    private final Ports ports = new Ports();
    private final Counted metrics = new Counted();
    private final SendFlow flow = new SendFlow(ports, ports, ports, metrics);

    private static Room roomWith(RoomSettings settings) {
        return new Room(3, COMMUNITY, settings, 1, 4, 1);
    }

    private SendFlow.Outcome send(Principal author, String body) {
        Future<SendFlow.Outcome> f = flow.send(new SendFlow.Request(author, "3", "c-1", body, false, System.nanoTime()));
        assertTrue(f.isComplete(), "every port answered at once, so the outcome is there");
        return f.result();
    }

    private SendFlow.Outcome send(String body) {
        return send(MEMBER, body);
    }

    @Test
    void anOrdinaryMessageIsCommittedAndTheSenderToldItsSeq() {
        SendFlow.Outcome o = send("hoi allemaal");
        assertNull(o.error());
        assertEquals("delivered", o.data().getString("status"));
        assertEquals(5, o.data().getLong("seq"));
        assertEquals(List.of("c-1"), ports.committed);
        assertFalse(ports.decidedAsStaff);
        assertEquals(List.of(KringMetrics.SendResult.DELIVERED), metrics.results);
    }

    @Test
    void aMutedAuthorIsRefusedWithTheTimeLeftAndNothingIsClassifiedOrCommitted() {
        ports.muted = 90_000;
        SendFlow.Outcome o = send("hoi");
        assertEquals(ErrorCode.MUTED, o.error().code());
        assertEquals(90_000, o.error().retryAfterMs());
        assertNull(ports.decidedAsStaff);
        assertTrue(ports.committed.isEmpty());
        assertEquals(List.of(KringMetrics.SendResult.REJECTED), metrics.results);
    }

    @Test
    void anOverloadedWriterRefusesAtOnceBeforeTheRoomIsEvenLookedUp() {
        ports.admits = false;
        ports.room = null; // a lookup would throw
        SendFlow.Outcome o = send("hoi");
        assertEquals(ErrorCode.UNAVAILABLE, o.error().code());
        assertTrue(o.error().retryAfterMs() > 0);
        assertEquals(List.of(KringMetrics.SendResult.UNAVAILABLE), metrics.results);
    }

    @Test
    void aMemberOfAnotherCommunityFindsNoRoomAndAReadOnlyRoomRefusesAMember() {
        assertEquals(ErrorCode.NOT_FOUND, send(OTHER_COMMUNITY, "hoi").error().code());
        ports.room = roomWith(RoomSettings.community("Mededelingen").withReadOnly(true));
        assertEquals(ErrorCode.FORBIDDEN, send("hoi").error().code());
        assertNull(ports.decidedAsStaff, "a refused send is never classified");
        assertTrue(ports.committed.isEmpty());
    }

    @Test
    void slowModeRefusesAMemberWithTheWaitButNeverStaff() {
        ports.room = roomWith(new RoomSettings("Rustig", RoomKind.COMMUNITY, Set.of(), null, 500, 30, false, null, false));
        ports.slowWait = 12_000;
        SendFlow.Outcome o = send("hoi");
        assertEquals(ErrorCode.RATE_LIMITED, o.error().code());
        assertEquals(12_000, o.error().retryAfterMs());
        assertEquals(List.of(30), ports.slowAsked);
        assertEquals("delivered", send(MODERATOR, "welkom").data().getString("status"));
        assertEquals(List.of(30), ports.slowAsked, "staff do not pass slow mode at all");
    }

    @Test
    void withoutAModeratorOnDutyTheFallbacksSlowerModeApplies() {
        ports.covered = false;
        ports.fallback = new Fallback(60, true, Fallback.DEFAULT_NOTICE);
        ports.slowWait = 1;
        assertEquals(ErrorCode.RATE_LIMITED, send("hoi").error().code());
        assertEquals(List.of(60), ports.slowAsked);
    }

    @Test
    void aHeldMessageIsNotCommittedAndTheAuthorGetsTheHeldPrompt() {
        ports.actions = EnumSet.of(Action.HOLD);
        ports.classification = new Classification(RiskCategory.SUICIDAL_IDEATION, Severity.HIGH, "test", List.of());
        ports.prompt = new JsonObject().put("category", "suicidal_ideation");
        SendFlow.Outcome o = send("iets zwaars");
        assertEquals("held", o.data().getString("status"));
        assertEquals("41", o.data().getString("held"));
        assertTrue(o.data().getJsonObject("prompt").getBoolean("held"));
        assertTrue(ports.committed.isEmpty());
        assertEquals(List.of(Severity.HIGH), ports.risks, "a running talk hears of the risk");
        assertEquals(List.of(KringMetrics.SendResult.HELD), metrics.results);
    }

    @Test
    void aRetryOfAMessageAModeratorReleasedSinceIsDeliveredWithItsSeq() {
        ports.actions = EnumSet.of(Action.HOLD);
        ports.held = Future.succeededFuture(new SafetyService.Held(41, 9L));
        SendFlow.Outcome o = send("iets zwaars");
        assertEquals("delivered", o.data().getString("status"));
        assertEquals(9, o.data().getLong("seq"));
        assertEquals(List.of(KringMetrics.SendResult.DUPLICATE), metrics.results);
    }

    @Test
    void aFailedHoldIsTheSendersErrorNotASilentLoss() {
        ports.actions = EnumSet.of(Action.HOLD);
        ports.held = Future.failedFuture(KringException.unavailable(500));
        assertEquals(ErrorCode.UNAVAILABLE, send("iets zwaars").error().code());
    }

    @Test
    void staffAreDecidedAsStaff() {
        send(MODERATOR, "bel 113 als het niet meer gaat");
        assertTrue(ports.decidedAsStaff);
    }

    @Test
    void anUncertainMessageIsDeliveredAndReviewedUnlessItWasADuplicate() {
        ports.actions = EnumSet.of(Action.DELIVER, Action.REVIEW);
        assertEquals("delivered", send("twijfelachtig").data().getString("status"));
        assertEquals(List.of(5L), ports.reviewed);
        ports.outcome = new PendingSend.SendOutcome(5, true, null);
        send("twijfelachtig");
        assertEquals(List.of(5L), ports.reviewed, "a retry of the same message is not a second item");
    }

    @Test
    void theAckWithAPromptWaitsUntilThePromptIsCounted() {
        ports.actions = EnumSet.of(Action.DELIVER, Action.PROMPT);
        ports.classification = new Classification(RiskCategory.SELF_HARM, Severity.MEDIUM, "test", List.of());
        ports.prompt = new JsonObject().put("category", "self_harm");
        ports.promptCounted = Promise.promise();
        Future<SendFlow.Outcome> f = flow.send(new SendFlow.Request(MEMBER, "3", "c-1", "zwaar", false, System.nanoTime()));
        assertFalse(f.isComplete(), "not answered before the prompt is counted");
        assertEquals(List.of("self_harm"), ports.promptsCounted);
        ports.promptCounted.complete();
        assertEquals("self_harm", f.result().data().getJsonObject("prompt").getString("category"));
        assertEquals(5, f.result().data().getLong("seq"));
    }

    @Test
    void aContentWarningFromThePolicyIsCommittedWithTheMessage() {
        ports.actions = EnumSet.of(Action.DELIVER, Action.CONTENT_WARNING);
        send("zwaar onderwerp");
        assertTrue(ports.committedWarned);
    }

    @Test
    void aCommitThatFailsIsTheSendersErrorAndCountedAsSuch() {
        ports.outcome = new PendingSend.SendOutcome(-1, false, new KringException(ErrorCode.CONFLICT, "key used in another room"));
        assertEquals(ErrorCode.CONFLICT, send("hoi").error().code());
        assertEquals(1, metrics.results.size());
        assertFalse(metrics.results.contains(KringMetrics.SendResult.DELIVERED));
    }
}
