package nl.kring.server.config;

import io.netty.util.NetUtil;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IP address or a CIDR range ({@code 10.0.0.5}, {@code 10.0.0.0/24}, {@code fd00::/8}), as
 * KRING_TRUSTED_PROXIES lists them. Parsed without any name lookup. Immutable.
 */
public record AddressRange(byte[] network, int prefixBits) {

    public AddressRange {
        network = network.clone();
    }

    /** The range written as an address or address/prefix; empty when it is neither (a host name is not accepted). */
    public static Optional<AddressRange> parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        byte[] address = literal(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (address == null) {
            return Optional.empty();
        }
        int bits = address.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (bits < 0 || bits > address.length * 8) {
                return Optional.empty();
            }
        }
        return Optional.of(new AddressRange(address, bits));
    }

    /** The bytes of an IPv4 or IPv6 literal (4 or 16), or null when the text is not one; never a name lookup. */
    public static byte[] literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return NetUtil.createByteArrayFromIpAddressString(bare);
    }

    /** Whether this range holds the address (4 or 16 bytes; an IPv4 address is not in an IPv6 range). */
    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange r && r.prefixBits == prefixBits && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixBits;
    }

    @Override
    public String toString() {
        return NetUtil.bytesToIpAddress(network) + "/" + prefixBits;
    }
}
