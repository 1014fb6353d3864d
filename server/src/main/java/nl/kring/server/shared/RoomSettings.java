package nl.kring.server.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an admin sets on a room. Immutable and thread-safe; a change replaces the whole record.
 *
 * @param ageBands        the bands an {@code age_banded} room admits; empty for other kinds
 * @param region          a province for a local room (members of that province only), or {@code null}
 * @param capacity        members online at once (staff always get in)
 * @param slowModeSeconds at least this long between two sends of one member in this room; 0 is off
 * @param readOnly        only staff may send
 * @param pinnedNotice    shown at the top of the room, or {@code null}
 * @param archived        closed for good: not listed, not joinable
 */
public record RoomSettings(
        String name,
        RoomKind kind,
        Set<AgeBand> ageBands,
        String region,
        int capacity,
        int slowModeSeconds,
        boolean readOnly,
        String pinnedNotice,
        boolean archived) {

    public static final int DEFAULT_CAPACITY = 500;

    public RoomSettings {
        ageBands = ageBands.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ageBands));
    }

    /** A plain community room with the defaults. */
    public static RoomSettings community(String name) {
        return new RoomSettings(name, RoomKind.COMMUNITY, Set.of(), null, DEFAULT_CAPACITY, 0, false, null, false);
    }

    /** The same settings, read-only or not (a consultation hour opens and closes, a one-to-one talk ends). */
    public RoomSettings withReadOnly(boolean readOnly) {
        return new RoomSettings(name, kind, ageBands, region, capacity, slowModeSeconds, readOnly, pinnedNotice, archived);
    }

    /** The room's settings as the API shows them (without id and community). */
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("name", name).put("kind", kind.wireName())
                .put("capacity", capacity).put("slowModeSeconds", slowModeSeconds).put("readOnly", readOnly);
        if (!ageBands.isEmpty()) {
            JsonArray bands = new JsonArray();
            for (AgeBand b : AgeBand.values()) {
                if (ageBands.contains(b)) {
                    bands.add(b.wireName());
                }
            }
            json.put("ageBands", bands);
        }
        if (region != null) {
            json.put("region", region);
        }
        if (pinnedNotice != null) {
            json.put("pinnedNotice", pinnedNotice);
        }
        if (archived) {
            json.put("archived", true);
        }
        return json;
    }
}
