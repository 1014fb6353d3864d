package nl.kring.server.vraagbaak;

import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Set;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.chatsafe.Finding;
import nl.kring.moderation.queue.Triage;
import nl.kring.server.access.Action;
import nl.kring.server.access.Permissions;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

/**
 * The VraagBaak's rules, without I/O: who may see and do what with a question, the status machine
 * (waiting → assigned → answered → published; any open status → returned or rejected), the fields
 * of a request, and what #chatsafe's classification means for a question. Stateless.
 *
 * <p>Who sees an unpublished question: its asker and the staff of its community who work on
 * questions (protocol section 9): the editors (moderators and admins: {@link Action#EDIT_QUESTIONS})
 * and the answerers (professionals and peer experts: {@link Action#ANSWER_QUESTIONS}; the contract
 * lets them answer any open question of their community, an assignment routes one to them). The
 * answerers' view leaves out the asker ({@code QuestionViews}). To anyone else it does not exist
 * ({@code not_found}: nothing leaks, not even across communities); someone who sees it but whose role may not do the step gets {@code forbidden}; a
 * step its status does not allow is a {@code conflict}.
 */
public final class QuestionRules {

    public static final int TITLE_MIN = 3;
    public static final int TITLE_MAX = 120;
    public static final int BODY_MAX = 4000;
    public static final int ANSWER_MAX = 8000;
    public static final int REASON_MAX = 1000;
    /** Categories that make a question risky: a human reaches out, and an editor must clear it before publication. */
    static final Set<RiskCategory> RISKS = EnumSet.of(RiskCategory.SUICIDAL_IDEATION, RiskCategory.SELF_HARM,
            RiskCategory.METHOD_DETAIL, RiskCategory.IMMINENT_RISK, RiskCategory.THIRD_PARTY_RISK);

    private QuestionRules() {
    }

    /** Whether this user works on the community's questions as an editor. */
    public static boolean editor(Principal p, long communityId) {
        return !p.isMember() && Permissions.allows(p.actor(), Action.EDIT_QUESTIONS) && p.mayEnter(communityId);
    }

    /** Whether the user may see this unpublished question at all. */
    public static boolean maySee(Principal p, Question q) {
        if (p.isMember()) {
            return p.userId() == q.askerId();
        }
        if (!p.mayEnter(q.communityId())) {
            return false;
        }
        return editor(p, q.communityId()) || Permissions.allows(p.actor(), Action.ANSWER_QUESTIONS);
    }

    /** Asking in a community: a member (or naaste) of it. */
    public static void checkAsk(Principal p, long communityId) {
        if (!Permissions.allows(p.actor(), Action.ASK_QUESTIONS)) {
            throw new KringException(ErrorCode.FORBIDDEN, "only members ask questions");
        }
        if (!p.mayEnter(communityId)) {
            throw new KringException(ErrorCode.FORBIDDEN, "you are not a member of this community");
        }
    }

    /** The staff list of a community: its editors and answerers. */
    public static void checkStaffList(Principal p, long communityId) {
        if (!Permissions.allows(p.actor(), Action.ANSWER_QUESTIONS) && !Permissions.allows(p.actor(), Action.EDIT_QUESTIONS)) {
            throw new KringException(ErrorCode.FORBIDDEN, "your role may not work on questions");
        }
        if (!p.mayEnter(communityId)) {
            throw new KringException(ErrorCode.FORBIDDEN, "not a community you work in");
        }
    }

    /** What only a community's editors read (the answerers to assign to). */
    public static void checkEditorOf(Principal p, long communityId) {
        if (!Permissions.allows(p.actor(), Action.EDIT_QUESTIONS)) {
            throw new KringException(ErrorCode.FORBIDDEN, "your role may not edit questions");
        }
        if (!p.mayEnter(communityId)) {
            throw new KringException(ErrorCode.FORBIDDEN, "not a community you work in");
        }
    }

    /** "Assigned to me": professionals, peer experts (and editors, for what they took on themselves). */
    public static void checkAnswerer(Principal p) {
        if (!Permissions.allows(p.actor(), Action.ANSWER_QUESTIONS)) {
            throw new KringException(ErrorCode.FORBIDDEN, "your role may not answer questions");
        }
    }

