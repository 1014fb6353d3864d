package nl.kring.server.http;

import java.util.List;
import nl.kring.server.config.AddressRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which address a request's source is: X-Forwarded-For believed only from a trusted proxy, and only its right end. */
class ClientSourceTest {

    private final ClientSource behindNginx = new ClientSource(List.of(AddressRange.parse("10.0.0.0/24").orElseThrow(),
            AddressRange.parse("127.0.0.1").orElseThrow()));
    private final ClientSource direct = new ClientSource(List.of());

    @Test
    void withoutATrustedProxyTheHeaderIsIgnored() {
        // tried: a client that writes its own X-Forwarded-For to get a fresh source on every attempt
        assertThat(direct.of("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
        assertThat(behindNginx.of("203.0.113.9", List.of("198.51.100.1"))).as("a peer that is not a trusted proxy")
                .isEqualTo("203.0.113.9");
    }

    @Test
    void fromATrustedProxyTheRightMostUntrustedAddressIsTheSource() {
        assertThat(behindNginx.of("10.0.0.2", List.of("198.51.100.7"))).isEqualTo("198.51.100.7");
        // a client's own header in front of what the proxy added is not believed
        assertThat(behindNginx.of("10.0.0.2", List.of("1.2.3.4, 198.51.100.7"))).isEqualTo("198.51.100.7");
        assertThat(behindNginx.of("10.0.0.2", List.of("1.2.3.4", "198.51.100.7, 10.0.0.3"))).as("two proxies in a row")
                .isEqualTo("198.51.100.7");
        assertThat(behindNginx.of("10.0.0.2", List.of())).as("no header: the proxy itself").isEqualTo("10.0.0.2");
        assertThat(behindNginx.of("10.0.0.2", List.of("nginx.example"))).as("no name is looked up").isEqualTo("10.0.0.2");
        assertThat(behindNginx.of("::ffff:127.0.0.1", List.of("198.51.100.8"))).as("an IPv4-mapped peer")
                .isEqualTo("198.51.100.8");
    }

    @Test
    void anIpv6SourceCountsAsItsSlash64() {
        assertThat(direct.of("2001:db8:1:2:aaaa::1", List.of())).isEqualTo(direct.of("2001:db8:1:2:bbbb::9", List.of()))
                .endsWith("/64");
        assertThat(direct.of("2001:db8:1:3::1", List.of())).isNotEqualTo(direct.of("2001:db8:1:2::1", List.of()));
        assertThat(direct.of("::ffff:192.0.2.4", List.of())).isEqualTo("192.0.2.4");
        assertThat(direct.of(null, List.of())).isEqualTo("unknown");
    }
}
