package nl.kring.server.gateway;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reassembles a WebSocket message from its frames and enforces Kring's size limit on the whole
 * message. The WebSocket codec is configured with a larger hard cap so that an oversized frame
 * is read completely and the socket can be closed cleanly with 1009 (closing with unread input
 * makes the kernel send a reset, which loses the close frame). Confined to the socket's loop.
 */
final class FrameAssembler {

    /** What one frame completed. */
    sealed interface Result permits Text, Binary, Incomplete, TooBig, InvalidUtf8 {
    }

    record Text(String text) implements Result {
    }

    record Binary() implements Result {
    }

    record Incomplete() implements Result {
    }

    record TooBig() implements Result {
    }

    record InvalidUtf8() implements Result {
    }

    private static final Incomplete INCOMPLETE = new Incomplete();

    private final int limit;
    /** Reused for every message of this socket (reset before each use); REPORT makes bad UTF-8 an error. */
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[256];
    private int size;
    private boolean text;
    private boolean inMessage;

    FrameAssembler(int limit) {
        this.limit = limit;
    }

    /**
     * @param first  true for a text or binary frame (a new message), false for a continuation
     * @param isText the first frame's type
     */
    Result accept(boolean first, boolean isText, boolean last, byte[] payload) {
        if (first) {
            inMessage = true;
            text = isText;
            size = 0;
        } else if (!inMessage) {
            return INCOMPLETE;
        }
        if (size + payload.length > limit) {
            inMessage = false;
            size = 0;
            return new TooBig();
        }
        if (buffer.length < size + payload.length) {
            byte[] bigger = new byte[Math.max(buffer.length * 2, size + payload.length)];
            System.arraycopy(buffer, 0, bigger, 0, size);
            buffer = bigger;
        }
        System.arraycopy(payload, 0, buffer, size, payload.length);
        size += payload.length;
        if (!last) {
            return INCOMPLETE;
        }
        inMessage = false;
        if (!text) {
            return new Binary();
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(buffer, 0, size));
            return new Text(chars.toString());
        } catch (CharacterCodingException e) {
            return new InvalidUtf8();
        } finally {
            if (buffer.length > 4096) {
                buffer = new byte[256];
            }
        }
    }
}
