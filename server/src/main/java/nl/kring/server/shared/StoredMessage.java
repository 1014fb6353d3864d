package nl.kring.server.shared;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A committed message as the wire shows it. Immutable and thread-safe.
 *
 * @param care            the author shared something heavy (#chatsafe: ideation or self-harm); a reader
 *                        who replies gets responder guidance
 * @param redactionReason {@code null} unless redacted ({@code moderation} or {@code author})
 */
public record StoredMessage(
        long roomId,
        long seq,
        long msgId,
        String clientMsgId,
        String authorId,
        String authorName,
        String authorRole,
        String body,
        boolean cw,
        boolean care,
        Instant ts,
        String redactionReason) {

    /** Rough heap footprint, for the history cache's weight bound. */
    public int weight() {
        return 160 + 2 * (body.length() + clientMsgId.length() + authorName.length());
    }

    /** The same message, redacted: it keeps its seq and loses its body. */
    public StoredMessage redacted(String reason) {
        return new StoredMessage(roomId, seq, msgId, clientMsgId, authorId, authorName, authorRole, "", cw, care, ts, reason);
    }

    /** The {@code redacted} event for a message. */
    public static String redactedEvent(long roomId, long seq, String reason) {
        return new JsonObject().put("type", "redacted").put("room", Long.toString(roomId)).put("seq", seq)
                .put("reason", reason).encode();
    }

    /** The {@code message} event; a redacted message keeps its seq and loses its body. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("type", "message")
                .put("room", Long.toString(roomId))
                .put("seq", seq)
                .put("msgId", Long.toString(msgId))
                .put("clientMsgId", clientMsgId)
                .put("author", new JsonObject().put("id", authorId).put("pseudonym", authorName).put("role", authorRole))
                .put("cw", cw)
                .put("ts", ts.toString());
        if (care) {
            json.put("care", true);
        }
        if (redactionReason == null) {
            json.put("body", body);
        } else {
            json.put("body", "").put("redacted", true).put("reason", redactionReason);
        }
        return json;
    }

    /** Reads a {@code message} event back (another node's fan-out carries the event as its members get it). */
    public static StoredMessage fromJson(JsonObject json) {
        JsonObject author = json.getJsonObject("author");
        return new StoredMessage(Long.parseLong(json.getString("room")), json.getLong("seq"), Long.parseLong(json.getString("msgId")),
                json.getString("clientMsgId"), author.getString("id"), author.getString("pseudonym"), author.getString("role"),
                json.getString("body"), json.getBoolean("cw", false), json.getBoolean("care", false), Instant.parse(json.getString("ts")),
                json.getBoolean("redacted", false) ? json.getString("reason") : null);
    }
}
