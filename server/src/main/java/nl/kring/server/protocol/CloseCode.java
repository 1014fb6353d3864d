package nl.kring.server.protocol;

/**
 * Every WebSocket close code the server uses. Codes 4000–4099 ask the client to reconnect and
 * resume; 4500–4599 are terminal. Mirrored in {@code docs/protocol.md}.
 */
public enum CloseCode {
    /** RFC 6455: invalid UTF-8 in a text frame (sent by the WebSocket codec). */
    INVALID_PAYLOAD(1007, "invalid payload"),
    /** RFC 6455: frame or message over the size limit; fix the client. */
    TOO_BIG(1009, "message too big"),
    /** Server restarting or shutting down: reconnect with backoff and resume. */
    RESTARTING(4000, "server restarting"),
    /** No frame and no pong for two heartbeats: reconnect and resume. */
    HEARTBEAT_TIMEOUT(4002, "heartbeat timeout"),
    /** Outbound queue full, the client does not read: reconnect and resume. */
    TOO_SLOW(4008, "too slow to read"),
    /** Kept flooding after rate_limited replies: reconnect after at least 30 s. */
    FLOODING(4029, "flooding"),
    /** Logout, expiry or revocation of the session: sign in again. */
    SESSION_ENDED(4500, "session ended"),
    /** Repeated protocol violations: do not reconnect automatically. */
    PROTOCOL_VIOLATION(4501, "protocol violation"),
    /** Banned or removed: do not reconnect. */
    BANNED(4503, "banned");

    private final short code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = (short) code;
        this.reason = reason;
    }

    public short code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
