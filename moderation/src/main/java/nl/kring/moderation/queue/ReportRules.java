package nl.kring.moderation.queue;

/**
 * The automatic rules that act before a moderator does, as peer-support services do outside
 * moderated hours (Mind's Side by Side hides a post that several members report): a message that
 * {@code reportersPerMessage} different members report is hidden pending review, and when the
 * messages of one member draw {@code reportsPerAuthor} reports within a day, all of their
 * reported messages are hidden pending review. A hidden message shows as removed until a
 * moderator dismisses the reports (it comes back) or removes it. Immutable.
 */
public record ReportRules(int reportersPerMessage, int reportsPerAuthor) {

    public static final ReportRules DEFAULTS = new ReportRules(3, 5);

    public ReportRules {
        if (reportersPerMessage < 1 || reportsPerAuthor < 1) {
            throw new IllegalArgumentException("report thresholds must be at least 1");
        }
    }

    /** What the rules do after a new report. */
    public enum Outcome {
        NOTHING, HIDE_MESSAGE, HIDE_AUTHORS_REPORTED_MESSAGES
    }

    /**
     * @param reportersOfMessage  different members who reported this message, the new report included
     * @param reportsOnAuthorDay  reports on any message of the same author in the last 24 hours, the new one included
     */
    public Outcome afterReport(int reportersOfMessage, int reportsOnAuthorDay) {
        if (reportsOnAuthorDay >= reportsPerAuthor) {
            return Outcome.HIDE_AUTHORS_REPORTED_MESSAGES;
        }
        return reportersOfMessage >= reportersPerMessage ? Outcome.HIDE_MESSAGE : Outcome.NOTHING;
    }
}
