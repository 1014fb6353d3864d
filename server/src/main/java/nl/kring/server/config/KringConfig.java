package nl.kring.server.config;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of a Kring server, loaded once from {@code KRING_*} environment variables and
 * validated. Immutable; verticles and services get it through their constructor.
 * <p>
 * Over 400 lines because every setting, its documentation and its validation live in this one record (STYLE.md 7).
 *
 * @param host                 KRING_HOST (0.0.0.0): address of the public listener.
 * @param port                 KRING_PORT (8080): public listener (API, web client, /ws); 0 picks a free port.
 * @param mgmtHost             KRING_MGMT_HOST (127.0.0.1): address of the management listener.
 * @param mgmtPort             KRING_MGMT_PORT (8081): /metrics and /health; 0 picks a free port.
 * @param allowedOrigins       KRING_ALLOWED_ORIGINS (empty): comma-separated browser origins allowed
 *                             to open a WebSocket, besides the server's own origin.
 * @param databaseUrl          KRING_DATABASE_URL (unset): {@code postgresql://user:pass@host:port/db};
 *                             unset means the server runs its own embedded PostgreSQL.
 * @param dataDir              KRING_DATA_DIR (./data): embedded PostgreSQL data and Vert.x cache files.
 * @param adminEmail           KRING_ADMIN_EMAIL (unset): bootstrap admin, created when no admin exists.
 * @param adminPassword        KRING_ADMIN_PASSWORD (unset): its password; under 12 characters the server
 *                             warns at start (the operator's choice, not refused).
 * @param sendRate             KRING_SEND_RATE (1): messages per second per member (token bucket refill).
 * @param sendBurst            KRING_SEND_BURST (10): token bucket capacity.
 * @param floodStrikes         KRING_FLOOD_STRIKES (20): rate-limited requests within 10 s before 4029.
 * @param requestRate          KRING_REQUEST_RATE (10): request frames per second per socket, every type
 *                             together (join, leave, send, history, check, report, typing, malformed ones);
 *                             beside the send limit. Clients send a few a second at most.
 * @param requestBurst         KRING_REQUEST_BURST (50): request frames a socket may send at once; above what a
 *                             client sends on resume (a join and a history page per room, its outbox of up to
 *                             KRING_SEND_BURST sends).
 * @param signupRate           KRING_SIGNUP_RATE (2): wrong invite codes per second per community, counted for
 *                             sources that have failed before ({@link SignInLimits}), against invite-code guessing.
 * @param signupBurst          KRING_SIGNUP_BURST (60): wrong invite codes a community may take at once.
 * @param maxFrameBytes        KRING_MAX_FRAME_BYTES (16384): largest frame and message; larger closes with 1009.
 * @param heartbeatSeconds     KRING_HEARTBEAT_SECONDS (25): ping interval; silence for two intervals closes.
 * @param outboundQueueBytes   KRING_OUTBOUND_QUEUE_BYTES (262144): per-socket unsent bytes before 4008.
 * @param eventLoops           KRING_EVENT_LOOPS (number of cores): event loops and gateway instances.
 * @param nativeTransport      KRING_NATIVE_TRANSPORT (true): use Netty's epoll transport when available.
 * @param maxConnections       KRING_MAX_CONNECTIONS (open-file limit minus 500): connections held at once;
 *                             upgrades beyond it are refused at once with 503.
 * @param httpIdle             KRING_HTTP_IDLE_SECONDS (75): a connection that is not a WebSocket is closed
 *                             after this long without a byte either way (idle keep-alive, or nothing
 *                             sent at all), so that idle connections do not hold places of
 *                             {@code maxConnections}. Longer than nginx's upstream keepalive_timeout
 *                             (60 s), so that nginx never reuses a connection Kring is closing.
 * @param requestTimeout       KRING_REQUEST_TIMEOUT_MS (10000): an HTTP request (an upgrade's headers) not whole this long
 *                             after its first byte closes the connection (slowloris: each byte resets {@code httpIdle}).
 * @param dbPoolSize           KRING_DB_POOL_SIZE (8): PostgreSQL connections for reads and everything but
 *                             group commits; the writer has {@link #writerConnections()} of its own besides.
 * @param batchMaxSize         KRING_BATCH_MAX (512): most messages committed in one group commit.
 * @param writerPipeline       KRING_WRITER_PIPELINE (1): group commits in flight at once, each on its own
 *                             connection (docs/benchmarks.md shows why not more than one).
 * @param ackDeadline          KRING_ACK_DEADLINE_MS (800): a send not committed by then is answered
 *                             {@code unavailable}, so that clients hear within 1 s.
 * @param historyCachePerRoom  KRING_HISTORY_CACHE_PER_ROOM (256): recent messages kept per active room.
 * @param historyCacheBytes    KRING_HISTORY_CACHE_BYTES (67108864): bound of the whole history cache.
 * @param resumeMaxMessages    KRING_RESUME_MAX (2000): largest gap a resume replays; more gets {@code reset}.
 * @param memberSessionTtl     KRING_MEMBER_SESSION_DAYS (30): lifetime of a member's session token.
 * @param staffSessionTtl      KRING_STAFF_SESSION_HOURS (12): lifetime of a staff session token.
 * @param shutdownGrace        KRING_SHUTDOWN_SECONDS (10): SIGTERM to exit, at most.
 * @param requireTotp          KRING_REQUIRE_TOTP (false): moderators, admins and operators must enrol a
 *                             TOTP second factor before they can do anything else. Off by default so
 *                             that a first start stays two commands; switch it on in production.
 * @param pseudonymCoolingOff  KRING_PSEUDONYM_COOLING_OFF_DAYS (30): how long the pseudonym of an erased
 *                             account stays reserved, so that nobody can pose as the person who left.
 * @param claimLease           KRING_CLAIM_LEASE_SECONDS (180): a moderator's claim on a queue item runs out
 *                             after this long without an action on it, and the item goes back to the queue.
 * @param dutyGrace            KRING_DUTY_GRACE_SECONDS (300): an on-duty staff member without any open
 *                             socket for this long goes off duty by themselves (the rooms then switch to
 *                             fallback mode if nobody else moderates).
 * @param auditRetention       KRING_AUDIT_RETENTION_DAYS (730): audit rows older than this are deleted by the
 *                             retention job (messages follow each community's policy.retention.messageDays).
 * @param retentionInterval    KRING_RETENTION_INTERVAL_MINUTES (60): how often the retention job runs.
 * @param signIn               limits on failed sign-ins and sign-ups per source ({@link SignInLimits}).
 * @param secretKey            KRING_SECRET_KEY (unset): the server key that encrypts TOTP secrets at rest
 *                             (AES-256-GCM), 32 bytes in base64 ({@code openssl rand -base64 32}); the same on
 *                             every node. Unset: a key generated once into {@code KRING_DATA_DIR/secret.key},
 *                             enough for one node and for {@code ./kring run}.
 * @param alertmanagerUrl      KRING_ALERTMANAGER_URL (unset): Alertmanager's base URL ({@code http://alertmanager:9093}),
 *                             whose firing alerts the operators' status shows ({@code GET /api/v1/ops/status}).
 */
public record KringConfig(
        String host,
        int port,
        String mgmtHost,
        int mgmtPort,
        List<String> allowedOrigins,
        Optional<String> databaseUrl,
        Path dataDir,
        Optional<String> adminEmail,
        Optional<String> adminPassword,
        double sendRate,
        int sendBurst,
        int floodStrikes,
        double requestRate,
        int requestBurst,
        double signupRate,
        int signupBurst,
        int maxFrameBytes,
        int heartbeatSeconds,
        int outboundQueueBytes,
        int eventLoops,
        boolean nativeTransport,
        int maxConnections,
        Duration httpIdle, Duration requestTimeout,
        int dbPoolSize,
        int batchMaxSize,
        int writerPipeline,
        Duration ackDeadline,
        int historyCachePerRoom,
        long historyCacheBytes,
        int resumeMaxMessages,
        Duration memberSessionTtl,
        Duration staffSessionTtl,
        Duration shutdownGrace,
        boolean requireTotp,
        Duration pseudonymCoolingOff,
        Duration claimLease,
        Duration dutyGrace,
        Duration auditRetention,
        Duration retentionInterval,
        SignInLimits signIn,
        Optional<String> secretKey,
        Cluster cluster,
        Optional<String> alertmanagerUrl) {

    /**
     * Limits on wrong passwords and wrong invite codes, per source (the client's network address,
     * kept in memory only), per target and in total; each a number of failures an hour. A source
     * that has not failed in the last hour is refused by its own limits only, never by the shared
     * ones (docs/operations.md, "Sign-in limits"); the per-community sign-up limit is
     * KRING_SIGNUP_RATE and KRING_SIGNUP_BURST, charged for wrong invites only.
     *
     * @param trustedProxies        KRING_TRUSTED_PROXIES (empty): addresses or CIDR ranges of the reverse proxies
     *                              (nginx) whose X-Forwarded-For names the client; from any other peer the header
     *                              is ignored and the peer's own address is the source.
     * @param loginPerSource        KRING_LOGIN_FAILURES_PER_SOURCE (30): failed sign-ins of one source over all
     *                              addresses (password spraying).
     * @param loginPerAddressSource KRING_LOGIN_FAILURES_PER_ADDRESS_SOURCE (10): failed sign-ins on one e-mail
     *                              address from one source.
     * @param loginPerAddress       KRING_LOGIN_FAILURES_PER_ADDRESS (50): failed sign-ins on one e-mail address from
     *                              sources that have failed before (guessing from many sources).
     * @param loginTotal            KRING_LOGIN_FAILURES_TOTAL (1000): failed sign-ins on all addresses from sources
     *                              that have failed before.
     * @param signUpPerSource       KRING_SIGNUP_FAILURES_PER_SOURCE (20): wrong invite codes of one source.
     */
    public record SignInLimits(List<AddressRange> trustedProxies, int loginPerSource, int loginPerAddressSource,
                               int loginPerAddress, int loginTotal, int signUpPerSource) {
        public SignInLimits {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /**
     * Cluster membership (issue 9, docs/adr/0008-cluster-fan-out.md). Without members the node runs alone.
     *
     * @param members KRING_CLUSTER_MEMBERS: host:port of every node's cluster port, comma-separated (TCP-IP join,
     *                no multicast); empty: no cluster
     * @param host    KRING_CLUSTER_HOST (127.0.0.1): the address this node's cluster and event-bus ports bind
     * @param port    KRING_CLUSTER_PORT (5701): this node's Hazelcast port; the event bus takes a free one
     * @param secret  KRING_CLUSTER_SECRET (unset; required with members, 32 to 1024 characters): shared by every node;
     *                the event bus's TLS key and the Hazelcast cluster name are derived from it
     *                (docs/adr/0011-cluster-secret.md). Never logged: {@link #toString()} leaves it out.
     */
    public record Cluster(List<String> members, String host, int port, String secret) {
        public Cluster {
            members = List.copyOf(members);
        }

        /** Shorter than this, a secret could be guessed offline from what Hazelcast sends in the clear. */
        public static final int MIN_SECRET = 32;

        @Override
        public String toString() {
            return "Cluster[members=" + members + ", host=" + host + ", port=" + port + ", secret=(hidden)]";
        }

        public boolean enabled() {
            return !members.isEmpty();
        }
    }

    /** File descriptors kept free for PostgreSQL connections, jars, logs and the listeners. */
    static final int FD_RESERVE = 500;

    public KringConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** The message writer's own connections: one per pipelined batch and one for its gap reads. */
    public int writerConnections() {
        return writerPipeline + 1;
    }

    /** Loads and validates the configuration; throws {@link ConfigException} naming every bad variable. */
    public static KringConfig fromEnv(Map<String, String> env) {
        Reader r = new Reader(env);
        KringConfig config = new KringConfig(
                r.string("KRING_HOST", "0.0.0.0"),
                r.integer("KRING_PORT", 8080, 0, 65535),
                r.string("KRING_MGMT_HOST", "127.0.0.1"),
                r.integer("KRING_MGMT_PORT", 8081, 0, 65535),
                r.list("KRING_ALLOWED_ORIGINS"),
                r.optional("KRING_DATABASE_URL"),
                Path.of(r.string("KRING_DATA_DIR", "./data")).toAbsolutePath().normalize(),
                r.optional("KRING_ADMIN_EMAIL").map(s -> s.toLowerCase(Locale.ROOT)),
                r.optional("KRING_ADMIN_PASSWORD"),
                r.decimal("KRING_SEND_RATE", 1.0, 0.001, 100_000),
                r.integer("KRING_SEND_BURST", 10, 1, 1_000_000),
                r.integer("KRING_FLOOD_STRIKES", 20, 1, 1_000_000),
                r.decimal("KRING_REQUEST_RATE", 10.0, 0.01, 1_000_000),
                r.integer("KRING_REQUEST_BURST", 50, 1, 10_000_000),
                r.decimal("KRING_SIGNUP_RATE", 2.0, 0.001, 1_000_000),
                r.integer("KRING_SIGNUP_BURST", 60, 1, 10_000_000),
                r.integer("KRING_MAX_FRAME_BYTES", 16_384, 1024, 1 << 20),
                r.integer("KRING_HEARTBEAT_SECONDS", 25, 1, 3600),
                r.integer("KRING_OUTBOUND_QUEUE_BYTES", 262_144, 4096, 64 << 20),
                r.integer("KRING_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 256),
                r.bool("KRING_NATIVE_TRANSPORT", true),
                r.integer("KRING_MAX_CONNECTIONS", defaultMaxConnections(), 1, 10_000_000),
                Duration.ofSeconds(r.integer("KRING_HTTP_IDLE_SECONDS", 75, 1, 3600)),
                Duration.ofMillis(r.integer("KRING_REQUEST_TIMEOUT_MS", 10_000, 100, 600_000)),
                r.integer("KRING_DB_POOL_SIZE", 8, 2, 200),
                r.integer("KRING_BATCH_MAX", 512, 1, 10_000),
                r.integer("KRING_WRITER_PIPELINE", 1, 1, 32),
                Duration.ofMillis(r.integer("KRING_ACK_DEADLINE_MS", 800, 50, 60_000)),
                r.integer("KRING_HISTORY_CACHE_PER_ROOM", 256, 0, 100_000),
                r.integer("KRING_HISTORY_CACHE_BYTES", 64 << 20, 0, Integer.MAX_VALUE),
                r.integer("KRING_RESUME_MAX", 2000, 1, 1_000_000),
                Duration.ofDays(r.integer("KRING_MEMBER_SESSION_DAYS", 30, 1, 3650)),
                Duration.ofHours(r.integer("KRING_STAFF_SESSION_HOURS", 12, 1, 24 * 90)),
                Duration.ofSeconds(r.integer("KRING_SHUTDOWN_SECONDS", 10, 1, 600)),
                r.bool("KRING_REQUIRE_TOTP", false),
                Duration.ofDays(r.integer("KRING_PSEUDONYM_COOLING_OFF_DAYS", 30, 0, 3650)),
                Duration.ofSeconds(r.integer("KRING_CLAIM_LEASE_SECONDS", 180, 1, 3600)),
                Duration.ofSeconds(r.integer("KRING_DUTY_GRACE_SECONDS", 300, 1, 86_400)),
                Duration.ofDays(r.integer("KRING_AUDIT_RETENTION_DAYS", 730, 30, 36_500)),
                Duration.ofMinutes(r.integer("KRING_RETENTION_INTERVAL_MINUTES", 60, 1, 7 * 24 * 60)),
                new SignInLimits(r.addressRanges("KRING_TRUSTED_PROXIES"),
                        r.integer("KRING_LOGIN_FAILURES_PER_SOURCE", 30, 1, 1_000_000),
                        r.integer("KRING_LOGIN_FAILURES_PER_ADDRESS_SOURCE", 10, 1, 1_000_000),
                        r.integer("KRING_LOGIN_FAILURES_PER_ADDRESS", 50, 1, 1_000_000),
                        r.integer("KRING_LOGIN_FAILURES_TOTAL", 1000, 1, 100_000_000),
                        r.integer("KRING_SIGNUP_FAILURES_PER_SOURCE", 20, 1, 1_000_000)),
                r.optional("KRING_SECRET_KEY"),
                new Cluster(r.list("KRING_CLUSTER_MEMBERS"), r.string("KRING_CLUSTER_HOST", "127.0.0.1"),
                        r.integer("KRING_CLUSTER_PORT", 5701, 1, 65535), r.string("KRING_CLUSTER_SECRET", "")),
                r.optional("KRING_ALERTMANAGER_URL").map(u -> u.replaceAll("/+$", "")));
        for (String member : config.cluster.members()) {
            if (!member.matches("[^:\\s]+:\\d{1,5}")) {
                r.problems.add("KRING_CLUSTER_MEMBERS: '" + member + "' is not host:port");
            }
        }
        int secretLength = config.cluster.secret().length();
        if (config.cluster.enabled() && (secretLength < Cluster.MIN_SECRET || secretLength > 1024)) {
            r.problems.add("KRING_CLUSTER_SECRET must be set with KRING_CLUSTER_MEMBERS, 32 to 1024 characters"
                    + " (for example: openssl rand -base64 32), was " + secretLength + " characters");
        }
        if (config.adminEmail.isPresent() != config.adminPassword.isPresent()) {
            r.problems.add("KRING_ADMIN_EMAIL and KRING_ADMIN_PASSWORD must be set together");
        }
        config.adminEmail.filter(e -> !e.matches("[^@\\s]+@[^@\\s]+")).ifPresent(
                e -> r.problems.add("KRING_ADMIN_EMAIL is not an e-mail address"));
        for (String origin : config.allowedOrigins) {
            if (!origin.matches("https?://[^/\\s]+")) {
                r.problems.add("KRING_ALLOWED_ORIGINS: '" + origin + "' is not an origin like https://kring.example");
            }
        }
        config.alertmanagerUrl.filter(u -> !isHttpUrl(u)).ifPresent(
                u -> r.problems.add("KRING_ALERTMANAGER_URL: '" + u + "' is not a URL like http://alertmanager:9093"));
        config.secretKey.filter(k -> !isKey(k)).ifPresent(
                k -> r.problems.add("KRING_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)"));
        if (!r.problems.isEmpty()) {
            throw new ConfigException(r.problems);
        }
        return config;
    }

    /** The same configuration on another public port (when 0 was asked for and a free one was picked). */
    public KringConfig withPort(int newPort) {
        return new KringConfig(host, newPort, mgmtHost, mgmtPort, allowedOrigins, databaseUrl, dataDir, adminEmail,
                adminPassword, sendRate, sendBurst, floodStrikes, requestRate, requestBurst, signupRate, signupBurst,
                maxFrameBytes, heartbeatSeconds, outboundQueueBytes, eventLoops, nativeTransport, maxConnections, httpIdle, requestTimeout, dbPoolSize, batchMaxSize,
                writerPipeline, ackDeadline, historyCachePerRoom, historyCacheBytes, resumeMaxMessages, memberSessionTtl, staffSessionTtl,
                shutdownGrace, requireTotp, pseudonymCoolingOff, claimLease, dutyGrace, auditRetention, retentionInterval,
                signIn, secretKey, cluster, alertmanagerUrl);
    }

    /** Whether a value is an absolute http(s) URL with a host, and without a query or fragment. */
    private static boolean isHttpUrl(String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Whether a KRING_SECRET_KEY value is 32 bytes in base64. */
    private static boolean isKey(String value) {
        try {
            return java.util.Base64.getDecoder().decode(value).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The process's open-file limit minus a reserve, so that accept() never hits EMFILE. */
    static int defaultMaxConnections() {
        long limit = 20_000;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            limit = unix.getMaxFileDescriptorCount();
        }
        return (int) Math.max(100, Math.min(Integer.MAX_VALUE, limit - FD_RESERVE));
    }

    /** Thrown when one or more variables are invalid; its message lists each, one a line. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(List<String> problems) {
            super("invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        Optional<String> optional(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String string(String name, String def) {
            return optional(name).orElse(def);
        }

        List<String> list(String name) {
            List<String> out = new ArrayList<>();
            for (String part : string(name, "").split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim().replaceAll("/+$", ""));
                }
            }
            return out;
        }

        /** A comma-separated list of IP addresses and CIDR ranges (no host names: nothing is looked up). */
        List<AddressRange> addressRanges(String name) {
            List<AddressRange> out = new ArrayList<>();
            for (String part : list(name)) {
                AddressRange.parse(part).ifPresentOrElse(out::add,
                        () -> problems.add(name + ": '" + part + "' is not an IP address or a CIDR range like 10.0.0.0/24"));
            }
            return out;
        }

        int integer(String name, int def, int min, int max) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return def;
            }
            try {
                int parsed = Integer.parseInt(v.get());
                if (parsed < min || parsed > max) {
                    problems.add(name + " must be between " + min + " and " + max + ", was " + parsed);
                    return def;
                }
                return parsed;
            } catch (NumberFormatException e) {
                problems.add(name + " must be a whole number, was '" + v.get() + "'");
                return def;
            }
        }

        boolean bool(String name, boolean def) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return def;
            }
            if (!v.get().equals("true") && !v.get().equals("false")) {
                problems.add(name + " must be true or false, was '" + v.get() + "'");
                return def;
            }
            return Boolean.parseBoolean(v.get());
        }

        double decimal(String name, double def, double min, double max) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return def;
            }
            try {
                double parsed = Double.parseDouble(v.get());
                if (!(parsed >= min && parsed <= max)) {
                    problems.add(name + " must be between " + min + " and " + max + ", was " + parsed);
                    return def;
                }
                return parsed;
            } catch (NumberFormatException e) {
                problems.add(name + " must be a number, was '" + v.get() + "'");
                return def;
            }
        }
    }
}
