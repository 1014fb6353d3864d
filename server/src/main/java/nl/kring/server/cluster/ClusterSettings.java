package nl.kring.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import nl.kring.server.config.KringConfig;

/** Hazelcast's membership settings from Kring's configuration: TCP-IP join, no multicast, nothing phoned home. */
public final class ClusterSettings {

    private ClusterSettings() {
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterSettings.class);

    /** Logs the number of nodes now and on every change ("cluster membership [nodes: 3]"). */
    public static void logMembership(com.hazelcast.core.HazelcastInstance hz) {
        log.info("cluster membership [nodes: {}]", hz.getCluster().getMembers().size());
        hz.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
                log.info("cluster membership [nodes: {}]", e.getMembers().size());
            }

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
                log.info("cluster membership [nodes: {}]", e.getMembers().size());
            }
        });
    }

    /** The first of the Hazelcast serializer type ids Bucket4j takes (a few in a row). */
    static final int BUCKET4J_TYPE_IDS = 10_000;

    public static Config hazelcast(KringConfig.Cluster cluster) {
        // Vert.x's default cluster.xml (the maps and multimaps its event bus needs), then Kring's network.
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(ClusterSecret.clusterName(cluster.secret())); // another secret: another cluster
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // A node killed without a goodbye is declared gone after 10 s of silence (Hazelcast's default: 60 s),
        // so that the cluster's view and every node's event-bus registrations drop it soon.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        // Bucket4j's entry processors for the per-member rate limits (ClusterRateLimiter), with its compact
        // serializers: every node registers them under the same type ids
        io.github.bucket4j.grid.hazelcast.HazelcastProxyManager.addCustomSerializers(config.getSerializationConfig(),
                BUCKET4J_TYPE_IDS);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(cluster.host());
        network.setPublicAddress(cluster.host() + ":" + cluster.port());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
        return config;
    }
}
