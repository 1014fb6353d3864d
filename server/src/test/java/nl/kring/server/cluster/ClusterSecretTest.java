package nl.kring.server.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.kring.server.config.KringConfig;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.peers.Notice;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Ports;
import nl.kring.server.testing.ServerProcess;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster secret (issue 26, item 6; docs/adr/0011-cluster-secret.md): two Kring nodes sharing
 * KRING_CLUSTER_SECRET, and processes in this JVM that try to take part in their cluster. Each
 * test fails on the code before the secret existed: a node with another secret joined (every
 * cluster was named "kring"), any Hazelcast member could ask a node for a ticket over the
 * plain event bus, and the answer was the member's bearer token.
 */
class ClusterSecretTest {

    static final String WRONG_SECRET = "not-the-cluster-secret-0123456789abcdef";

    static final List<ServerProcess> nodes = new ArrayList<>();
    static final List<Vertx> peers = new ArrayList<>();
    static final List<String> members = new ArrayList<>();
    static DatabaseTarget db;
    static ApiClient admin;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        db = TestDatabase.fresh();
        List<Integer> ports = List.of(Ports.outsideEphemeralRange(), Ports.outsideEphemeralRange(), Ports.outsideEphemeralRange());
        ports.forEach(p -> members.add("127.0.0.1:" + p));
        for (int i = 0; i < 2; i++) {
            nodes.add(ServerProcess.start(db, node(ports.get(i), ServerProcess.CLUSTER_SECRET)));
        }
        for (ServerProcess node : nodes) {
            node.line(l -> l.contains("cluster membership [nodes: 2]")).get(60, TimeUnit.SECONDS);
        }
        admin = new ApiClient(nodes.get(0).port());
    }

    @AfterAll
    static void stop() {
        peers.forEach(v -> v.close().await());
        nodes.forEach(ServerProcess::kill);
    }

    static Map<String, String> node(int clusterPort, String secret) {
        Map<String, String> env = new HashMap<>();
        env.put("KRING_CLUSTER_MEMBERS", String.join(",", members));
        env.put("KRING_CLUSTER_PORT", Integer.toString(clusterPort));
        env.put("KRING_CLUSTER_SECRET", secret);
        return env;
    }

    /** A clustered Vert.x in this JVM: Hazelcast joins with {@code joinSecret}, the event bus's TLS key is {@code busSecret}'s. */
    static Vertx peer(String joinSecret, String busSecret) {
        KringConfig.Cluster cluster = new KringConfig.Cluster(members, "127.0.0.1", Ports.outsideEphemeralRange(), joinSecret);
        VertxOptions options = new VertxOptions();
        ClusterSecret.secure(options.getEventBusOptions().setHost("127.0.0.1").setPort(0), busSecret);
        Vertx vertx = Vertx.builder().with(options)
                .withClusterManager(new HazelcastClusterManager(ClusterSettings.hazelcast(cluster)))
                .buildClustered().await();
        peers.add(vertx);
        return vertx;
    }

    /** Asks the node that issued {@code ticket} to redeem it, as a peer does when an upgrade lands elsewhere. */
    static io.vertx.core.Future<Message<JsonObject>> askForTicket(Vertx peer, String ticket) {
        int dot = ticket.indexOf('.');
        return peer.eventBus().request(Notice.TICKET.address() + "." + ticket.substring(0, dot),
                new JsonObject().put("ticket", ticket.substring(dot + 1)).put("node", "test-peer"),
                new DeliveryOptions().setSendTimeout(5_000));
    }

    /** A member of a fresh community and room, with a ticket from node 0. */
    record Member(String room, String token, String ticket) {
    }

    static Member memberWithTicket() {
        String slug = admin.community();
        String token = admin.member(slug);
        return new Member(admin.room(slug), token, admin.ticket(token));
    }

    @Test
    void aTicketRedeemedAcrossTheClusterSendsNoBearerToken() {
        // GIVEN a member's ticket from node 0, and a legitimate peer (it has the secret)
        Member m = memberWithTicket();
        Vertx peer = peer(ServerProcess.CLUSTER_SECRET, ServerProcess.CLUSTER_SECRET);

        // WHEN the peer asks node 0 for it, as a node does whose upgrade carries a ticket from elsewhere
        JsonObject answer = askForTicket(peer, m.ticket()).await().body();

        // THEN the answer names the session without its token (before: {"token": <the bearer token>})
        assertThat(answer.encode()).doesNotContain(m.token());
        assertThat(answer.getString("session")).hasSize(64);
        // AND redemption across nodes still opens a socket
        try (WsClient c = WsClient.connect(nodes.get(1).port(), admin.ticket(m.token()))) {
            TestServer.join(c, m.room()); // asserts ok
        }
    }

    @Test
    void aPeerWithoutTheSecretsKeyIsRefusedOnTheEventBus() {
        // GIVEN a member's ticket from node 0, and a peer that got into Hazelcast (the cluster name travels in
        // the clear, so assume it was overheard) but lacks the secret, so its event-bus key is another
        Member m = memberWithTicket();
        Vertx stranger = peer(ServerProcess.CLUSTER_SECRET, WRONG_SECRET);

        // WHEN it asks node 0 for the ticket
        Throwable refused = askForTicket(stranger, m.ticket()).map(reply -> (Throwable) null).otherwise(t -> t).await();

        // THEN no answer came (the TLS handshake fails both ways) and the ticket was never consumed: it still opens a socket
        assertThat(refused).as("the stranger got an answer").isNotNull();
        try (WsClient c = WsClient.connect(nodes.get(0).port(), m.ticket())) {
            TestServer.join(c, m.room()); // asserts ok
        }
    }

    @Test
    void aNodeWithAnotherSecretFormsNoClusterWithThem() throws Exception {
        // WHEN a third Kring node starts with the same members but another secret
        try (ServerProcess other = ServerProcess.start(db, node(Ports.outsideEphemeralRange(), WRONG_SECRET))) {
            // THEN it started alone, and never saw the others as members
            assertThat(other.output()).anyMatch(l -> l.contains("cluster membership [nodes: 1]"))
                    .noneMatch(l -> l.matches(".*cluster membership \\[nodes: [2-9]\\].*"));
        }
    }
}
