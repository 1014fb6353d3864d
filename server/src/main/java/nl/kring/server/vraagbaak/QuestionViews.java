package nl.kring.server.vraagbaak;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A question as each reader sees it. The public reads the published wording and the answer,
 * with the answerer by display name and role only. The asker reads their own words, where it
 * stands, why it was returned or rejected, and what was published. The editors read everything
 * (the asker's pseudonym and original words, #chatsafe's risk and personal-details flags); an
 * answerer (a professional or peer expert) reads the question as worded now, without the asker.
 * Stateless.
 */
final class QuestionViews {

    private QuestionViews() {
    }

    /** What anyone reads of a published question (protocol section 9). */
    static JsonObject published(Question q) {
        return new JsonObject().put("id", id(q)).put("community", q.communitySlug()).put("title", q.shownTitle())
                .put("body", q.shownBody()).put("answer", answer(q)).put("publishedAt", ts(q.publishedAt()));
    }

    /** The asker's own question, any status. */
    static JsonObject asker(Question q) {
        JsonObject json = new JsonObject().put("id", id(q)).put("community", q.communitySlug()).put("title", q.title())
                .put("body", q.body()).put("status", q.status().wireName()).put("askedAt", ts(q.askedAt()));
        if (q.reason() != null) {
            json.put("reason", q.reason());
        }
        if (q.status() == QuestionStatus.PUBLISHED) {
            json.put("published", new JsonObject().put("title", q.shownTitle()).put("body", q.shownBody()))
                    .put("answer", answer(q)).put("publishedAt", ts(q.publishedAt()));
        }
        return json;
    }

    /** An editor's view. */
    static JsonObject staff(Question q) {
        JsonObject json = worked(q).put("originalTitle", q.title()).put("originalBody", q.body())
                .put("reworded", q.publicTitle() != null || q.publicBody() != null)
                .put("asker", new JsonObject().put("id", q.askerPublicId()).put("pseudonym", q.askerPseudonym()));
        if (q.reason() != null) {
            json.put("reason", q.reason());
        }
        return json;
    }

    /** What an answerer (a professional or peer expert of the community) reads. */
    static JsonObject answerer(Question q) {
        return worked(q);
    }

    private static JsonObject worked(Question q) {
        JsonObject json = new JsonObject().put("id", id(q)).put("community", q.communitySlug()).put("title", q.shownTitle())
                .put("body", q.shownBody()).put("status", q.status().wireName()).put("askedAt", ts(q.askedAt()))
                .put("risky", q.risky()).put("riskCleared", q.riskCleared()).put("pii", q.pii());
        if (q.riskCategory() != null) {
            json.put("risk", new JsonObject().put("category", q.riskCategory()).put("severity", q.riskSeverity())
                    .put("cleared", q.riskCleared()));
        }
        if (q.assigneeId() != null) {
            json.put("assignedTo", new JsonObject().put("id", q.assigneePublicId()).put("displayName", q.assigneeName())
                    .put("role", q.assigneeRole()));
        }
        if (q.answer() != null) {
            json.put("answer", answer(q).put("answeredAt", ts(q.answeredAt())));
        }
        if (q.publishedAt() != null) {
            json.put("publishedAt", ts(q.publishedAt()));
        }
        return json;
    }

    private static JsonObject answer(Question q) {
        return new JsonObject().put("body", q.answer())
                .put("by", new JsonObject().put("displayName", q.answererName()).put("role", q.answererRole()));
    }

    private static String id(Question q) {
        return Long.toString(q.id());
    }

    private static String ts(Instant t) {
        return t == null ? null : t.toString();
    }
}
