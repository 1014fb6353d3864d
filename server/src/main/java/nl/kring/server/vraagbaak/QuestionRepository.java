package nl.kring.server.vraagbaak;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code questions} table (V032): the statements and the mapping of a row to a
 * {@link Question}. Every read of a list is bound to one community or one user, so a question of
 * community A can never come back from a read for community B. Stateless; the caller passes the
 * pool or its transaction's connection.
 */
final class QuestionRepository {

    static final String SELECT = """
            SELECT q.id, q.community_id, c.slug, q.asker_id, a.public_id AS asker_public_id, a.pseudonym AS asker_pseudonym,
                   q.title, q.body, q.public_title, q.public_body, q.status, q.risk_category, q.risk_severity, q.risky,
                   q.risk_cleared_at IS NOT NULL AS risk_cleared, q.pii, q.assignee_id, s.public_id AS assignee_public_id,
                   s.pseudonym AS assignee_name, s.role AS assignee_role, q.answer, w.pseudonym AS answerer_name,
                   w.role AS answerer_role, q.answered_at, q.reason, q.asked_at, q.published_at
            FROM questions q
            JOIN communities c ON c.id = q.community_id
            JOIN users a ON a.id = q.asker_id
            LEFT JOIN users s ON s.id = q.assignee_id
            LEFT JOIN users w ON w.id = q.answered_by
            """;
    static final String ONE = SELECT + "WHERE q.id = $1";
    /** One question, locked for a step in a transaction. */
    static final String LOCK = SELECT + "WHERE q.id = $1 FOR UPDATE OF q";
    /**
     * A community's published questions, newest first ($1 community, $2 before this id or null, $3 a
     * search in Dutch or null, $4 how many). {@code websearch_to_tsquery} never fails on odd input.
     */
    static final String PUBLISHED = SELECT + """
            WHERE q.community_id = $1 AND q.status = 'published'
              AND ($2::bigint IS NULL OR (q.published_at, q.id) < (SELECT b.published_at, b.id FROM questions b
                   WHERE b.id = $2 AND b.community_id = $1 AND b.status = 'published'))
              AND ($3::text IS NULL OR q.search @@ websearch_to_tsquery('dutch'::regconfig, $3))
            ORDER BY q.published_at DESC, q.id DESC LIMIT $4""";
    /** A community's questions for its editors ($2: one status or null for all), newest first. */
    static final String STAFF = SELECT + """
            WHERE q.community_id = $1 AND ($2::text IS NULL OR q.status = $2) ORDER BY q.id DESC LIMIT 200""";
    /** The asker's own, any status, newest first. */
    static final String MINE = SELECT + "WHERE q.asker_id = $1 ORDER BY q.id DESC LIMIT 200";
    /** What is assigned to this staff member and not yet published or closed, oldest first. */
    static final String ASSIGNED = SELECT + """
            WHERE q.assignee_id = $1 AND q.status IN ('assigned', 'answered') ORDER BY q.id LIMIT 200""";
    static final String INSERT = """
            INSERT INTO questions (community_id, asker_id, title, body, risk_category, risk_severity, risky, pii)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id""";
    static final String ASSIGN = "UPDATE questions SET status = 'assigned', assignee_id = $2 WHERE id = $1";
    static final String REWORD = "UPDATE questions SET public_title = $2, public_body = $3 WHERE id = $1";
    static final String CLEAR_RISK = "UPDATE questions SET risk_cleared_by = $2, risk_cleared_at = now() WHERE id = $1";
    static final String ANSWER = """
            UPDATE questions SET status = 'answered', answer = $2, answered_by = $3, answered_at = now() WHERE id = $1""";
    /** Publishes with the editors' wording ($2, $3 when given now; else as reworded before, else the asker's). */
    static final String PUBLISH = """
            UPDATE questions SET status = 'published', published_at = now(),
                   public_title = coalesce($2, public_title, title), public_body = coalesce($3, public_body, body)
            WHERE id = $1 RETURNING published_at""";
    static final String CLOSE = "UPDATE questions SET status = $2, reason = $3, closed_at = now() WHERE id = $1";
    /**
     * Someone a question can be assigned to: staff who answer questions in the community
     * ($1 public id, $2 community), not disabled.
     */
    static final String ANSWERER = """
            SELECT u.id, u.role FROM users u
            WHERE u.public_id = $1 AND u.role IN ('peer_expert', 'professional', 'moderator', 'admin')
              AND u.banned_at IS NULL AND u.deleted_at IS NULL
              AND (u.all_communities OR EXISTS (SELECT 1 FROM staff_communities sc WHERE sc.user_id = u.id AND sc.community_id = $2))""";
    /** The professionals and peer experts of a community, for the editors' choice. */
    static final String ANSWERERS = """
            SELECT u.public_id, u.pseudonym, u.role FROM users u
            WHERE u.role IN ('peer_expert', 'professional') AND u.banned_at IS NULL AND u.deleted_at IS NULL
              AND EXISTS (SELECT 1 FROM staff_communities sc WHERE sc.user_id = u.id AND sc.community_id = $1)
            ORDER BY u.role, u.pseudonym LIMIT 500""";
    /** Open questions by status, over all communities (the gauge). */
    static final String OPEN_COUNTS = """
            SELECT status, count(*) AS n FROM questions WHERE status IN ('waiting', 'assigned', 'answered') GROUP BY status""";