    /** The question for someone who may see it; {@code not_found} otherwise. */
    public static Question visible(Principal p, Question q) {
        if (q == null || !maySee(p, q)) {
            throw notFound();
        }
        return q;
    }

    /** An editor's step (assign, reword, clear risk, publish, return, reject): visible, then an editor. */
    public static Question checkEditor(Principal p, Question q) {
        visible(p, q);
        if (!editor(p, q.communityId())) {
            throw new KringException(ErrorCode.FORBIDDEN, "only the community's editors may do this");
        }
        return q;
    }

    /** Writing the answer: an editor, professional or peer expert of its community, while the question is open. */
    public static void checkAnswer(Principal p, Question q) {
        visible(p, q);
        if (!Permissions.allows(p.actor(), Action.ANSWER_QUESTIONS)) {
            throw new KringException(ErrorCode.FORBIDDEN, "your role may not answer questions");
        }
        if (!q.status().open()) {
            throw conflict("this question is " + q.status().wireName());
        }
    }

    /** Assigning: to a professional, peer expert or editor, while waiting or assigned (not once answered). */
    public static void checkAssign(Question q) {
        if (q.status() != QuestionStatus.WAITING && q.status() != QuestionStatus.ASSIGNED) {
            throw conflict("only a waiting or assigned question can be assigned; this one is " + q.status().wireName());
        }
    }

    /** Rewording, clearing risk, returning, rejecting: while the question is open. */
    public static void checkOpen(Question q) {
        if (!q.status().open()) {
            throw conflict("this question is " + q.status().wireName());
        }
    }

    /** Clearing risk: an open question with risk that no editor cleared yet. */
    public static void checkClearRisk(Question q) {
        checkOpen(q);
        if (!q.uncleared()) {
            throw conflict("this question has no uncleared risk");
        }
    }

    /** Publishing: answered, and without risk that no editor cleared. */
    public static void checkPublish(Question q) {
        if (q.status() != QuestionStatus.ANSWERED) {
            throw conflict(q.status() == QuestionStatus.PUBLISHED ? "this question is published already"
                    : "this question has no answer yet (" + q.status().wireName() + ")");
        }
        if (q.uncleared()) {
            throw conflict("#chatsafe saw risk in this question: an editor must clear it first");
        }
    }

    /** A required text field, trimmed: {@code bad_request} unless a string of {@code min} to {@code max} characters. */
    public static String text(JsonObject body, String field, int min, int max) {
        Object v = body.getValue(field);
        if (!(v instanceof String s) || s.trim().length() < min || s.trim().length() > max) {
            throw KringException.badRequest(field + " must be a text of " + min + " to " + max + " characters");
        }
        return s.trim();
    }

    /** An optional text field: null when absent or null, else as {@link #text}. */
    public static String optionalText(JsonObject body, String field, int min, int max) {
        return body.getValue(field) == null ? null : text(body, field, min, max);
    }

    /**
     * The category that makes a question risky: #chatsafe's most serious finding, or the one it was
     * unsure about ({@code SafetyService.promptCategory}), when that is one of {@link #RISKS}; else null.
     */
    public static RiskCategory risk(Classification c) {
        if (RISKS.contains(c.category())) {
            return c.category();
        }
        Finding unsure = c.topUncertain();
        return unsure != null && RISKS.contains(unsure.category()) ? unsure.category() : null;
    }

    /** The severity of a question's risk: the sure finding's, or for an unsure one the queue's triage of it. */
    public static Severity riskSeverity(Classification c, RiskCategory risk) {
        return c.category() == risk ? c.severity() : Triage.ofReview(risk);
    }

    /** Whether #chatsafe saw personal details (the editors remove them before publication). */
    public static boolean pii(Classification c) {
        return c.findings().stream().anyMatch(f -> f.category() == RiskCategory.PII);
    }

    static KringException notFound() {
        return new KringException(ErrorCode.NOT_FOUND, "no such question");
    }

    static KringException conflict(String message) {
        return new KringException(ErrorCode.CONFLICT, message);
    }
}
