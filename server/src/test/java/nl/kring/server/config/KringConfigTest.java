package nl.kring.server.config;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KringConfigTest {

    @Test
    void defaultsMatchTheProtocol() {
        KringConfig c = KringConfig.fromEnv(Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.mgmtPort()).isEqualTo(8081);
        assertThat(c.mgmtHost()).isEqualTo("127.0.0.1");
        assertThat(c.maxFrameBytes()).isEqualTo(16_384);
        assertThat(c.heartbeatSeconds()).isEqualTo(25);
        assertThat(c.sendRate()).isEqualTo(1.0);
        assertThat(c.sendBurst()).isEqualTo(10);
        assertThat(c.databaseUrl()).isEmpty();
        assertThat(c.ackDeadline()).isLessThan(Duration.ofSeconds(1));
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsEveryVariable() {
        KringConfig c = KringConfig.fromEnv(Map.of("KRING_PORT", "9000", "KRING_ALLOWED_ORIGINS", "https://a.example, https://b.example/",
                "KRING_SEND_RATE", "0.5", "KRING_ADMIN_EMAIL", "Admin@Example.org", "KRING_ADMIN_PASSWORD", "long-enough-pw"));
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.sendRate()).isEqualTo(0.5);
        assertThat(c.adminEmail()).hasValue("admin@example.org");
    }

    @Test
    void withPortChangesThePortAndKeepsEverythingElse() {
        KringConfig c = KringConfig.fromEnv(Map.of("KRING_SEND_RATE", "3", "KRING_WRITER_PIPELINE", "2", "KRING_NATIVE_TRANSPORT", "false"));
        KringConfig moved = c.withPort(1234);
        assertThat(moved.port()).isEqualTo(1234);
        assertThat(moved.withPort(c.port())).isEqualTo(c);
    }

    @Test
    void clusterMembersAreHostAndPortAndNoneMeansANodeAlone() {
        assertThat(KringConfig.fromEnv(Map.of()).cluster().enabled()).isFalse();
        KringConfig c = KringConfig.fromEnv(Map.of("KRING_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701", "KRING_CLUSTER_PORT", "5702",
                "KRING_CLUSTER_SECRET", "a-cluster-secret-of-32-characters"));
        assertThat(c.cluster().enabled()).isTrue();
        assertThat(c.cluster().members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
        assertThat(c.cluster().port()).isEqualTo(5702);
        // tried: a member without a port
        assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_CLUSTER_MEMBERS", "10.0.0.1")))
                .isInstanceOf(KringConfig.ConfigException.class)
                .hasMessageContaining("KRING_CLUSTER_MEMBERS: '10.0.0.1' is not host:port");
    }

    @Test
    void aClusterNeedsASecretOfAtLeast32CharactersAndNeverShowsIt() {
        // issue 26, item 6: without a secret the cluster's traffic had no authentication (fails on the code before it)
        assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_CLUSTER_MEMBERS", "10.0.0.1:5701")))
                .isInstanceOf(KringConfig.ConfigException.class)
                .hasMessageContaining("KRING_CLUSTER_SECRET must be set");
        assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_CLUSTER_MEMBERS", "10.0.0.1:5701",
                "KRING_CLUSTER_SECRET", "too-short-a-secret")))
                .isInstanceOf(KringConfig.ConfigException.class)
                .hasMessageContaining("was 18 characters")
                .hasMessageNotContaining("too-short-a-secret");
        KringConfig c = KringConfig.fromEnv(Map.of("KRING_CLUSTER_MEMBERS", "10.0.0.1:5701",
                "KRING_CLUSTER_SECRET", "a-cluster-secret-of-32-characters"));
        assertThat(c.toString()).doesNotContain("a-cluster-secret-of-32-characters");
        // a node alone needs none
        assertThat(KringConfig.fromEnv(Map.of()).cluster().secret()).isEmpty();
    }

    @Test
    void namesEveryBadVariableAtOnce() {
        assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_PORT", "eighty", "KRING_SEND_BURST", "0",
                "KRING_ADMIN_EMAIL", "x@y.z", "KRING_ALLOWED_ORIGINS", "kring.example")))
                .isInstanceOf(KringConfig.ConfigException.class)
                .hasMessageContaining("KRING_PORT must be a whole number")
                .hasMessageContaining("KRING_SEND_BURST must be between")
                .hasMessageContaining("KRING_ADMIN_EMAIL and KRING_ADMIN_PASSWORD must be set together")
                .hasMessageContaining("KRING_ALLOWED_ORIGINS");
    }
}
