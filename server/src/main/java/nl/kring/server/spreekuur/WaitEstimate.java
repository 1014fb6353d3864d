package nl.kring.server.spreekuur;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * How long a member in the one-to-one queue will probably wait, from the hosts present, the talks
 * running and how long the hosts' recent talks lasted. A member at position {@code k} is reached
 * after {@code k + running - hosts} talks end (none when a host is free); talks end at about
 * {@code hosts / typical} per minute, where typical is the median of the recent lengths (a few
 * very long talks do not scare everyone off). Without a host present there is no estimate: the
 * member is told that they wait for a host. Pure and immutable.
 */
public final class WaitEstimate {

    /** The typical talk length when a session has no history yet. */
    public static final Duration DEFAULT_TALK = Duration.ofMinutes(15);
    /** How many recent talks the typical length is taken from. */
    public static final int RECENT_TALKS = 20;

    private final Duration typical;

    private WaitEstimate(Duration typical) {
        this.typical = typical;
    }

    /** From the lengths of recent talks (any order; only the last {@link #RECENT_TALKS} count). */
    public static WaitEstimate fromRecent(List<Duration> lengths) {
        if (lengths.isEmpty()) {
            return new WaitEstimate(DEFAULT_TALK);
        }
        List<Duration> sorted = new ArrayList<>(lengths.subList(0, Math.min(RECENT_TALKS, lengths.size())));
        sorted.sort(null);
        int n = sorted.size();
        Duration median = n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
        return new WaitEstimate(median.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : median);
    }

    public Duration typical() {
        return typical;
    }

    /**
     * The estimated wait in whole minutes (rounded up), or empty when no host is present.
     *
     * @param position 1 for the member who is next
     * @param hosts    hosts present now
     * @param running  one-to-one talks running now
     */
    public OptionalLong minutes(int position, int hosts, int running) {
        if (position < 1 || running < 0) {
            throw new IllegalArgumentException("position starts at 1; running is not negative");
        }
        if (hosts <= 0) {
            return OptionalLong.empty();
        }
        long talksToWaitFor = Math.max(0, (long) position + running - hosts);
        long seconds = talksToWaitFor * typical.toSeconds() / hosts;
        return OptionalLong.of((seconds + 59) / 60);
    }
}
