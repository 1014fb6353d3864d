package nl.kring.server.figures;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts members' visits to rooms for the anonymised figures, in memory, until they are written
 * ({@link #drain}). A <em>session</em> is a member in a room: it starts when they join it after
 * {@link #GAP} without joining it (so a phone that reconnects every few minutes on poor reception
 * is one session, and someone who comes back in the evening is two). Days are
 * Europe/Amsterdam days; a session that spans midnight counts on the day it started. Only the
 * room, the member and the day are kept: no time, connection or address. Thread-safe (joins come
 * from every event loop; they are rare next to sends).
 */
public final class VisitCounter {

    /** Joins closer together than this are one session. */
    public static final Duration GAP = Duration.ofMinutes(30);

    /** One member in one room on one day, with the sessions that started then. */
    public record Visit(long roomId, LocalDate day, long memberId, int sessions) {
    }

    private record Key(long roomId, long memberId) {
    }

    private record DayKey(long roomId, LocalDate day, long memberId) {
    }

    /** The last join of each member in each room, forgotten {@link #GAP} after it. */
    private final Map<Key, Instant> lastJoin = new HashMap<>();
    /** Visits not yet written. */
    private final Map<DayKey, Integer> pending = new HashMap<>();

    /** A member joined a room at {@code at}; true when that started a session. */
    public synchronized boolean joined(long roomId, long memberId, Instant at) {
        Key key = new Key(roomId, memberId);
        Instant last = lastJoin.put(key, at);
        if (last != null && at.isBefore(last.plus(GAP))) {
            return false;
        }
        pending.merge(new DayKey(roomId, at.atZone(nl.kring.server.config.Amsterdam.ZONE).toLocalDate(), memberId), 1, Integer::sum);
        return true;
    }

    /** Takes the visits not yet written and forgets joins older than {@link #GAP} before {@code now}. */
    public synchronized List<Visit> drain(Instant now) {
        List<Visit> out = new ArrayList<>(pending.size());
        pending.forEach((k, n) -> out.add(new Visit(k.roomId(), k.day(), k.memberId(), n)));
        pending.clear();
        Instant forget = now.minus(GAP);
        lastJoin.values().removeIf(at -> !at.isAfter(forget));
        return out;
    }

    /** Puts back visits that could not be written (the database was away), to go with the next ones. */
    public synchronized void restore(List<Visit> visits) {
        for (Visit v : visits) {
            pending.merge(new DayKey(v.roomId(), v.day(), v.memberId()), v.sessions(), Integer::sum);
        }
    }

    /** Members remembered in rooms (for the memory figure): about 100 bytes each. */
    public synchronized int remembered() {
        return lastJoin.size();
    }
}
