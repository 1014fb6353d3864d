package nl.kring.server.vraagbaak;

import java.time.Instant;

/**
 * A VraagBaak question as stored, with the names the views show. Immutable.
 *
 * @param title          the asker's own title ('' once the asker erased their account)
 * @param body           the asker's own words
 * @param publicTitle    the editors' wording of the title, or null (then the asker's is published)
 * @param publicBody     the editors' wording of the question, or null
 * @param riskCategory   #chatsafe's category on arrival, or null when it saw nothing
 * @param risky          #chatsafe saw risk: never published until an editor clears it ({@code riskCleared})
 * @param pii            #chatsafe saw personal details (a number, an address): for the editors to remove
 * @param assigneeId     the professional or peer expert it is assigned to, or null
 * @param answererName   the display name of who answered, or null; with {@code answererRole} the only
 *                       thing the public learns of them
 * @param reason         why it was returned or rejected (the asker reads it), or null
 */
public record Question(long id, long communityId, String communitySlug, long askerId, String askerPublicId, String askerPseudonym,
                       String title, String body, String publicTitle, String publicBody, QuestionStatus status,
                       String riskCategory, String riskSeverity, boolean risky, boolean riskCleared, boolean pii,
                       Long assigneeId, String assigneePublicId, String assigneeName, String assigneeRole,
                       String answer, String answererName, String answererRole, Instant answeredAt, String reason,
                       Instant askedAt, Instant publishedAt) {

    /** The title the public reads (and editors publish unless they reword it). */
    public String shownTitle() {
        return publicTitle != null ? publicTitle : title;
    }

    /** The question the public reads. */
    public String shownBody() {
        return publicBody != null ? publicBody : body;
    }

    /** Risk that no editor has cleared yet. */
    public boolean uncleared() {
        return risky && !riskCleared;
    }
}
