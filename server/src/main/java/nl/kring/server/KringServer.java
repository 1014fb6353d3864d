package nl.kring.server;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.TimeUnit;
import nl.kring.server.accounts.AuthService;
import nl.kring.server.accounts.SecondFactor;
import nl.kring.server.admin.CommunityAdmin;
import nl.kring.server.admin.InviteAdmin;
import nl.kring.server.admin.StaffAdmin;
import nl.kring.server.cluster.ClusterFanOut;
import nl.kring.server.cluster.ClusterReach;
import nl.kring.server.cluster.ClusterRooms;
import nl.kring.server.cluster.EventBusPeers;
import nl.kring.server.peers.Peers;
import nl.kring.server.communities.CommunityRepository;
import nl.kring.server.members.MemberService;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.Database;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.figures.Figures;
import nl.kring.server.figures.Visits;
import nl.kring.server.gateway.GatewayVerticle;
import nl.kring.server.gateway.SessionRegistry;
import nl.kring.server.http.ApiRoutes;
import nl.kring.server.limits.ClusterRateLimiter;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.rooms.MessageRepository;
import nl.kring.server.messages.MessageWriter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.metrics.ManagementVerticle;
import nl.kring.server.metrics.MetricNames;
import nl.kring.server.metrics.MicrometerKringMetrics;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.rooms.HistoryCache;
import nl.kring.server.rooms.RoomDirectory;
import nl.kring.server.rooms.RoomPublisher;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.rooms.RoomRepository;
import nl.kring.server.rooms.SlowMode;
import nl.kring.server.moderation.Coverage;
import nl.kring.server.moderation.MemberNotices;
import nl.kring.server.moderation.ModerationActions;
import nl.kring.server.moderation.ModerationApi;
import nl.kring.server.moderation.ModerationQueue;
import nl.kring.server.moderation.Mutes;
import nl.kring.server.moderation.Reach;
import nl.kring.server.moderation.StaffAudience;
import nl.kring.server.retention.RetentionJob;
import nl.kring.server.admin.SafetyAdmin;
import nl.kring.server.safety.SafetyService;
import nl.kring.server.spreekuur.ScheduleAdmin;
import nl.kring.server.spreekuur.SpreekuurApi;
import nl.kring.server.spreekuur.Spreekuren;
import nl.kring.server.spreekuur.TalkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kring node, assembled: Vert.x with native transport and one event loop per core, the
 * database, the services, a gateway instance per event loop and the management listener.
 * Used by {@link Main} and, in-process, by the tests.
 */
public final class KringServer {

    private static final Logger log = LoggerFactory.getLogger(KringServer.class);

    /**
     * The line logged once the server listens, with its public port (group 1) and management port
     * (group 2): how a parent process learns the ports of a server started on port 0.
     */
    public static final java.util.regex.Pattern STARTED_LINE =
            java.util.regex.Pattern.compile("Kring started \\[port: (\\d+), management: \\S*:(\\d+),");

    private final KringConfig config;
    private final Vertx vertx;
    private final Database db;
    private final MessageWriter writer;
    private final SessionRegistry sessions;
    private final MemberService members;
    private final RetentionJob retention;
    private final Spreekuren spreekuren;
    private final Visits visits;
    private final ApiRoutes routes;
    private final int port;
    private final int mgmtPort;

    private KringServer(KringConfig config, Vertx vertx, Database db, MessageWriter writer, SessionRegistry sessions,
                        MemberService members, RetentionJob retention, Spreekuren spreekuren, Visits visits, ApiRoutes routes,
                        int port, int mgmtPort) {
        this.visits = visits;
        this.spreekuren = spreekuren;
        this.members = members;
        this.retention = retention;
        this.routes = routes;
        this.config = config;
        this.vertx = vertx;
        this.db = db;
        this.writer = writer;
        this.sessions = sessions;
        this.port = port;
        this.mgmtPort = mgmtPort;
    }

    /** Starts a node against the given PostgreSQL; fails if the database cannot be reached or migrated. */
    public static Future<KringServer> start(KringConfig config, DatabaseTarget target) {
        return start(config, target, () -> 0);
    }

