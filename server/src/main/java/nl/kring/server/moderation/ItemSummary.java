package nl.kring.server.moderation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.List;
import nl.kring.moderation.RiskCategory;

/**
 * A queue item as the queue shows it: the SELECT that loads an item with its room (none for a
 * VraagBaak question), author, body and claimer ({@link #SUMMARY}, {@link #ONE}), and the JSON the console gets ({@link #summary}).
 * Stateless.
 */
final class ItemSummary {

    static final String SUMMARY = """
            SELECT i.id, i.community_id, i.room_id, i.held_id, i.question_id, i.seq, i.author_id, i.category, i.severity, i.sources, i.reports,
                   i.hidden, i.escalated, i.status, i.resolution, i.claimed_by, i.claim_expires_at, i.created_at, i.due_at,
                   i.resolved_at, r.name AS room_name, r.kind AS room_kind, c.slug, a.public_id AS author_public_id,
                   a.pseudonym AS author_pseudonym, a.role AS author_role, coalesce(h.body, m.body, q.title || E'\n\n' || q.body) AS body, coalesce(h.cw, m.cw) AS cw,
                   cl.public_id AS claimer_public_id, cl.pseudonym AS claimer_name, h.rule AS held_rule, i.why
            FROM mod_items i
            LEFT JOIN rooms r ON r.id = i.room_id
            JOIN communities c ON c.id = i.community_id
            JOIN users a ON a.id = i.author_id
            LEFT JOIN held_messages h ON h.id = i.held_id
            LEFT JOIN questions q ON q.id = i.question_id
            LEFT JOIN messages m ON m.room_id = i.room_id AND m.seq = i.seq
            LEFT JOIN users cl ON cl.id = i.claimed_by
            """;
    static final String ONE = SUMMARY + "WHERE i.id = $1";

    private ItemSummary() {
    }

    /** An item as the queue shows it. */
    static JsonObject summary(Row r) {
        JsonObject json = new JsonObject()
                .put("id", Long.toString(r.getLong("id")))
                .put("community", r.getString("slug"))
                .put("kind", r.getLong("held_id") != null ? "held" : r.getLong("question_id") != null ? "question" : "message")
                .put("category", r.getString("category"))
                .put("severity", r.getString("severity"))
                .put("sources", new JsonArray(List.of((Object[]) r.getArrayOfStrings("sources"))))
                // why #chatsafe queued it: rule ids, or the model's category, score and weightiest words
                .put("why", new JsonArray(List.of((Object[]) r.getArrayOfStrings("why"))))
                .put("reports", r.getInteger("reports"))
                .put("hidden", r.getBoolean("hidden"))
                .put("escalated", r.getBoolean("escalated"))
                .put("status", r.getString("status"))
                .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
                .put("dueAt", r.getOffsetDateTime("due_at").toInstant().toString())
                .put("overdue", "open".equals(r.getString("status")) && r.getOffsetDateTime("due_at").toInstant().isBefore(Instant.now()))
                .put("author", new JsonObject().put("id", r.getString("author_public_id")).put("pseudonym", r.getString("author_pseudonym"))
                        .put("role", r.getString("author_role")))
                .put("body", r.getString("body") == null ? "" : r.getString("body"))
                .put("cw", Boolean.TRUE.equals(r.getBoolean("cw")))
                // method details are blurred in the console until the moderator opens them (moderator wellbeing)
                .put("sensitive", RiskCategory.METHOD_DETAIL.wireName().equals(r.getString("category")));
        if (r.getLong("room_id") != null) {
            json.put("room", Long.toString(r.getLong("room_id"))).put("roomName", r.getString("room_name"));
        }
        if (r.getLong("held_id") != null) {
            json.put("held", Long.toString(r.getLong("held_id"))).put("rule", r.getString("held_rule"));
        } else if (r.getLong("question_id") != null) {
            // a VraagBaak question (no room): its title and words are the body
            json.put("question", Long.toString(r.getLong("question_id")));
        } else {
            json.put("seq", r.getLong("seq"));
        }
        if (r.getString("resolution") != null) {
            json.put("resolution", r.getString("resolution"));
        }
        if (r.getLong("claimed_by") != null && r.getOffsetDateTime("claim_expires_at").toInstant().isAfter(Instant.now())) {
            json.put("claimedBy", new JsonObject().put("id", r.getString("claimer_public_id")).put("displayName", r.getString("claimer_name")))
                    .put("claimExpiresAt", r.getOffsetDateTime("claim_expires_at").toInstant().toString());
        }
        return json;
    }
}
