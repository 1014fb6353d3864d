package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
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
        Long n = exactLong(v);
        if (n == null || n < min) {
            throw KringException.badRequest(field + " must be a whole number of at least " + min);
        }
        return n;
    }

    /**
     * The value as a long when it is a whole number a long holds exactly, else null: 51.5 is not
     * 51, and 2^64 + 5 (a {@link BigInteger} from the JSON decoder) is not 5.
     */
    static Long exactLong(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < Long.SIZE ? b.longValue() : null;
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            // 0x1p63 is 2^63: the first double a long cannot hold
            return d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63 ? (long) d : null;
        }
        return null;
    }

    static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
