package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.chatsafe.Finding;
import nl.kring.moderation.queue.Source;
import nl.kring.moderation.queue.Triage;
import nl.kring.server.db.Database;
import nl.kring.server.safety.QueueIntake;
import nl.kring.server.safety.SafetyService;

/**
 * #chatsafe's items in the moderation queue: a held message with its item (one statement), and a
 * delivered message the model was unsure of as a review item; a new item is announced to the
 * staff who work the queue ({@link QueueEvents}). Triaged by {@link Triage}. Thread-safe.
 */
final class ChatsafeItems implements QueueIntake {

    /** The held message and its moderation queue item, in one statement; a repeat returns the first hold and no item. */
    static final String HOLD = """
            WITH h AS (
                INSERT INTO held_messages (room_id, community_id, author_id, client_msg_id, body, cw, category, severity, rule,
                                           findings, alerted)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (author_id, client_msg_id) DO UPDATE SET author_id = EXCLUDED.author_id
                RETURNING id, (xmax <> 0) AS repeated, released_seq
            ), i AS (
                INSERT INTO mod_items (community_id, room_id, held_id, author_id, category, severity, rank, sources, due_at, why)
                SELECT $2, $1, h.id, $3, $7, $8, $12, $13, now() + make_interval(secs => $14), $15 FROM h WHERE NOT h.repeated
                RETURNING id
            )
            SELECT h.id, h.repeated, h.released_seq, (SELECT id FROM i) AS item FROM h""";
    /**
     * A delivered message the model was unsure of: an item in the queue below the sure findings
     * ({@code Triage.ofReview}; one per message, a report later joins it).
     */
    static final String REVIEW = """
            INSERT INTO mod_items (community_id, room_id, seq, author_id, category, severity, rank, sources, due_at, why)
            VALUES ($1, $2, $3, $4, $5, $9, $6, '{review}', now() + make_interval(secs => $7), $8)
            ON CONFLICT (room_id, seq) WHERE status = 'open' AND seq IS NOT NULL DO NOTHING
            RETURNING id""";

    /** A VraagBaak question that shows risk: its item, about the question (no room, no message). */
    static final String QUESTION = """
            INSERT INTO mod_items (community_id, question_id, author_id, category, severity, rank, sources, due_at, why)
            VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8), $9)
            RETURNING id""";

    private final Database db;
    private final QueueEvents events;

    ChatsafeItems(Database db, QueueEvents events) {
        this.db = db;
        this.events = events;
    }

    @Override
    public Future<StoredHold> hold(long roomId, long communityId, long authorId, String clientMsgId, String body, boolean cw,
                                   Classification c, boolean alert) {
        String[] findings = c.findings().stream().map(Finding::rule).toArray(String[]::new);
        String[] sources = alert ? new String[] {Source.CHATSAFE.wireName(), Source.ALERT.wireName()}
                : new String[] {Source.CHATSAFE.wireName()};
        return db.pool().preparedQuery(HOLD).execute(Tuple.from(new Object[] {roomId, communityId, authorId, clientMsgId,
                        body, cw, c.category().wireName(), c.severity().wireName(), c.rule(), findings, alert,
                        (short) Triage.rank(c.severity()), sources, (double) Triage.dueIn(c.severity()).toSeconds(),
                        c.explanations().toArray(String[]::new)}))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new StoredHold(r.getLong("id"), r.getBoolean("repeated"), r.getLong("released_seq"), r.getLong("item"));
                });
    }

    /** Low priority; high for imminent risk, medium for method detail ({@code Triage.ofReview}), with why. */
    @Override
    public Future<List<Long>> review(long roomId, long communityId, long authorId, long seq, Classification c) {
        Finding unsure = c.topUncertain();
        Severity severity = Triage.ofReview(unsure.category());
        return db.pool().preparedQuery(REVIEW).execute(Tuple.from(new Object[] {communityId, roomId, seq, authorId,
                        unsure.category().wireName(), (short) Triage.rank(severity), (double) Triage.dueIn(severity).toSeconds(),
                        c.explanations().toArray(String[]::new), severity.wireName()}))
                .map(rows -> {
                    List<Long> created = new ArrayList<>();
                    for (Row r : rows) {
                        created.add(r.getLong("id"));
                    }
                    return created;
                });
    }

    @Override
    public Future<Long> question(io.vertx.sqlclient.SqlClient conn, long questionId, long communityId, long authorId, Classification c,
                                 Severity severity, boolean alert) {
        String category = SafetyService.promptCategory(c).wireName();
        String[] sources = alert ? new String[] {Source.CHATSAFE.wireName(), Source.ALERT.wireName()}
                : new String[] {Source.CHATSAFE.wireName()};
        return conn.preparedQuery(QUESTION).execute(Tuple.from(new Object[] {communityId, questionId, authorId, category,
                        severity.wireName(), (short) Triage.rank(severity), sources, (double) Triage.dueIn(severity).toSeconds(),
                        c.explanations().toArray(String[]::new)}))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    @Override
    public void created(long itemId, long communityId) {
        events.announce(itemId, "new");
    }
}
