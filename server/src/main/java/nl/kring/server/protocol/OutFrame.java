package nl.kring.server.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One server-to-client text frame (a JSON object), encoded to UTF-8 once and written as is to
 * every socket it goes to. A room's message, presence or typing event reaches up to thousands of
 * sockets; encoding it per socket was 7 % of the server's CPU in the 10,000-member room
 * (docs/benchmarks.md). Immutable: {@link #utf8()} hands out the shared array, which nobody writes.
 */
public final class OutFrame {

    private final String text;
    private final byte[] utf8;

    private OutFrame(String text) {
        this.text = text;
        this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    }

    public static OutFrame of(String json) {
        return new OutFrame(json);
    }

    /** The frame as text (in-memory connections in tests). */
    public String text() {
        return text;
    }

    /** The frame's UTF-8 bytes, shared by every write: read, never modify. */
    public byte[] utf8() {
        return utf8;
    }

    /** The size only: a frame may carry a message body, which never goes into a log. */
    @Override
    public String toString() {
        return "OutFrame[" + utf8.length + " bytes]";
    }
}
