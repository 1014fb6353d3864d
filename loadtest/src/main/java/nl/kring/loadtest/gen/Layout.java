package nl.kring.loadtest.gen;

import java.util.SplittableRandom;

/**
 * Who is where: each session's room (Zipf popularity), whether it sends, and which account it
 * uses. Computed from the scenario's seed alone, so the coordinator and every generator process
 * agree without passing the layout around.
 */
public final class Layout {

    private final Scenario scenario;
    private final int[] roomOf;
    private final int[] membersOf;

    public Layout(Scenario scenario) {
        this.scenario = scenario;
        int total = scenario.sessions() + scenario.extraSessions();
        this.roomOf = new int[total];
        this.membersOf = new int[scenario.rooms()];
        double[] cdf = zipfCdf(scenario.rooms(), scenario.zipf());
        SplittableRandom random = new SplittableRandom(scenario.seed());
        for (int i = 0; i < total; i++) {
            // Every room gets at least one member when there are enough sessions; the rest by popularity.
            int room = i < scenario.rooms() ? i : pick(cdf, random.nextDouble());
            roomOf[i] = room;
            if (i < scenario.sessions()) {
                membersOf[room]++;
            }
        }
    }

    /** Cumulative Zipf(s) probabilities over ranks 1..n (s = 0: uniform). */
    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1 / Math.pow(k, s);
            cdf[k - 1] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        cdf[n - 1] = 1.0;
        return cdf;
    }

    /** The first index whose cumulative probability reaches {@code u}. */
    static int pick(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public int roomOf(int session) {
        return roomOf[session];
    }

    /** Sessions (not counting the extra attempts) that join {@code room}. */
    public int membersOf(int room) {
        return membersOf[room];
    }

    /** Senders are spread evenly over the session indices, so over rooms by the same popularity as everyone. */
    public boolean isSender(int session) {
        long n = scenario.sessions();
        long s = scenario.senders();
        return session < n && (session + 1) * s / n > session * s / n;
    }

    public int accountOf(int session) {
        return session / scenario.sessionsPerAccount();
    }

    /** The first session (inclusive) of generator process {@code p}; sessions {@code [from(p), from(p + 1))} are its own. */
    public int from(int process) {
        long total = roomOf.length;
        return (int) (total * process / scenario.processCount());
    }

    /** Whether a session is one of the extra attempts beyond the scenario's sessions. */
    public boolean isExtra(int session) {
        return session >= scenario.sessions();
    }

    public int totalSessions() {
        return roomOf.length;
    }
}
