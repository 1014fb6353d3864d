package nl.kring.server.vraagbaak;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.chatsafe.Finding;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.AgeBand;
import nl.kring.server.shared.Audience;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The VraagBaak's rules without a server: who sees and does what, the status machine, the fields, what #chatsafe's findings mean. */
class QuestionRulesTest {

    static final long HOME = 1;
    static final long ELSEWHERE = 2;

    static Principal member(long id, long community) {
        return new Principal(id, "m" + id, "Merel", Role.MEMBER, community, "home", AgeBand.AGE_16_17, Audience.MEMBER, null,
                false, Set.of(), Set.of(), 1, Instant.MAX, false);
    }

    static Principal staff(long id, Role role, long community) {
        return new Principal(id, "s" + id, "Sam", role, null, null, null, null, null, false, Set.of(community), Set.of("home"), 1,
                Instant.MAX, false);
    }

    static Question question(QuestionStatus status, Long assignee, boolean risky, boolean cleared) {
        return new Question(7, HOME, "home", 10, "m10", "Merel", "Titel", "Vraag", null, null, status, risky ? "self_harm" : null,
                risky ? "high" : null, risky, cleared, false, assignee, null, null, null, null, null, null, null, null,
                Instant.EPOCH, null);
    }

    static ErrorCode refusal(Runnable r) {
        try {
            r.run();
        } catch (KringException e) {
            return e.code();
        }
        return null;
    }

