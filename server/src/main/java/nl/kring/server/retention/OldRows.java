package nl.kring.server.retention;

/**
 * What the retention job removes besides messages, table by table, and why delete or blank.
 * Members' own words go at the community's message retention: a report's row goes with the
 * message it is about; feedback keeps its score (the figures' {@code feedback_mean}) and loses its
 * words. Rows that tie a member to something (reports, queue rows, talks and their private rooms'
 * participants) go at the same retention as the messages and visits that the figures also read
 * (the figures cover the retention period, docs/operations.md). What is still being worked on
 * stays: open queue items and their reports, people still waiting or talking. Ended sessions go
 * {@link #ENDED_SESSION_DAYS} after they ended, whatever their community: nothing reads them.
 * The audit trail (audit_events) has its own retention and names no text of these rows.
 * Each statement removes at most 1,000 rows ($1: the community, $2: the cut-off), for
 * {@code RetentionJob}'s batches.
 */
final class OldRows {

    private OldRows() {
    }

    /** Days a session row is kept after it expired or was ended. */
    static final int ENDED_SESSION_DAYS = 30;

    /** Reports with their reasons, unless their message's queue item is still open. */
    static final String DELETE_REPORTS = """
            DELETE FROM reports WHERE id IN (SELECT r.id FROM reports r
            WHERE r.room_id IN (SELECT id FROM rooms WHERE community_id = $1) AND r.created_at < $2
              AND NOT EXISTS (SELECT 1 FROM mod_items i WHERE i.room_id = r.room_id AND i.seq = r.seq AND i.status = 'open')
            LIMIT 1000)""";
    /** Queue items resolved before the cut-off (their actions stay in the audit trail). */
    static final String DELETE_ITEMS = """
            DELETE FROM mod_items WHERE id IN (SELECT id FROM mod_items
            WHERE community_id = $1 AND status = 'resolved' AND resolved_at < $2 LIMIT 1000)""";
    /** A consultation hour's queue rows that are done, with their talk if it had one (ended before the cut-off). */
    static final String DELETE_REQUESTS = """
            DELETE FROM spreekuur_requests WHERE id IN (SELECT r.id FROM spreekuur_requests r JOIN spreekuren s ON s.id = r.spreekuur_id
            WHERE s.community_id = $1 AND r.status <> 'waiting' AND r.done_at < $2
              AND (r.talk_id IS NULL OR EXISTS (SELECT 1 FROM spreekuur_talks t WHERE t.id = r.talk_id AND t.ended_at < $2))
            LIMIT 1000)""";
    /** Talks that ended before the cut-off (their queue rows are gone first), and who could enter their private rooms. */
    static final String DELETE_TALKS = """
            WITH old AS (
                SELECT t.id, t.room_id FROM spreekuur_talks t WHERE t.community_id = $1 AND t.ended_at < $2
                  AND NOT EXISTS (SELECT 1 FROM spreekuur_requests r WHERE r.talk_id = t.id) LIMIT 1000
            ), participants AS (
                DELETE FROM room_participants WHERE room_id IN (SELECT room_id FROM old)
            )
            DELETE FROM spreekuur_talks WHERE id IN (SELECT id FROM old)""";
    /** Feedback words of days before the cut-off's day ($2: a date); the score stays. */
    static final String BLANK_FEEDBACK = """
            UPDATE spreekuur_feedback SET comment = NULL WHERE id IN (SELECT id FROM spreekuur_feedback
            WHERE community_id = $1 AND day < $2 AND comment IS NOT NULL LIMIT 1000)""";
    /**
     * VraagBaak questions returned to their asker or rejected before the cut-off: the asker's words,
     * never published (their queue item goes with them). Published questions are the VraagBaak
     * itself and stay; open ones are still being worked on.
     */
    static final String DELETE_QUESTIONS = """
            DELETE FROM questions WHERE id IN (SELECT id FROM questions
            WHERE community_id = $1 AND closed_at < $2 LIMIT 1000)""";
    /** Sessions that expired or were ended before $1 (index sessions_ended, V023). */
    static final String DELETE_SESSIONS = """
            DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE least(revoked_at, expires_at) < $1 LIMIT 1000)""";
}
