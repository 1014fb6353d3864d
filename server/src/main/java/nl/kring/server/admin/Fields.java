package nl.kring.server.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import nl.kring.server.shared.AgeBand;
import nl.kring.server.protocol.KringException;

/** Reading request bodies: each failure is {@code bad_request} naming the field. */
public final class Fields {

    private Fields() {
    }

    public static String string(JsonObject body, String field, int min, int max) {
        Object v = body.getValue(field);
        if (!(v instanceof String s) || s.trim().length() < min || s.length() > max) {
            throw KringException.badRequest(field + " must be a string of " + min + " to " + max + " characters");
        }
        return s.trim();
    }

    /** A string, or {@code def} when the field is absent. */
    public static String string(JsonObject body, String field, int min, int max, String def) {
        return body.containsKey(field) ? string(body, field, min, max) : def;
    }

    /** A string that may be set to null to clear it; {@code current} when absent. */
    public static String nullableString(JsonObject body, String field, int min, int max, String current) {
        if (!body.containsKey(field)) {
            return current;
        }
        if (body.getValue(field) == null) {
            return null;
        }
        return string(body, field, min, max);
    }

    public static int integer(JsonObject body, String field, int min, int max, Integer def) {
        Object v = body.getValue(field);
        if (v == null && def != null) {
            return def;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
            throw KringException.badRequest(field + " must be a whole number from " + min + " to " + max);
        }
        return n.intValue();
    }

    public static boolean bool(JsonObject body, String field, boolean def) {
        Object v = body.getValue(field);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Boolean b)) {
            throw KringException.badRequest(field + " must be true or false");
        }
        return b;
    }

    public static String oneOf(JsonObject body, String field, List<String> allowed, String def) {
        Object v = body.getValue(field);
        if (v == null && def != null) {
            return def;
        }
        if (!(v instanceof String s) || !allowed.contains(s)) {
            throw KringException.badRequest(field + " must be one of " + String.join(", ", allowed));
        }
        return s;
    }

    /** A non-empty list of age bands, in ascending order; {@code def} when absent. */
    public static Set<AgeBand> ageBands(JsonObject body, String field, Set<AgeBand> def) {
        Object v = body.getValue(field);
        if (v == null) {
            return def;
        }
        String message = field + " must be a non-empty list of age bands (12-15, 16-17, 18-21, 22-25, 26+)";
        if (!(v instanceof JsonArray list) || list.isEmpty()) {
            throw KringException.badRequest(message);
        }
        Set<AgeBand> out = EnumSet.noneOf(AgeBand.class);
        for (Object o : list) {
            if (!(o instanceof String s) || AgeBand.fromWireName(s).isEmpty()) {
                throw KringException.badRequest(message);
            }
            out.add(AgeBand.fromWireName(s).get());
        }
        return out;
    }

    public static List<String> wireNames(Set<AgeBand> bands) {
        List<String> out = new ArrayList<>();
        for (AgeBand b : AgeBand.values()) {
            if (bands.contains(b)) {
                out.add(b.wireName());
            }
        }
        return out;
    }

    public static List<String> strings(JsonObject body, String field, int maxItems) {
        Object raw = body.getValue(field);
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof JsonArray list) || list.size() > maxItems) {
            throw KringException.badRequest(field + " must be a list of at most " + maxItems + " strings");
        }
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw KringException.badRequest(field + " must be a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    /** A wire id (decimal string) of an object; {@code not_found} when it cannot be one. */
    static long id(String raw, String what) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new KringException(nl.kring.server.protocol.ErrorCode.NOT_FOUND, "no such " + what);
    }
}
