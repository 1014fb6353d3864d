package nl.kring.server.protocol;

/**
 * Every error code that leaves the server, in HTTP error bodies and WebSocket error replies.
 * A reply error keeps the socket open. This table is mirrored in {@code docs/protocol.md}.
 *
 * <table>
 *   <tr><th>code</th><th>HTTP</th><th>meaning</th></tr>
 *   <tr><td>bad_request</td><td>400</td><td>malformed JSON, unknown type, missing or invalid field</td></tr>
 *   <tr><td>unauthorized</td><td>401</td><td>no valid bearer token</td></tr>
 *   <tr><td>login_failed</td><td>401</td><td>unknown e-mail, wrong password or wrong TOTP code (indistinguishable)</td></tr>
 *   <tr><td>totp_required</td><td>401</td><td>right password, but this account needs its TOTP code too (login);
 *       or: enrol a second factor before anything else (KRING_REQUIRE_TOTP)</td></tr>
 *   <tr><td>password_change_required</td><td>403</td><td>an admin reset this staff member's password: choose
 *       a new one ({@code POST /api/v1/me/password}) before anything else</td></tr>
 *   <tr><td>forbidden</td><td>403</td><td>the role may not do this</td></tr>
 *   <tr><td>muted</td><td>403</td><td>a moderator muted this member for a while; {@code retryAfterMs} says until when</td></tr>
 *   <tr><td>invite_invalid</td><td>403</td><td>invite code unknown, used up, expired or revoked</td></tr>
 *   <tr><td>not_found</td><td>404</td><td>no such community or room, or not one this user may enter</td></tr>
 *   <tr><td>conflict</td><td>409</td><td>already exists (community slug, staff e-mail), or a clientMsgId reused in another room</td></tr>
 *   <tr><td>pseudonym_taken</td><td>409</td><td>pseudonym in use in this community</td></tr>
 *   <tr><td>room_full</td><td>409</td><td>the room has as many members online as its capacity</td></tr>
 *   <tr><td>payload_too_large</td><td>413</td><td>HTTP body over the limit</td></tr>
 *   <tr><td>unsupported_media_type</td><td>415</td><td>an upload (a logo) whose type is not accepted or whose bytes are not of the type it claims</td></tr>
 *   <tr><td>rate_limited</td><td>429</td><td>too many requests; {@code retryAfterMs} says when to try again</td></tr>
 *   <tr><td>unavailable</td><td>503</td><td>PostgreSQL is not answering; nothing was stored; retry after {@code retryAfterMs}</td></tr>
 *   <tr><td>internal</td><td>500</td><td>a bug; the details are in the server log, never in the reply</td></tr>
 * </table>
 */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    LOGIN_FAILED("login_failed", 401),
    TOTP_REQUIRED("totp_required", 401),
    PASSWORD_CHANGE_REQUIRED("password_change_required", 403),
    FORBIDDEN("forbidden", 403),
    MUTED("muted", 403),
    INVITE_INVALID("invite_invalid", 403),
    NOT_FOUND("not_found", 404),
    CONFLICT("conflict", 409),
    PSEUDONYM_TAKEN("pseudonym_taken", 409),
    ROOM_FULL("room_full", 409),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    RATE_LIMITED("rate_limited", 429),
    UNAVAILABLE("unavailable", 503),
    INTERNAL("internal", 500);

    private final String wireName;
    private final int httpStatus;

    ErrorCode(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
