package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.queue.ReportRules;
import nl.kring.moderation.queue.Source;
import nl.kring.moderation.queue.Triage;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;

/**
 * Reports of delivered messages (protocol {@code report}): stored once per reporter, filed in the
 * queue (joining the message's open item), triaged by the report's category and what #chatsafe
 * finds in the message; by staff a report is an escalation. The report rules ({@link ReportRules}:
 * reporters of the message, and different members who reported the author in the last day) may hide
 * a member's messages pending review ({@link ReportHiding}), never a staff member's. Thread-safe.
 */
final class QueueReports {

    static final String REPORTED_MESSAGE = """
            SELECT m.author_id, m.body, m.redacted_at, m.hidden_at, u.role FROM messages m JOIN users u ON u.id = m.author_id
            WHERE m.room_id = $1 AND m.seq = $2""";
    static final String INSERT_REPORT = """
            INSERT INTO reports (room_id, seq, reporter_id, category, reason) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (room_id, seq, reporter_id) DO NOTHING RETURNING id""";
    /** One open item per delivered message: a new report joins it, raising its severity and due time when more serious. */
    static final String UPSERT_REPORTED = """
            INSERT INTO mod_items AS i (community_id, room_id, seq, author_id, category, severity, rank, sources, reports, escalated, due_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(secs => $11))
            ON CONFLICT (room_id, seq) WHERE status = 'open' AND seq IS NOT NULL DO UPDATE SET
                reports = i.reports + EXCLUDED.reports,
                sources = ARRAY(SELECT DISTINCT unnest(i.sources || EXCLUDED.sources) ORDER BY 1),
                escalated = i.escalated OR EXCLUDED.escalated,
                category = CASE WHEN EXCLUDED.rank > i.rank THEN EXCLUDED.category ELSE i.category END,
                severity = CASE WHEN EXCLUDED.rank > i.rank THEN EXCLUDED.severity ELSE i.severity END,
                rank = greatest(i.rank, EXCLUDED.rank),
                due_at = least(i.due_at, EXCLUDED.due_at)
            RETURNING id, reports, hidden, (xmax = 0) AS created""";
    /** The different members who reported the author's messages in the last day; no more than the rule needs ($2). */
    static final String AUTHOR_REPORTERS_TODAY = """
            SELECT DISTINCT r.reporter_id FROM reports r
            JOIN messages m ON m.room_id = r.room_id AND m.seq = r.seq
            JOIN users u ON u.id = r.reporter_id AND u.role = 'member'
            WHERE m.author_id = $1 AND r.created_at > now() - interval '1 day'
            LIMIT $2""";

    private final Database db;
    private final SafetyService safety;
    private final ReportHiding hiding;
    private final QueueEvents events;
    private final ReportRules rules = ReportRules.DEFAULTS;

    QueueReports(Database db, SafetyService safety, ReportHiding hiding, QueueEvents events) {
        this.db = db;
        this.safety = safety;
        this.hiding = hiding;
        this.events = events;
    }

    /**
     * A report of a delivered message: stored, filed and triaged (see the class); the report rules
     * may hide messages pending review. Answers once the report and its item are committed.
     */
    Future<Void> report(Principal reporter, Room room, long seq, String category, String reason) {
        return db.pool().preparedQuery(REPORTED_MESSAGE).execute(Tuple.of(room.id(), seq))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no message with this seq"));
                    }
                    Row m = rows.iterator().next();
                    return safety.forCommunity(room.communityId()).compose(cs -> {
                        Classification c = safety.classify(cs, m.getString("body"));
                        boolean staffAuthor = Role.fromWireName(m.getString("role")).map(Role::isStaff).orElse(true);
                        return file(reporter, room, seq, category, reason, m.getLong("author_id"), staffAuthor, c);
                    });
                });
    }

    private Future<Void> file(Principal reporter, Room room, long seq, String category, String reason, long authorId,
                              boolean staffAuthor, Classification c) {
        boolean byStaff = !reporter.isMember();
        Severity severity = Triage.ofReport(category, c.severity(), byStaff);
        String itemCategory = c.category() != RiskCategory.NONE && c.severity().compareTo(Severity.LOW) > 0 ? c.category().wireName() : category;
        String[] sources = byStaff ? new String[] {Source.ESCALATION.wireName()} : new String[] {Source.REPORT.wireName()};
        ReportHiding.Hidden hidden = new ReportHiding.Hidden();
        long[] itemId = {-1};
        boolean[] created = {false};
        return db.pool().withTransaction(conn -> conn.preparedQuery(INSERT_REPORT)
                        .execute(Tuple.of(room.id(), seq, reporter.userId(), category, reason))
                        .compose(ins -> {
                            if (ins.size() == 0) {
                                return Future.succeededFuture();
                            }
                            return conn.preparedQuery(UPSERT_REPORTED).execute(Tuple.from(new Object[] {room.communityId(), room.id(), seq,
                                            authorId, itemCategory, severity.wireName(), (short) Triage.rank(severity), sources,
                                            byStaff ? 0 : 1, byStaff, (double) Triage.dueIn(severity).toSeconds()}))
                                    .compose(item -> {
                                        Row i = item.iterator().next();
                                        itemId[0] = i.getLong("id");
                                        created[0] = i.getBoolean("created");
                                        return applyRules(conn, room, seq, authorId, staffAuthor, i.getInteger("reports"), hidden);
                                    });
                        }))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(v -> {
                    hiding.tell(hidden);
                    if (itemId[0] >= 0) {
                        events.announce(itemId[0], created[0] ? "new" : "updated");
                    }
                    return null;
                });
    }

    /**
     * The report rules, inside the report's transaction: the author's role, the message's reporters
     * and the members who reported the author in the last day decide whether to hide; collects the
     * messages hidden.
     */
    private Future<Void> applyRules(SqlConnection conn, Room room, long seq, long authorId, boolean staffAuthor, int reporters,
                                    ReportHiding.Hidden hidden) {
        return conn.preparedQuery(AUTHOR_REPORTERS_TODAY).execute(Tuple.of(authorId, rules.reportersPerAuthor())).compose(rows -> {
            List<Long> today = new ArrayList<>();
            rows.forEach(r -> today.add(r.getLong("reporter_id")));
            return switch (rules.afterReport(staffAuthor, reporters, today)) {
                case NOTHING -> Future.succeededFuture();
                case HIDE_MESSAGE -> hiding.hideMessage(conn, room.id(), seq, authorId, room.communityId(), hidden);
                case HIDE_AUTHORS_REPORTED_MESSAGES -> hiding.hideAuthorsReported(conn, authorId, room.communityId(), hidden);
            };
        });
    }
}
