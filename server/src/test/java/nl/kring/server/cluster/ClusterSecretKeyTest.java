package nl.kring.server.cluster;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every node derives from the cluster secret, without an event loop (docs/adr/0011-cluster-secret.md). */
class ClusterSecretKeyTest {

    static final String SECRET = "a-cluster-secret-of-32-characters";

    @Test
    void everyNodeDerivesTheSameCertificateAndAnotherSecretAnother() throws Exception {
        ClusterSecret.Derived a = ClusterSecret.derive(SECRET);
        ClusterSecret.Derived b = ClusterSecret.derive(SECRET);
        ClusterSecret.Derived other = ClusterSecret.derive(SECRET + "x");
        assertThat(a.certificate().getEncoded()).isEqualTo(b.certificate().getEncoded());
        assertThat(a.privateKey().getEncoded()).isEqualTo(b.privateKey().getEncoded());
        assertThat(other.publicKey().getEncoded()).isNotEqualTo(a.publicKey().getEncoded());
        // the certificate is valid, self-signed by the derived key
        X509Certificate cert = (X509Certificate) a.certificate();
        cert.verify(a.publicKey());
        cert.checkValidity();
    }

    @Test
    void theClusterNameComesFromTheSecretAndDoesNotShowIt() {
        assertThat(ClusterSecret.clusterName(SECRET)).isEqualTo(ClusterSecret.clusterName(SECRET))
                .isNotEqualTo(ClusterSecret.clusterName(SECRET + "x"))
                .matches("kring-[0-9a-f]{32}")
                .doesNotContain(SECRET);
    }

    @Test
    void theEventBusRequiresTheCertificateBothWays() {
        EventBusOptions options = ClusterSecret.secure(new EventBusOptions(), SECRET);
        assertThat(options.isSsl()).isTrue();
        assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(options.isTrustAll()).isFalse();
        // JSON is how the clustered event bus copies its options: the key must survive it
        assertThat(new io.vertx.core.net.NetServerOptions(options.toJson()).getKeyCertOptions()).isNotNull();
    }
}