    private QuestionRepository() {
    }

    static Future<Question> one(SqlClient client, long id, boolean lock) {
        return client.preparedQuery(lock ? LOCK : ONE).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : question(rows.iterator().next()));
    }

    static Future<List<Question>> list(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).execute(args).map(QuestionRepository::questions);
    }

    static Future<Long> insert(SqlClient client, long communityId, long askerId, String title, String body, String riskCategory,
                               String riskSeverity, boolean risky, boolean pii) {
        return client.preparedQuery(INSERT).execute(Tuple.from(new Object[] {communityId, askerId, title, body, riskCategory,
                riskSeverity, risky, pii})).map(rows -> rows.iterator().next().getLong("id"));
    }

    static Future<Void> update(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).execute(args).mapEmpty();
    }

    static Future<Instant> publish(SqlClient client, long id, String title, String body) {
        return client.preparedQuery(PUBLISH).execute(Tuple.of(id, title, body))
                .map(rows -> rows.iterator().next().getOffsetDateTime("published_at").toInstant());
    }

    /** The staff member's id and role when they can answer questions in the community; null otherwise. */
    static Future<Row> answerer(SqlClient client, String publicId, long communityId) {
        return client.preparedQuery(ANSWERER).execute(Tuple.of(publicId, communityId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    }

    static Future<RowSet<Row>> answerers(SqlClient client, long communityId) {
        return client.preparedQuery(ANSWERERS).execute(Tuple.of(communityId));
    }

    static Future<Map<String, Integer>> openCounts(SqlClient client) {
        return client.query(OPEN_COUNTS).execute().map(rows -> {
            Map<String, Integer> out = new HashMap<>();
            rows.forEach(r -> out.put(r.getString("status"), r.getLong("n").intValue()));
            return out;
        });
    }

    /** An audit row's before/after: the status and what else changed, never the words. */
    static JsonObject state(Question q) {
        return new JsonObject().put("status", q.status().wireName());
    }

    private static List<Question> questions(RowSet<Row> rows) {
        List<Question> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(question(r)));
        return out;
    }

    private static Question question(Row r) {
        return new Question(r.getLong("id"), r.getLong("community_id"), r.getString("slug"), r.getLong("asker_id"),
                r.getString("asker_public_id"), r.getString("asker_pseudonym"), r.getString("title"), r.getString("body"),
                r.getString("public_title"), r.getString("public_body"),
                QuestionStatus.fromWireName(r.getString("status")).orElseThrow(), r.getString("risk_category"),
                r.getString("risk_severity"), r.getBoolean("risky"), r.getBoolean("risk_cleared"), r.getBoolean("pii"),
                r.getLong("assignee_id"), r.getString("assignee_public_id"), r.getString("assignee_name"), r.getString("assignee_role"),
                r.getString("answer"), r.getString("answerer_name"), r.getString("answerer_role"), instant(r.getOffsetDateTime("answered_at")),
                r.getString("reason"), instant(r.getOffsetDateTime("asked_at")), instant(r.getOffsetDateTime("published_at")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