    @Test
    void anUnpublishedQuestionIsSeenByItsAskerAndTheStaffOfItsCommunityWhoWorkOnQuestionsOnly() {
        Question q = question(QuestionStatus.ASSIGNED, 30L, false, false);
        assertThat(QuestionRules.maySee(member(10, HOME), q)).isTrue();
        assertThat(QuestionRules.maySee(member(11, HOME), q)).as("another member").isFalse();
        assertThat(QuestionRules.maySee(staff(20, Role.MODERATOR, HOME), q)).isTrue();
        assertThat(QuestionRules.maySee(staff(21, Role.ADMIN, HOME), q)).isTrue();
        assertThat(QuestionRules.maySee(staff(22, Role.MODERATOR, ELSEWHERE), q)).as("another community's editor").isFalse();
        assertThat(QuestionRules.maySee(staff(30, Role.PROFESSIONAL, HOME), q)).as("its assignee").isTrue();
        assertThat(QuestionRules.maySee(staff(31, Role.PEER_EXPERT, HOME), q)).as("another answerer of the community").isTrue();
        assertThat(QuestionRules.maySee(staff(32, Role.PROFESSIONAL, ELSEWHERE), q)).as("another community's professional").isFalse();
        assertThat(QuestionRules.maySee(staff(30, Role.OPERATOR, HOME), q)).as("the operator").isFalse();
        assertThat(refusal(() -> QuestionRules.visible(member(11, HOME), q))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void onlyMembersAskAndOnlyInTheirOwnCommunity() {
        assertThat(refusal(() -> QuestionRules.checkAsk(member(10, HOME), HOME))).isNull();
        assertThat(refusal(() -> QuestionRules.checkAsk(member(10, HOME), ELSEWHERE))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refusal(() -> QuestionRules.checkAsk(staff(20, Role.MODERATOR, HOME), HOME))).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void theStatusMachine() {
        Principal editor = staff(20, Role.MODERATOR, HOME);
        Principal professional = staff(30, Role.PROFESSIONAL, HOME);
        // assign while waiting or assigned
        assertThat(refusal(() -> QuestionRules.checkAssign(question(QuestionStatus.WAITING, null, false, false)))).isNull();
        assertThat(refusal(() -> QuestionRules.checkAssign(question(QuestionStatus.ANSWERED, 30L, false, false))))
                .isEqualTo(ErrorCode.CONFLICT);
        // answerers and editors of the community answer while it is open (protocol section 9); nobody once closed
        assertThat(refusal(() -> QuestionRules.checkAnswer(professional, question(QuestionStatus.ASSIGNED, 30L, false, false)))).isNull();
        assertThat(refusal(() -> QuestionRules.checkAnswer(professional, question(QuestionStatus.WAITING, null, false, false)))).isNull();
        assertThat(refusal(() -> QuestionRules.checkAnswer(editor, question(QuestionStatus.WAITING, null, false, false)))).isNull();
        assertThat(refusal(() -> QuestionRules.checkAnswer(editor, question(QuestionStatus.PUBLISHED, 30L, false, false))))
                .isEqualTo(ErrorCode.CONFLICT);
        // the asker sees it but may not answer it
        assertThat(refusal(() -> QuestionRules.checkAnswer(member(10, HOME), question(QuestionStatus.WAITING, null, false, false))))
                .isEqualTo(ErrorCode.FORBIDDEN);
        // publish: answered, and no uncleared risk
        assertThat(refusal(() -> QuestionRules.checkPublish(question(QuestionStatus.ASSIGNED, 30L, false, false))))
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(refusal(() -> QuestionRules.checkPublish(question(QuestionStatus.ANSWERED, 30L, true, false))))
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(refusal(() -> QuestionRules.checkPublish(question(QuestionStatus.ANSWERED, 30L, true, true)))).isNull();
        assertThat(refusal(() -> QuestionRules.checkPublish(question(QuestionStatus.ANSWERED, 30L, false, false)))).isNull();
        // returned, rejected and published take no further editor step
        for (QuestionStatus closed : List.of(QuestionStatus.RETURNED, QuestionStatus.REJECTED, QuestionStatus.PUBLISHED)) {
            assertThat(refusal(() -> QuestionRules.checkOpen(question(closed, null, false, false)))).isEqualTo(ErrorCode.CONFLICT);
        }
        // clearing risk needs risk that is not cleared yet
        assertThat(refusal(() -> QuestionRules.checkClearRisk(question(QuestionStatus.WAITING, null, false, false))))
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(refusal(() -> QuestionRules.checkClearRisk(question(QuestionStatus.WAITING, null, true, false)))).isNull();
        // an editor's step by the assignee is forbidden
        assertThat(refusal(() -> QuestionRules.checkEditor(professional, question(QuestionStatus.ASSIGNED, 30L, false, false))))
                .isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void fieldsAreTrimmedAndBounded() {
        assertThat(QuestionRules.text(new JsonObject().put("title", "  Slapen  "), "title", 3, 120)).isEqualTo("Slapen");
        assertThatThrownBy(() -> QuestionRules.text(new JsonObject().put("title", " ab "), "title", 3, 120))
                .isInstanceOf(KringException.class);
        assertThatThrownBy(() -> QuestionRules.text(new JsonObject().put("title", 12), "title", 3, 120)).isInstanceOf(KringException.class);
        assertThat(QuestionRules.optionalText(new JsonObject(), "title", 3, 120)).isNull();
    }

    @Test
    void riskIsASureOrUnsureFindingOfHarmAndPersonalDetailsAreAFlagOnly() {
        Classification harm = new Classification(RiskCategory.SELF_HARM, Severity.HIGH, "r", List.of(
                new Finding(RiskCategory.SELF_HARM, Severity.HIGH, "r")));
        assertThat(QuestionRules.risk(harm)).isEqualTo(RiskCategory.SELF_HARM);
        assertThat(QuestionRules.riskSeverity(harm, RiskCategory.SELF_HARM)).isEqualTo(Severity.HIGH);
        Classification pii = new Classification(RiskCategory.PII, Severity.LOW, "phone", List.of(
                new Finding(RiskCategory.PII, Severity.LOW, "phone")));
        assertThat(QuestionRules.risk(pii)).isNull();
        assertThat(QuestionRules.pii(pii)).isTrue();
        assertThat(QuestionRules.risk(Classification.NONE)).isNull();
        assertThat(QuestionRules.pii(Classification.NONE)).isFalse();
    }
}
