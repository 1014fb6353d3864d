package nl.kring.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports a test must know before a process binds them: Hazelcast members list each other's ports,
 * a restarted server or PostgreSQL comes back on the port its clients know. Port 0 is the better
 * choice wherever the server can report what it bound ({@link ServerProcess}, {@link TestServer}).
 *
 * <p>A port is taken below the kernel's ephemeral range ({@code ip_local_port_range}), where no
 * outgoing connection and no bind to port 0 is ever given a port, and checked free when chosen.
 * A port from the ephemeral range could be taken by any connection opened before the process
 * binds it: that lost CI a run (EADDRINUSE).
 */
public final class Ports {

    private static final int LOWEST = 10_000;

    private Ports() {
    }

    /** A port free now, outside the ephemeral range, that nothing but an explicit bind can take. */
    public static int outsideEphemeralRange() {
        int below = ephemeralLow();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // in use: another try
            }
        }
        throw new IllegalStateException("no free port in " + LOWEST + ".." + below);
    }

    static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            if (low > LOWEST + 1_000) {
                return low;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unusual range: below Linux's default range
        }
        return 32_768;
    }
}