    /** As {@link #start(KringConfig, DatabaseTarget)}; {@code dbRestarts} counts the embedded database's restarts (the metric). */
    public static Future<KringServer> start(KringConfig config, DatabaseTarget target, java.util.function.LongSupplier dbRestarts) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Two binder meters break Prometheus naming rules (promtool check metrics): an abbreviated
        // unit and a gauge named *_count. process_cpu_usage covers the first; the second is static.
        registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny(
                id -> id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        VertxOptions options = new VertxOptions()
                .setPreferNativeTransport(config.nativeTransport())
                .setEventLoopPoolSize(config.eventLoops())
                .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
        if (config.cluster().enabled()) {
            // mutual TLS with the key derived from KRING_CLUSTER_SECRET (docs/adr/0011-cluster-secret.md)
            nl.kring.server.cluster.ClusterSecret.secure(options.getEventBusOptions().setHost(config.cluster().host()).setPort(0),
                    config.cluster().secret());
        }
        var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
        if (!config.cluster().enabled()) {
            return startOn(builder.build(), config, target, registry, null, dbRestarts);
        }
        var manager = new io.vertx.spi.cluster.hazelcast.HazelcastClusterManager(
                nl.kring.server.cluster.ClusterSettings.hazelcast(config.cluster()));
        return builder.withClusterManager(manager)
                .buildClustered()
                .compose(vertx -> {
                    nl.kring.server.cluster.ClusterSettings.logMembership(manager.getHazelcastInstance());
                    return startOn(vertx, config, target, registry, manager, dbRestarts);
                });
    }

