package nl.kring.server.gateway;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import nl.kring.server.protocol.KringException;

/**
 * A text frame decoded and each request's fields checked (protocol section 3): pure, without an
 * event loop, a socket or a database, so that it can be fuzzed (RequestFuzzTest). Every failure
 * is a {@code bad_request} ({@link KringException#badRequest}) or a {@link Violation} that
 * {@link Session} answers as one; the socket stays open.
 */
final class Requests {

    static final Set<String> TYPES = Set.of("join", "leave", "send", "history", "report", "check");
    static final Set<String> REPORT_CATEGORIES = Set.of("unsafe", "bullying", "privacy", "spam", "other");
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 50;

    /** What a frame is once decoded: a request of a known type with its id, a typing notice, or a violation. */
    sealed interface Decoded permits Request, Typing, Violation {
    }

    /** A request of one of {@link #TYPES} with a valid id; its fields are checked by the type's method below. */
    record Request(String type, String id, JsonObject frame) implements Decoded {
    }

    /** A typing notice for a room (no id, no reply). */
    record Typing(String room) implements Decoded {
    }

    /** A frame that breaks the protocol: {@code bad_request}, answered to {@code id} when readable (else null). */
    record Violation(String id, String message) implements Decoded {
    }

    record Join(String room, Integer sinceEpoch, long sinceSeq) {
    }

    record Leave(String room) {
    }

    record Send(String room, String clientMsgId, String body, boolean cw) {
    }

    record History(String room, Long beforeSeq, int limit) {
    }

    /** {@code room} may be null (a member's own community); {@code replyTo} needs the room. */
    record Check(String body, String room, boolean cw, Long replyTo) {
    }

    record Report(String room, long seq, String category, String reason) {
    }

    private Requests() {
    }

    /** The frame as a JSON object, or null when it is not one. */
    static JsonObject parse(String text) {
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    /** What a JSON object frame asks for. */
    static Decoded decode(JsonObject frame) {
        Object rawId = frame.getValue("id");
        String id = rawId instanceof String s && !s.isEmpty() && s.length() <= FrameFields.MAX_ID_CHARS ? s : null;
        if (rawId != null && id == null) {
            return new Violation(null, "id must be a string of 1 to 64 characters");
        }
        Object rawType = frame.getValue("type");
        String type = rawType instanceof String t ? t : null;
        if ("typing".equals(type)) {
            return frame.getValue("room") instanceof String room ? new Typing(room) : new Violation(null, "typing needs a room");
        }
        if (type == null || !TYPES.contains(type)) {
            return new Violation(id, type == null ? "type is missing" : "unknown type: " + FrameFields.abbreviate(type));
        }
        if (id == null) {
            return new Violation(null, "a " + type + " request needs an id");
        }
        return new Request(type, id, frame);
    }

    static Join join(JsonObject frame) {
        String room = FrameFields.room(frame);
        Object since = frame.getValue("since");
        if (since == null) {
            return new Join(room, null, 0);
        }
        // whole numbers, taken exactly: a rounded or wrapped epoch or seq would resume from the wrong place
        Long epoch = since instanceof JsonObject o ? FrameFields.exactLong(o.getValue("epoch")) : null;
        Long seq = since instanceof JsonObject o ? FrameFields.exactLong(o.getValue("seq")) : null;
        if (epoch == null || seq == null || epoch != epoch.intValue()) {
            throw KringException.badRequest("since must be {\"epoch\":whole number,\"seq\":whole number}");
        }
        return new Join(room, epoch.intValue(), seq);
    }

    static Leave leave(JsonObject frame) {
        return new Leave(FrameFields.room(frame));
    }

    static Send send(JsonObject frame) {
        String room = FrameFields.room(frame);
        String clientMsgId = FrameFields.requiredString(frame, "clientMsgId", FrameFields.MAX_ID_CHARS);
        Object rawBody = frame.getValue("body");
        if (!(rawBody instanceof String body)) {
            throw KringException.badRequest("body must be a string of 1 to " + FrameFields.MAX_BODY_CHARS + " characters");
        }
        int chars = body.codePointCount(0, body.length());
        if (body.isBlank() || chars > FrameFields.MAX_BODY_CHARS) {
            throw KringException.badRequest("body must be 1 to " + FrameFields.MAX_BODY_CHARS + " characters and not only spaces");
        }
        Object rawCw = frame.getValue("cw");
        if (rawCw != null && !(rawCw instanceof Boolean)) {
            throw KringException.badRequest("cw must be true or false");
        }
        return new Send(room, clientMsgId, body, Boolean.TRUE.equals(rawCw));
    }

    static History history(JsonObject frame) {
        String room = FrameFields.room(frame);
        Long beforeSeq = FrameFields.optionalLong(frame, "beforeSeq", 1);
        Long limit = FrameFields.optionalLong(frame, "limit", 1);
        if (limit != null && limit > MAX_LIMIT) {
            throw KringException.badRequest("limit must be 1 to " + MAX_LIMIT);
        }
        return new History(room, beforeSeq, limit == null ? DEFAULT_LIMIT : limit.intValue());
    }

    static Check check(JsonObject frame) {
        Object rawBody = frame.getValue("body");
        if (!(rawBody instanceof String body) || body.codePointCount(0, body.length()) > FrameFields.MAX_BODY_CHARS) {
            throw KringException.badRequest("body must be a string of at most " + FrameFields.MAX_BODY_CHARS + " characters");
        }
        String room = frame.getValue("room") == null ? null : FrameFields.room(frame);
        Long replyTo = FrameFields.optionalLong(frame, "replyTo", 1);
        if (replyTo != null && room == null) {
            throw KringException.badRequest("replyTo needs the room");
        }
        return new Check(body, room, Boolean.TRUE.equals(frame.getValue("cw")), replyTo);
    }

    static Report report(JsonObject frame) {
        String room = FrameFields.room(frame);
        Long seq = FrameFields.optionalLong(frame, "seq", 1);
        if (seq == null) {
            throw KringException.badRequest("seq is required");
        }
        Object category = frame.getValue("category");
        if (!(category instanceof String c) || !REPORT_CATEGORIES.contains(c)) {
            throw KringException.badRequest("category must be one of unsafe, bullying, privacy, spam, other");
        }
        Object reason = frame.getValue("reason");
        if (reason != null && (!(reason instanceof String r) || r.length() > FrameFields.MAX_REASON_CHARS)) {
            throw KringException.badRequest("reason must be a string of at most 500 characters");
        }
        return new Report(room, seq, c, (String) reason);
    }
}
