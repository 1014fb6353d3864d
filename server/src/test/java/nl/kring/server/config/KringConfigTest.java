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
        assertThat(c.requestRate()).isEqualTo(10.0);
        assertThat(c.requestBurst()).isEqualTo(50);
        assertThat(c.databaseUrl()).isEmpty();
        assertThat(c.ackDeadline()).isLessThan(Duration.ofSeconds(1));
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsEveryVariable() {
        KringConfig c = KringConfig.fromEnv(Map.of("KRING_PORT", "9000", "KRING_ALLOWED_ORIGINS", "https://a.example, https://b.example/",
                "KRING_SEND_RATE", "0.5", "KRING_ADMIN_EMAIL", "Admin@Example.org", "KRING_ADMIN_PASSWORD", "long-enough-pw",
                "KRING_REQUEST_RATE", "2.5", "KRING_REQUEST_BURST", "7"));
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.sendRate()).isEqualTo(0.5);
        assertThat(c.adminEmail()).hasValue("admin@example.org");
        assertThat(c.requestRate()).isEqualTo(2.5);
        assertThat(c.requestBurst()).isEqualTo(7);
    }

    @Test
    void theRequestTimeoutIsTenSecondsByDefaultAndBounded() {
        assertThat(KringConfig.fromEnv(Map.of()).requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(KringConfig.fromEnv(Map.of("KRING_REQUEST_TIMEOUT_MS", "1500")).requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_REQUEST_TIMEOUT_MS", "50")))
                .isInstanceOf(KringConfig.ConfigException.class)
                .hasMessageContaining("KRING_REQUEST_TIMEOUT_MS must be between 100 and 600000");
    }

    @Test
    void withPortChangesThePortAndKeepsEverythingElse() {
        KringConfig c = KringConfig.fromEnv(Map.of("KRING_SEND_RATE", "3", "KRING_WRITER_PIPELINE", "2", "KRING_NATIVE_TRANSPORT", "false",
                "KRING_REQUEST_RATE", "4", "KRING_REQUEST_BURST", "9"));
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
    void theAlertmanagerUrlIsUnsetByDefaultAndMustBeAnHttpUrl() {
        assertThat(KringConfig.fromEnv(Map.of()).alertmanagerUrl()).isEmpty();
        assertThat(KringConfig.fromEnv(Map.of("KRING_ALERTMANAGER_URL", "http://alertmanager:9093/")).alertmanagerUrl())
                .hasValue("http://alertmanager:9093");
        for (String bad : new String[] {"alertmanager:9093", "ftp://alertmanager", "http://am/?x=1", "http://user:pw@am"}) {
            assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_ALERTMANAGER_URL", bad)))
                    .isInstanceOf(KringConfig.ConfigException.class)
                    .hasMessageContaining("KRING_ALERTMANAGER_URL: '" + bad + "' is not a URL");
        }
    }

    @Test
    void signInLimitsDefaultToHourlyFailuresAndNoTrustedProxy() {
        KringConfig.SignInLimits l = KringConfig.fromEnv(Map.of()).signIn();
        assertThat(l.trustedProxies()).isEmpty();
        assertThat(l.loginPerSource()).isEqualTo(30);
        assertThat(l.loginPerAddressSource()).isEqualTo(10);
        assertThat(l.loginPerAddress()).isEqualTo(50);
        assertThat(l.loginTotal()).isEqualTo(1000);
        assertThat(l.signUpPerSource()).isEqualTo(20);
        KringConfig c = KringConfig.fromEnv(Map.of("KRING_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16, fd00::/8",
                "KRING_LOGIN_FAILURES_PER_SOURCE", "7"));
        assertThat(c.signIn().trustedProxies()).containsExactly(AddressRange.parse("10.0.0.5").orElseThrow(),
                AddressRange.parse("10.1.0.0/16").orElseThrow(), AddressRange.parse("fd00::/8").orElseThrow());
        assertThat(c.signIn().loginPerSource()).isEqualTo(7);
        assertThat(c.withPort(1).signIn()).isEqualTo(c.signIn());
        // tried: a host name (it would need a lookup), a prefix too long, a zero limit
        assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_TRUSTED_PROXIES", "nginx.internal, 10.0.0.0/33",
                "KRING_LOGIN_FAILURES_TOTAL", "0")))
                .isInstanceOf(KringConfig.ConfigException.class)
                .hasMessageContaining("KRING_TRUSTED_PROXIES: 'nginx.internal' is not an IP address")
                .hasMessageContaining("KRING_TRUSTED_PROXIES: '10.0.0.0/33' is not an IP address")
                .hasMessageContaining("KRING_LOGIN_FAILURES_TOTAL must be between");
    }

    @Test
    void addressRangesHoldTheirAddressesOnly() {
        AddressRange range = AddressRange.parse("10.1.0.0/16").orElseThrow();
        assertThat(range.contains(AddressRange.literal("10.1.255.7"))).isTrue();
        assertThat(range.contains(AddressRange.literal("10.2.0.1"))).isFalse();
        assertThat(range.contains(AddressRange.literal("::ffff:10.1.0.1"))).as("an IPv6 address is not in an IPv4 range").isFalse();
        assertThat(AddressRange.parse("10.0.0.5").orElseThrow().contains(AddressRange.literal("10.0.0.5"))).isTrue();
        assertThat(AddressRange.parse("10.0.0.5").orElseThrow().contains(AddressRange.literal("10.0.0.4"))).isFalse();
        assertThat(AddressRange.parse("2001:db8::/33").orElseThrow().contains(AddressRange.literal("2001:db8:7fff::1"))).isTrue();
        assertThat(AddressRange.parse("2001:db8::/33").orElseThrow().contains(AddressRange.literal("2001:db8:8000::1"))).isFalse();
        assertThat(AddressRange.literal("999.1.1.1")).isNull();
        assertThat(AddressRange.literal("example.org")).isNull();
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
                "KRING_ADMIN_EMAIL", "x@y.z", "KRING_ALLOWED_ORIGINS", "kring.example", "KRING_REQUEST_RATE", "0",
                "KRING_REQUEST_BURST", "none")))
                .isInstanceOf(KringConfig.ConfigException.class)
                .hasMessageContaining("KRING_PORT must be a whole number")
                .hasMessageContaining("KRING_SEND_BURST must be between")
                .hasMessageContaining("KRING_ADMIN_EMAIL and KRING_ADMIN_PASSWORD must be set together")
                .hasMessageContaining("KRING_ALLOWED_ORIGINS")
                .hasMessageContaining("KRING_REQUEST_RATE must be between 0.01 and")
                .hasMessageContaining("KRING_REQUEST_BURST must be a whole number");
    }

    @Test
    void theSecretKeyIsOptionalAndMustBe32BytesOfBase64() {
        assertThat(KringConfig.fromEnv(Map.of()).secretKey()).isEmpty();
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(KringConfig.fromEnv(Map.of("KRING_SECRET_KEY", key)).secretKey()).hasValue(key);
        assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_SECRET_KEY", "too-short")))
                .hasMessageContaining("KRING_SECRET_KEY must be 32 bytes in base64");
        assertThatThrownBy(() -> KringConfig.fromEnv(Map.of("KRING_SECRET_KEY",
                java.util.Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("KRING_SECRET_KEY");
    }
}
