package nl.kring.server.cluster;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.ServerProcess;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Kring nodes on 127.0.0.1, clustered over Hazelcast (TCP-IP join), sharing one real
 * PostgreSQL: members of one room on different nodes see the same messages with the same
 * gap-free seqs, in the same order, exactly once (issue 9).
 */
class ClusterTest {

    static final int NODES = 3;
    static final int PER_MEMBER = 10;

    @Test
    void membersOnThreeNodesSeeOneRoomsMessagesInOneOrderExactlyOnce() throws Exception {
        DatabaseTarget db = TestDatabase.fresh();
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                clusterPorts.add(s.getLocalPort());
            }
        }
        String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
        List<ServerProcess> nodes = new ArrayList<>();
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < NODES; i++) {
                nodes.add(ServerProcess.start(db, Map.of("KRING_CLUSTER_MEMBERS", members,
                        "KRING_CLUSTER_PORT", Integer.toString(clusterPorts.get(i)))));
            }
            // GIVEN the three nodes in one cluster (each has logged the membership of three)
            for (ServerProcess node : nodes) {
                node.line(l -> l.contains("cluster membership [nodes: " + NODES + "]")).get(60, TimeUnit.SECONDS);
            }
            ApiClient admin = new ApiClient(nodes.get(0).port());
            String slug = admin.community();
            String room = admin.room(slug);
            // ...and one member of the room on each node, joined
            for (ServerProcess node : nodes) {
                WsClient c = new ApiClient(node.port()).connect(admin.member(slug));
                clients.add(c);
                assertThat(c.request("join", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            }

            // WHEN they take turns sending, each through its own node
            for (int n = 0; n < PER_MEMBER; n++) {
                for (int i = 0; i < NODES; i++) {
                    JsonObject reply = clients.get(i).request("send", new JsonObject().put("room", room)
                            .put("clientMsgId", "m" + i + "-" + n).put("body", "bericht " + i + "-" + n));
                    assertThat(reply.getBoolean("ok")).as("acked: %s", reply).isTrue();
                }
            }

            // THEN every member, whichever node it is on, gets seqs 1..30 in order, each message once,
            // and all three see the same message at each seq
            List<List<String>> seen = new ArrayList<>();
            for (WsClient c : clients) {
                List<String> order = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                for (int k = 1; k <= NODES * PER_MEMBER; k++) {
                    JsonObject m = c.nextOfType("message");
                    assertThat(m.getLong("seq")).as("gap-free, in order").isEqualTo(k);
                    assertThat(ids.add(m.getString("clientMsgId"))).as("exactly once").isTrue();
                    order.add(m.getLong("seq") + ":" + m.getString("clientMsgId"));
                }
                seen.add(order);
            }
            assertThat(seen.get(1)).isEqualTo(seen.get(0));
            assertThat(seen.get(2)).isEqualTo(seen.get(0));
        } finally {
            clients.forEach(WsClient::close);
            nodes.forEach(ServerProcess::kill);
        }
    }
}
