package nl.kring.server.metrics;

/** Every {@code kring_*} meter name in one place; documented in {@code docs/operations.md}. */
public final class MetricNames {
    public static final String CONNECTIONS = "kring.ws.connections";
    public static final String SESSIONS_OPENED = "kring.ws.sessions.opened";
    public static final String UPGRADES_REFUSED = "kring.ws.upgrades.refused";
    public static final String CLOSES = "kring.ws.closes";
    public static final String SENDS = "kring.sends";
    public static final String ACK_LATENCY = "kring.ack.latency";
    public static final String BATCH_SIZE = "kring.db.batch.size";
    public static final String BATCH_DURATION = "kring.db.batch.duration";
    public static final String STATEMENT_DURATION = "kring.db.statement.duration";
    public static final String DELIVERIES = "kring.deliveries";
    public static final String DB_UP = "kring.db.up";
    public static final String DB_RESTARTS = "kring.db.restarts";
    public static final String ROOMS_ACTIVE = "kring.rooms.active";
    public static final String ROOM_LOAD_RETRIES = "kring.rooms.load.retries";
    public static final String WRITER_QUEUE = "kring.db.writer.queue";
    public static final String LOGINS = "kring.auth.logins";
    public static final String SIGNUPS = "kring.auth.signups";
    public static final String ACCOUNTS_ENDED = "kring.accounts.ended";
    public static final String IDENTITY_VIEWS = "kring.staff.identity.views";
    public static final String CHATSAFE_FINDINGS = "kring.chatsafe.findings";
    public static final String CHATSAFE_ACTIONS = "kring.chatsafe.actions";
    public static final String CHATSAFE_PROMPTS = "kring.chatsafe.prompts";
    public static final String CHATSAFE_HOLDS = "kring.chatsafe.holds";
    public static final String CHATSAFE_ALERTS = "kring.chatsafe.alerts";
    public static final String CHATSAFE_ALERTS_UNSEEN = "kring.chatsafe.alerts.unseen";
    public static final String MOD_QUEUE_DEPTH = "kring.moderation.queue.depth";
    public static final String MOD_QUEUE_OLDEST = "kring.moderation.queue.oldest.seconds";
    public static final String MOD_QUEUE_OVERDUE = "kring.moderation.queue.overdue";
    public static final String MOD_ACTIONS = "kring.moderation.actions";
    public static final String MOD_FIRST_ACTION = "kring.moderation.first.action";
    public static final String MOD_RESOLUTION = "kring.moderation.resolution";
    public static final String MOD_IMMINENT_SEEN = "kring.moderation.imminent.seen";
    public static final String MOD_ROOMS_FALLBACK = "kring.moderation.rooms.fallback";
    public static final String MOD_COMMUNITIES_UNMODERATED = "kring.moderation.communities.unmoderated";
    public static final String MOD_ON_DUTY = "kring.moderation.staff.on.duty";
    public static final String SPREEKUUR_OPEN = "kring.spreekuur.sessions.open";
    public static final String SPREEKUUR_WAITING = "kring.spreekuur.waiting";
    public static final String SPREEKUUR_TALKS = "kring.spreekuur.talks.running";
    public static final String SPREEKUUR_HOSTS = "kring.spreekuur.hosts.present";
    public static final String SPREEKUUR_WAIT = "kring.spreekuur.wait";
    public static final String SPREEKUUR_TALK = "kring.spreekuur.talk";
    public static final String SPREEKUUR_TRANSFERS = "kring.spreekuur.transfers";
    public static final String SPREEKUUR_QUEUE_EXITS = "kring.spreekuur.queue.exits";
    public static final String SPREEKUUR_FEEDBACK = "kring.spreekuur.feedback.score";
    public static final String VRAAGBAAK_OPEN = "kring.vraagbaak.questions.open";
    public static final String VRAAGBAAK_PUBLISH_WAIT = "kring.vraagbaak.publish.wait";
    public static final String VRAAGBAAK_CLOSED = "kring.vraagbaak.questions.closed";
    public static final String CLUSTER_MEMBERS = "kring.cluster.members";
    public static final String CLUSTER_NOTICES = "kring.cluster.notices";
    public static final String CLUSTER_LATENCY = "kring.cluster.latency";
    public static final String CLUSTER_CATCH_UPS = "kring.cluster.catch.ups";

    private MetricNames() {
    }
}