    private static Future<KringServer> startOn(Vertx vertx, KringConfig config, DatabaseTarget target, PrometheusMeterRegistry registry,
                                               io.vertx.spi.cluster.hazelcast.HazelcastClusterManager cluster,
                                               java.util.function.LongSupplier dbRestarts) {
        KringMetrics metrics = new MicrometerKringMetrics(registry);
        Peers peers = cluster == null ? Peers.ALONE : new EventBusPeers(vertx, metrics, cluster.getNodeId(), cluster::getNodes);
        Database db = new Database(vertx, target, config.dbPoolSize(), config.writerConnections());
        RoomRepository roomRepository = new RoomRepository(db.pool());
        MessageRepository messages = new MessageRepository(db.pool());
        HistoryCache history = new HistoryCache(config.historyCachePerRoom(), config.historyCacheBytes());
        RoomRegistry rooms = new RoomRegistry(db, roomRepository, messages, history, Math.min(config.historyCachePerRoom(), 100));
        // the writer reads its gaps on its own connections too: a repair must not queue behind the reads it unblocks
        RoomPublisher publisher = new RoomPublisher(vertx, new MessageRepository(db.writerPool()), history, metrics);
        MessageWriter writer = new MessageWriter(vertx, config, db, publisher, metrics);
        // per-member rate limits: one rate per member over all nodes (Bucket4j on Hazelcast), or this node's own
        RateLimiter.Factory limits = cluster == null ? RateLimiter.Factory.LOCAL
                : ClusterRateLimiter.factory(cluster.getHazelcastInstance());
        AuthService auth = new AuthService(vertx, config, db, metrics, limits);
        SessionRegistry sessions = new SessionRegistry();
        ClusterReach clusterReach = cluster == null ? null : new ClusterReach(vertx, sessions, peers);
        Reach reach = cluster == null ? sessions : clusterReach;
        auth.onSocketsToClose(new AuthService.SocketCloser() {
            @Override
            public void closeSession(long sessionId) {
                sessions.endAuthSession(sessionId);
            }

            @Override
            public void closeUser(long userId, CloseCode code) {
                sessions.closeUser(userId, code);
            }
        });
        MemberService members = new MemberService(vertx, db, auth, rooms, config.pseudonymCoolingOff(), metrics);
        CommunityRepository communityRepository = new CommunityRepository(db.pool());
        SafetyService safety = new SafetyService(db, communityRepository, metrics, java.time.Clock.systemUTC());
        safety.onAlert((communityId, json) -> reach.toStaff(communityId, StaffAudience.RISK_RESPONDERS, json));
        java.time.Clock clock = java.time.Clock.systemUTC();
        Mutes mutes = new Mutes(clock);
        MemberNotices notices = new MemberNotices(db, safety, reach);
        ModerationQueue queue = new ModerationQueue(vertx, db, messages, rooms, safety, notices, reach, metrics,
                config.claimLease());
        Coverage coverage = new Coverage(db, communityRepository, rooms, safety, reach, metrics, clock, config.dutyGrace());
        RetentionJob retention = new RetentionJob(vertx, db, rooms, clock, config.auditRetention(), config.retentionInterval());
        ModerationActions actions = new ModerationActions(db, queue, writer, messages, rooms, members, mutes, notices,
                coverage, reach, metrics);
        CommunityAdmin communities = new CommunityAdmin(db, communityRepository, roomRepository, rooms, safety);
        Spreekuren spreekuren = new Spreekuren(vertx, db, roomRepository, rooms, safety, reach, metrics, clock);
        TalkQueue talks = new TalkQueue(db, spreekuren, rooms, roomRepository, safety, reach, metrics);
        Visits visits = new Visits(vertx, db, clock);
        StaffAdmin staffAdmin = new StaffAdmin(db, auth, metrics);
        nl.kring.server.admin.InstallationStatus status = new nl.kring.server.admin.InstallationStatus(db, peers, sessions::openSessions,
                metrics::poolInUse, config.alertmanagerUrl().map(url -> new nl.kring.server.admin.Alertmanager(vertx, url)).orElse(null));
        nl.kring.server.http.BackOfficeRoutes backOffice = new nl.kring.server.http.BackOfficeRoutes(
                new nl.kring.server.admin.StaffEdit(db, auth, staffAdmin), new nl.kring.server.audit.AuditTrail(db),
                new nl.kring.server.admin.LiveNumbers(db, communities, sessions::membersOnline),
                new nl.kring.server.admin.CommunityLogos(db, communities), status);
        nl.kring.server.vraagbaak.VraagBaak vraagbaak = new nl.kring.server.vraagbaak.VraagBaak(vertx, db, communityRepository, safety,
                notices, metrics);
        ApiRoutes routes = new ApiRoutes(auth, new SecondFactor(auth, db, config.requireTotp()), communities,
                new InviteAdmin(db, communities), staffAdmin, members,
                new SafetyAdmin(db, communityRepository, communities, safety, clock),
                new ModerationApi(communityRepository, queue, actions, coverage, notices, db), new Figures(db, communities),
                new SpreekuurApi(new ScheduleAdmin(db, communities, roomRepository, rooms, spreekuren, talks), talks),
                new RoomDirectory(roomRepository, db), config.signIn().trustedProxies(), backOffice, vraagbaak);
        metrics.gauge(MetricNames.CONNECTIONS, "open WebSocket sessions", sessions::openSessions);
        metrics.gauge(MetricNames.DB_UP, "1 while PostgreSQL answers", () -> db.isUp() ? 1 : 0);
        metrics.gauge(MetricNames.DB_RESTARTS, "embedded PostgreSQL restarts after its postmaster died, since start",
                dbRestarts::getAsLong);
        metrics.gauge(MetricNames.ROOMS_ACTIVE, "rooms active on this node", rooms::activeCount);
        metrics.gauge(MetricNames.ROOM_LOAD_RETRIES, "room loads queued again because every pooled connection stayed busy, since start",
                rooms::retriedLoads);
        metrics.gauge(MetricNames.WRITER_QUEUE, "sends waiting for the next group commit", writer::queued);
        SlowMode slowMode = new SlowMode();
        nl.kring.server.sending.ServerSendPorts sendPorts = new nl.kring.server.sending.ServerSendPorts(rooms, writer, safety,
                coverage, mutes, slowMode, talks);
        nl.kring.server.sending.SendFlow sendFlow = new nl.kring.server.sending.SendFlow(sendPorts, sendPorts, sendPorts, metrics);
        nl.kring.server.gateway.SessionParts parts = nl.kring.server.gateway.SessionParts.of(vertx, config, db, rooms, messages,
                history, limits.<Long>create("sends", config.sendRate(), config.sendBurst(), 1_000_000), sendFlow, safety, queue,
                coverage, notices, spreekuren, talks, visits, metrics);
        java.util.List<GatewayVerticle> gateways = new java.util.concurrent.CopyOnWriteArrayList<>();
        ManagementVerticle management = new ManagementVerticle(config.mgmtHost(), config.mgmtPort(), registry, db);
        return db.start()
                .compose(v -> auth.bootstrapAdmin())
                .compose(v -> mutes.load(db))
                .compose(v -> coverage.load())
                .compose(v -> spreekuren.start(java.time.Duration.ofSeconds(5)))
                .compose(v -> {
                    writer.start();
                    if (cluster != null) {
                        new ClusterFanOut(vertx, rooms, publisher, metrics).start();
                        auth.joinCluster(peers);
                        mutes.joinCluster(peers);
                        coverage.joinCluster(peers);
                        rooms.joinCluster(peers);
                        clusterReach.start();
                        status.answerPeers();
                        new ClusterRooms(vertx, peers, rooms, spreekuren.presence(), spreekuren::hostsChangedElsewhere).start();
                        metrics.gauge(MetricNames.CLUSTER_MEMBERS, "nodes in the cluster, as this node sees them",
                                () -> cluster.getHazelcastInstance().getCluster().getMembers().size());
                    }
                    members.start();
                    queue.start();
                    retention.start();
                    auth.watchRevocations();
                    visits.start(java.time.Duration.ofMinutes(1));
                    vraagbaak.start();
                    vertx.setPeriodic(Math.min(30_000, Math.max(1000, config.dutyGrace().toMillis() / 4)),
                            id -> coverage.sweep());
                    return vertx.deployVerticle(() -> {
                        GatewayVerticle gateway = new GatewayVerticle(config, sessions, auth::redeemTicket, metrics, parts, routes.router(vertx));
                        gateways.add(gateway);
                        return gateway;
                    }, new DeploymentOptions().setInstances(config.eventLoops()));
                })
                .compose(id -> vertx.deployVerticle(management))
                .map(id -> {
                    // port 0 asked the kernel for free ports at bind time; these are the ports it gave
                    int port = gateways.get(0).actualPort();
                    if (gateways.stream().anyMatch(g -> g.actualPort() != port)) {
                        throw new IllegalStateException("the gateway's instances listen on different ports");
                    }
                    int mgmtPort = management.actualPort();
                    // STARTED_LINE reads the ports from this line: keep the two in step
                    log.info("Kring started [port: {}, management: {}:{}, event loops: {}, native transport: {}, database: {}, cluster: {}]",
                            port, config.mgmtHost(), mgmtPort, config.eventLoops(), vertx.isNativeTransportEnabled(), target,
                            config.cluster().enabled() ? config.cluster().host() + ":" + config.cluster().port() : "none");
                    return new KringServer(config.withPort(port), vertx, db, writer, sessions, members, retention, spreekuren, visits,
                            routes, port, mgmtPort);
                })
                // Do not chain on close(): its completion would be posted to a loop that is shutting down.
                .onFailure(t -> vertx.close());
    }

