package nl.kring.moderation.queue;

import java.util.Collection;
import java.util.HashSet;

/**
 * The automatic rules that act before a moderator does, as peer-support services do outside
 * moderated hours (Mind's Side by Side hides a post that several members report): a message that
 * {@code reportersPerMessage} different members report is hidden pending review, and when
 * {@code reportersPerAuthor} different members report messages of one member within a day, all of
 * their reported messages are hidden pending review. A hidden message shows as removed until a
 * moderator dismisses the reports (it comes back) or removes it. Immutable.
 *
 * <p>Both rules count reporters, never reports: one member who reports every message of another
 * counts once, so no single member can hide anyone's messages. A staff member's messages are never
 * hidden by the rules; their reports still reach the queue for a human to judge.
 */
public record ReportRules(int reportersPerMessage, int reportersPerAuthor) {

    public static final ReportRules DEFAULTS = new ReportRules(3, 5);

    public ReportRules {
        if (reportersPerMessage < 1 || reportersPerAuthor < 1) {
            throw new IllegalArgumentException("report thresholds must be at least 1");
        }
    }

    /** What the rules do after a new report. */
    public enum Outcome {
        NOTHING, HIDE_MESSAGE, HIDE_AUTHORS_REPORTED_MESSAGES
    }

    /**
     * @param staffAuthor          whether the reported message's author is staff (peer expert, professional,
     *                             moderator, admin): then the rules never hide
     * @param reportersOfMessage   different members who reported this message, the new report included
     * @param authorReportersToday the members who reported any message of the same author in the last 24
     *                             hours, the new reporter included; one id per report or per reporter, each
     *                             reporter counts once
     */
    public Outcome afterReport(boolean staffAuthor, int reportersOfMessage, Collection<Long> authorReportersToday) {
        if (staffAuthor) {
            return Outcome.NOTHING;
        }
        if (new HashSet<>(authorReportersToday).size() >= reportersPerAuthor) {
            return Outcome.HIDE_AUTHORS_REPORTED_MESSAGES;
        }
        return reportersOfMessage >= reportersPerMessage ? Outcome.HIDE_MESSAGE : Outcome.NOTHING;
    }
}
