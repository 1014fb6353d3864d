package nl.kring.moderation.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Who is on duty where, and whether a community is covered (at least one moderator on duty).
 * A shift ends when its staff member goes off duty, or when they have had no connection for
 * the grace period (a closed laptop must not leave a community believing it is moderated).
 * Not thread-safe: the server confines it to one context.
 */
public final class DutyRoster {

    /** A staff member on duty in a community. {@code moderates}: counts for coverage (moderators and admins). */
    public record Shift(long userId, long communityId, boolean moderates) {
    }

    private final Clock clock;
    private final Duration grace;
    private final Map<Long, Set<Shift>> byCommunity = new HashMap<>();
    private final Map<Long, Instant> lastConnected = new HashMap<>();

    public DutyRoster(Clock clock, Duration grace) {
        this.clock = clock;
        this.grace = grace;
    }

    /** Starts a shift; true when the community became covered by it. */
    public boolean start(Shift shift) {
        boolean covered = covered(shift.communityId());
        byCommunity.computeIfAbsent(shift.communityId(), k -> new HashSet<>()).add(shift);
        lastConnected.putIfAbsent(shift.userId(), clock.instant());
        return !covered && covered(shift.communityId());
    }

    /** Ends a shift; true when the community lost its last moderator by it. */
    public boolean end(long userId, long communityId) {
        boolean covered = covered(communityId);
        Set<Shift> shifts = byCommunity.get(communityId);
        if (shifts != null) {
            shifts.removeIf(s -> s.userId() == userId);
            if (shifts.isEmpty()) {
                byCommunity.remove(communityId);
            }
        }
        if (shiftsOf(userId).isEmpty()) {
            lastConnected.remove(userId);
        }
        return covered && !covered(communityId);
    }

    public boolean covered(long communityId) {
        Set<Shift> shifts = byCommunity.get(communityId);
        return shifts != null && shifts.stream().anyMatch(Shift::moderates);
    }

    public boolean onDuty(long userId, long communityId) {
        Set<Shift> shifts = byCommunity.get(communityId);
        return shifts != null && shifts.stream().anyMatch(s -> s.userId() == userId);
    }

    /** The staff on duty in a community. */
    public Set<Shift> shifts(long communityId) {
        return Set.copyOf(byCommunity.getOrDefault(communityId, Set.of()));
    }

    public List<Shift> shiftsOf(long userId) {
        return byCommunity.values().stream().flatMap(Set::stream).filter(s -> s.userId() == userId).toList();
    }

    /**
     * The shifts whose staff member has had no connection for longer than the grace period
     * (they are not removed here: the caller ends them, stored and announced).
     *
     * @param connected whether a user has a socket open now
     */
    public List<Shift> lapsed(LongPredicate connected) {
        Instant now = clock.instant();
        Set<Long> gone = new HashSet<>();
        for (Map.Entry<Long, Instant> e : lastConnected.entrySet()) {
            if (connected.test(e.getKey())) {
                e.setValue(now);
            } else if (Duration.between(e.getValue(), now).compareTo(grace) > 0) {
                gone.add(e.getKey());
            }
        }
        return byCommunity.values().stream().flatMap(Set::stream).filter(s -> gone.contains(s.userId())).toList();
    }
}
