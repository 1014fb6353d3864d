package nl.kring.server.protocol;

/**
 * A failure that is meant for the client: a code, a safe message and, for
 * {@code rate_limited} and {@code unavailable}, when to retry. Its message never contains the
 * text of an internal exception. Creating one is cheap (no stack trace).
 */
public final class KringException extends RuntimeException {

    private final ErrorCode code;
    private final long retryAfterMs;

    public KringException(ErrorCode code, String message) {
        this(code, message, -1);
    }

    public KringException(ErrorCode code, String message, long retryAfterMs) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    /** Milliseconds to wait before retrying, or -1 when not applicable. */
    public long retryAfterMs() {
        return retryAfterMs;
    }

    /** The protocol's error object: {@code {"code","message"}}, plus {@code retryAfterMs} when set. */
    public io.vertx.core.json.JsonObject toJson() {
        io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject().put("code", code.wireName()).put("message", getMessage());
        if (retryAfterMs >= 0) {
            json.put("retryAfterMs", retryAfterMs);
        }
        return json;
    }

    public static KringException badRequest(String message) {
        return new KringException(ErrorCode.BAD_REQUEST, message);
    }

    public static KringException unavailable(long retryAfterMs) {
        return new KringException(ErrorCode.UNAVAILABLE, "the database is not available; nothing was stored", retryAfterMs);
    }

    /** Maps any failure to what the client may see: a KringException as it is, anything else to internal. */
    public static KringException from(Throwable t) {
        if (t instanceof KringException k) {
            return k;
        }
        return new KringException(ErrorCode.INTERNAL, "internal error");
    }
}