    public int port() {
        return port;
    }

    public int mgmtPort() {
        return mgmtPort;
    }

    /** Accounts as a whole (bans, erasure); tests run its sweep without waiting for the timer. */
    public MemberService members() {
        return members;
    }

    /** The retention job; tests run it with a moved clock instead of waiting. */
    public RetentionJob retention() {
        return retention;
    }

    /** The consultation hours; tests move their clock ({@link Spreekuren#tick}) instead of waiting. */
    public Spreekuren spreekuren() {
        return spreekuren;
    }

    /** Members' visits to rooms for the figures; tests flush them instead of waiting a minute. */
    public Visits visits() {
        return visits;
    }

    /** The HTTP API's routes, as "METHOD /path/{param}". */
    public java.util.List<String> apiRoutes() {
        return routes.routes();
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * Graceful stop: refuse new upgrades, let the writer answer every pending send (acks go out
     * for what committed), close every socket with 4000, then stop Vert.x. Bounded by
     * {@code KRING_SHUTDOWN_SECONDS} minus a second for the database and the process exit.
     */
    public Future<Void> stop() {
        long budgetMs = Math.max(1000, config.shutdownGrace().toMillis() - 1500);
        sessions.startDraining();
        return writer.flush()
                .timeout(budgetMs / 2, TimeUnit.MILLISECONDS)
                .recover(t -> Future.succeededFuture())
                .compose(v -> {
                    sessions.closeEverything(CloseCode.RESTARTING);
                    // Close frames are written on each socket's loop; give them a moment to leave.
                    return vertx.timer(200);
                })
                .compose(v -> visits.stop())
                .compose(v -> {
                    writer.stop();
                    spreekuren.stop();
                    return db.close();
                })
                .transform(ar -> vertx.close())
                .onComplete(ar -> log.info("Kring stopped"));
    }
}
