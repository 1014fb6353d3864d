package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import nl.kring.server.protocol.KringException;

/**
 * The limits of a request frame's fields (protocol section 3) and their checks: each failure is
 * a {@code bad_request} that says what was wrong, and the socket stays open.
 */
final class FrameFields {

    static final int MAX_BODY_CHARS = 4000;
    static final int MAX_ID_CHARS = 64;
    static final int MAX_ROOM_CHARS = 64;
    static final int MAX_REASON_CHARS = 500;

    private FrameFields() {
    }

    static String requiredString(JsonObject frame, String field, int maxChars) {
        Object v = frame.getValue(field);
        if (!(v instanceof String s) || s.isEmpty() || s.length() > maxChars) {
            throw KringException.badRequest(field + " must be a string of 1 to " + maxChars + " characters");
        }
        return s;
    }

    static String room(JsonObject frame) {
        return requiredString(frame, "room", MAX_ROOM_CHARS);
    }

    static Long optionalLong(JsonObject frame, String field, long min) {
        Object v = frame.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() < min) {
            throw KringException.badRequest(field + " must be a whole number of at least " + min);
        }
        return n.longValue();
    }

    static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
