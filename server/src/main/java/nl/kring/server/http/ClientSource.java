package nl.kring.server.http;

import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import nl.kring.server.config.AddressRange;

/**
 * The network source of a request, as the sign-in limits count it: the peer's address, or, when
 * the peer is a trusted proxy (KRING_TRUSTED_PROXIES), the right-most address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy (the left part of the header is
 * whatever the client wrote, so it is never believed). An IPv6 source counts as its /64, the
 * block one subscriber gets. The result is a key for in-memory limiters only: it is never logged,
 * stored or sent on (docs/operations.md, "Sign-in limits"). Immutable, thread-safe.
 */
record ClientSource(List<AddressRange> trustedProxies) {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    /** The source of this request; "unknown" when the peer has no IP address (a Unix socket). */
    String of(RoutingContext ctx) {
        SocketAddress peer = ctx.request().remoteAddress();
        return of(peer == null ? null : peer.hostAddress(), ctx.request().headers().getAll(FORWARDED_FOR));
    }

    /** The source given the peer's address and the X-Forwarded-For header lines (possibly none). */
    String of(String peerAddress, List<String> forwardedFor) {
        byte[] source = peerAddress == null ? null : AddressRange.literal(peerAddress);
        if (source == null) {
            return "unknown";
        }
        if (trusted(source)) {
            String[] hops = String.join(",", forwardedFor).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                byte[] hop = AddressRange.literal(hops[i].trim());
                if (hop == null) {
                    break; // garbage from here on leftwards: stop at the last proxy we know
                }
                source = hop;
                if (!trusted(hop)) {
                    break;
                }
            }
        }
        return key(source);
    }

    private boolean trusted(byte[] address) {
        for (AddressRange range : trustedProxies) {
            if (range.contains(address) || range.contains(ipv4(address))) {
                return true;
            }
        }
        return false;
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as its IPv4 address; any other address as it is. */
    private static byte[] ipv4(byte[] address) {
        if (address.length != 16 || address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        return Arrays.copyOfRange(address, 12, 16);
    }

    private static String key(byte[] address) {
        byte[] plain = ipv4(address);
        if (plain.length == 4) {
            return NetUtil.bytesToIpAddress(plain);
        }
        byte[] block = Arrays.copyOf(plain, 16);
        Arrays.fill(block, 8, 16, (byte) 0);
        return NetUtil.bytesToIpAddress(block) + "/64";
    }
}
