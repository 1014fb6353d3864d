package nl.kring.loadtest.gen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One load scenario, read from a JSON file in {@code loadtest/scenarios/} and validated as a
 * whole: a bad file is refused before anything starts, with every problem named.
 *
 * @param name               label in reports
 * @param sessions           WebSocket sessions to open (over all generator processes)
 * @param sessionsPerAccount sockets that share one member account (1: every session its own member)
 * @param rooms              rooms; each session joins one, chosen by Zipf popularity
 * @param zipf               Zipf exponent of room popularity (0: uniform; 1: the classic long tail)
 * @param senders            sessions that send (spread over rooms like everyone else)
 * @param messagesPerSecond  offered send rate over all senders (open model: sends never wait for acks)
 * @param arrivals           {@code uniform} (evenly spaced) or {@code poisson} (exponential think times)
 * @param bodyBytes          length of each message body (at least 40: it carries the send stamp)
 * @param connectRate        sessions per second in the connect ramp, over all processes
 * @param handshakeTimeoutMs a handshake (ticket plus upgrade) slower than this counts as failed
 * @param maxConnectsInFlight handshakes one process keeps open at once during the ramp
 * @param warmupSeconds      sending before measurement starts
 * @param durationSeconds    measured sending time (0 for a hold-only scenario)
 * @param holdSeconds        idle time after the ramp before sending starts (heartbeats keep the sessions)
 * @param churnPerSecond     sessions per second that close and reconnect with resume, during the run
 * @param storms             reconnect storms: at {@code atSecond} into the run, {@code fraction} of sessions drop and reconnect at once
 * @param extraSessions      attempts beyond {@code sessions} after the ramp, expected to be refused cleanly (capacity check)
 * @param processes          generator processes (0: one per {@value #SESSIONS_PER_PROCESS} sessions)
 * @param sourceAddresses    local addresses 127.0.0.1 … 127.0.0.N that sessions connect from
 * @param trackLastMemberMin rooms with at least this many members record the latency to their last receiver per message
 * @param seed               seed for room assignment and arrivals, so runs are comparable
 * @param sampleSeconds      a soak: every this many seconds of the run, sample the server's heap, RSS, open files and
 *                           database connections, and judge after the warm-up whether each stayed flat (0: none)
 */
public record Scenario(String name, int sessions, int sessionsPerAccount, int rooms, double zipf, int senders,
                       double messagesPerSecond, String arrivals, int bodyBytes, int connectRate, int handshakeTimeoutMs,
                       int maxConnectsInFlight, int warmupSeconds, int durationSeconds, int holdSeconds, double churnPerSecond,
                       List<Storm> storms, int extraSessions, int processes, int sourceAddresses, int trackLastMemberMin,
                       long seed, int sampleSeconds) {

    /** Sockets one generator process opens at most: the open-file limit here is 20,000 (STACK.md). */
    public static final int SESSIONS_PER_PROCESS = 19_000;

    /** A reconnect storm. */
    public record Storm(int atSecond, double fraction) {
    }

    private static final Set<String> KEYS = Set.of("name", "sessions", "sessionsPerAccount", "rooms", "zipf", "senders",
            "messagesPerSecond", "arrivals", "bodyBytes", "connectRate", "handshakeTimeoutMs", "maxConnectsInFlight",
            "warmupSeconds", "durationSeconds", "holdSeconds", "churnPerSecond", "storms", "extraSessions", "processes",
            "sourceAddresses", "trackLastMemberMin", "seed", "sampleSeconds", "comment");

    /** Reads and validates a scenario; throws {@link IllegalArgumentException} listing every problem. */
    public static Scenario from(JsonObject json) {
        List<String> problems = new ArrayList<>();
        for (String key : json.fieldNames()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown field '" + key + "'");
            }
        }
        Reader r = new Reader(json, problems);
        int sessions = r.integer("sessions", 1000, 1, 1_000_000);
        List<Storm> storms = new ArrayList<>();
        Object rawStorms = json.getValue("storms");
        if (rawStorms instanceof JsonArray array) {
            for (Object o : array) {
                if (o instanceof JsonObject s && s.getValue("atSecond") instanceof Number at
                        && s.getValue("fraction") instanceof Number f && at.intValue() >= 0
                        && f.doubleValue() > 0 && f.doubleValue() <= 1) {
                    storms.add(new Storm(at.intValue(), f.doubleValue()));
                } else {
                    problems.add("storms: each is {\"atSecond\": ≥ 0, \"fraction\": (0, 1]}");
                }
            }
        } else if (rawStorms != null) {
            problems.add("storms must be an array");
        }
        Scenario s = new Scenario(
                r.string("name", "scenario"),
                sessions,
                r.integer("sessionsPerAccount", 1, 1, 100),
                r.integer("rooms", 1, 1, 1_000_000),
                r.decimal("zipf", 0, 0, 5),
                r.integer("senders", Math.min(sessions, 100), 0, 1_000_000),
                r.decimal("messagesPerSecond", 0, 0, 10_000_000),
                r.oneOf("arrivals", "uniform", Set.of("uniform", "poisson")),
                r.integer("bodyBytes", 64, 40, 4000),
                r.integer("connectRate", 1000, 1, 1_000_000),
                r.integer("handshakeTimeoutMs", 10_000, 100, 600_000),
                r.integer("maxConnectsInFlight", 1000, 1, 100_000),
                r.integer("warmupSeconds", 5, 0, 3600),
                r.integer("durationSeconds", 20, 0, 24 * 3600),
                r.integer("holdSeconds", 0, 0, 24 * 3600),
                r.decimal("churnPerSecond", 0, 0, 1_000_000),
                List.copyOf(storms),
                r.integer("extraSessions", 0, 0, 100_000),
                r.integer("processes", 0, 0, 64),
                r.integer("sourceAddresses", 4, 1, 250),
                r.integer("trackLastMemberMin", 1000, 1, 1_000_000),
                r.integer("seed", 42, 0, Integer.MAX_VALUE),
                r.integer("sampleSeconds", 0, 0, 3600));
        if (s.senders > s.sessions) {
            problems.add("senders (" + s.senders + ") cannot exceed sessions (" + s.sessions + ")");
        }
        if (s.messagesPerSecond > 0 && s.senders == 0) {
            problems.add("messagesPerSecond needs senders");
        }
        if (s.processes > 0 && (s.sessions + s.extraSessions) / s.processes > SESSIONS_PER_PROCESS) {
            problems.add("more than " + SESSIONS_PER_PROCESS + " sessions per generator process (open-file limit)");
        }
        for (Storm storm : s.storms) {
            if (storm.atSecond() >= s.warmupSeconds + s.durationSeconds) {
                problems.add("a storm at second " + storm.atSecond() + " falls after the run");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("scenario: " + String.join("; ", problems));
        }
        return s;
    }

    /** Generator processes this scenario uses. */
    public int processCount() {
        return processes > 0 ? processes : Math.max(1, (sessions + extraSessions + SESSIONS_PER_PROCESS - 1) / SESSIONS_PER_PROCESS);
    }

    /** Member accounts to provision. */
    public int accounts() {
        return (sessions + extraSessions + sessionsPerAccount - 1) / sessionsPerAccount;
    }

    /** Length of the sending phase, warm-up included. */
    public int runSeconds() {
        return warmupSeconds + durationSeconds;
    }

    public JsonObject toJson() {
        JsonArray stormArray = new JsonArray();
        storms.forEach(st -> stormArray.add(new JsonObject().put("atSecond", st.atSecond()).put("fraction", st.fraction())));
        return new JsonObject().put("name", name).put("sessions", sessions).put("sessionsPerAccount", sessionsPerAccount)
                .put("rooms", rooms).put("zipf", zipf).put("senders", senders).put("messagesPerSecond", messagesPerSecond)
                .put("arrivals", arrivals).put("bodyBytes", bodyBytes).put("connectRate", connectRate)
                .put("handshakeTimeoutMs", handshakeTimeoutMs).put("maxConnectsInFlight", maxConnectsInFlight)
                .put("warmupSeconds", warmupSeconds).put("durationSeconds", durationSeconds).put("holdSeconds", holdSeconds)
                .put("churnPerSecond", churnPerSecond).put("storms", stormArray).put("extraSessions", extraSessions)
                .put("processes", processes).put("sourceAddresses", sourceAddresses)
                .put("trackLastMemberMin", trackLastMemberMin).put("seed", seed)
                .put("sampleSeconds", sampleSeconds);
    }

    /** Typed field reads that collect problems instead of stopping at the first. */
    private record Reader(JsonObject json, List<String> problems) {
        int integer(String key, int def, int min, int max) {
            Object v = json.getValue(key);
            if (v == null) {
                return def;
            }
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < min || n.longValue() > max) {
                problems.add(key + " must be a whole number from " + min + " to " + max);
                return def;
            }
            return n.intValue();
        }

        double decimal(String key, double def, double min, double max) {
            Object v = json.getValue(key);
            if (v == null) {
                return def;
            }
            if (!(v instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
                problems.add(key + " must be a number from " + min + " to " + max);
                return def;
            }
            return n.doubleValue();
        }

        String string(String key, String def) {
            Object v = json.getValue(key);
            if (v == null) {
                return def;
            }
            if (!(v instanceof String s) || s.isBlank()) {
                problems.add(key + " must be a text");
                return def;
            }
            return s;
        }

        String oneOf(String key, String def, Set<String> allowed) {
            String v = string(key, def);
            if (!allowed.contains(v)) {
                problems.add(key + " must be one of " + allowed);
                return def;
            }
            return v;
        }
    }
}
