package nl.kring.server.metrics;

import java.util.function.Supplier;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;

/**
 * Kring's own meters ({@code kring_*}). Implementations are thread-safe. Tags are bounded
 * enums only: never a user, room, session or message id.
 */
public interface KringMetrics {

    /** Registers a gauge read on scrape (connections open, sessions, rooms active, database up). */
    default void gauge(String name, String description, Supplier<Number> value) {
    }

    /** Connections of a named Vert.x pool in use now, as Vert.x's pool metrics count them (0 when unknown). */
    default int poolInUse(String poolName) {
        return 0;
    }

    /** A WebSocket upgrade refused before it became a session. */
    default void upgradeRefused(RefusalReason reason) {
    }

    /** A session opened (after a successful upgrade). */
    default void sessionOpened() {
    }

    /** A socket closed by the server with this code, or by the client. */
    default void sessionClosed(CloseCode code) {
    }

    /** A send request ended: delivered, duplicate, or refused with an error code. */
    default void sendOutcome(SendResult result) {
    }

    /** From the frame's arrival to the ack being written, in nanoseconds. */
    default void ackLatency(long nanos) {
    }

    /** One group commit: how many messages shared it and how long the round trip took. */
    default void batchCommitted(int messages, long nanos) {
    }

    /** One batch statement's round trip, from execute to the result arriving (before publishing). */
    default void statementCompleted(long nanos) {
    }

    /** Message events written to sockets. */
    default void delivered(long count) {
    }

    /** Something happened to an account: a sign-in or sign-up outcome, a ban, an erasure, an audited identity view. */
    default void accountEvent(AccountEvent event) {
    }

    /** A #chatsafe finding in a sent message, by category (one message may have several). */
    default void chatsafeFinding(String category) {
    }

    /** An action taken on a sent message (deliver, prompt, content_warning, hold, alert). */
    default void chatsafeAction(String action) {
    }

    /** A supportive prompt shown to an author, by category. */
    default void chatsafePrompt(String category) {
    }

    /** A message held for a moderator, by its most serious category. */
    default void chatsafeHeld(String category) {
    }

    /** An imminent-risk alert, and how many staff sockets it reached (0: nobody saw it). */
    default void chatsafeAlert(int staffSockets) {
    }

    /** A gauge with one bounded tag (queue depth by severity). */
    default void gauge(String name, String description, String tagKey, String tagValue, Supplier<Number> value) {
    }

    /** A moderator's action on a queue item (release, remove, warn, mute, ban, escalate, dismiss, claim). */
    default void moderationAction(String action) {
    }

    /** From a queue item's creation to the first human claim or action on it; imminent-risk items are also timed apart. */
    default void moderationFirstAction(java.time.Duration wait, boolean imminent) {
    }

    /** From a queue item's creation to its resolution. */
    default void moderationResolved(java.time.Duration wait) {
    }

    /** A member left the one-to-one queue of a consultation hour: {@code taken} by a host, {@code left} themselves, {@code closed} by the session's end. */
    default void spreekuurQueueExit(String outcome, java.time.Duration waited) {
    }

    /** A one-to-one talk ended after this long. */
    default void spreekuurTalkEnded(java.time.Duration length) {
    }

    /**
     * A VraagBaak question left the editors' hands: {@code outcome} published, returned or rejected
     * (a counter each), and for a published one the time from asking to publishing.
     */
    default void vraagbaakClosed(String outcome, java.time.Duration sinceAsked) {
    }

    /** A one-to-one talk was handed to another host. */
    default void spreekuurTransfer() {
    }

    /** A member's feedback score (0 to 10) after a talk. */
    default void spreekuurFeedback(int score) {
    }

    /** A cluster notice (or a batch of committed messages: kind {@code messages}) sent to or received from other nodes. */
    default void clusterNotice(String kind, boolean sent) {
    }

    /** From a batch's commit on one node to its arrival on another, in milliseconds (wall clocks; NTP-level skew across machines). */
    default void crossNodeLatency(long millis) {
    }

    /** Rooms read from PostgreSQL because another node's publish never arrived here (the catch-up sweep). */
    default void clusterCatchUp(int rooms) {
    }

    /** Account events, each a meter and a bounded tag (see docs/operations.md). */
    enum AccountEvent {
        LOGIN_OK(MetricNames.LOGINS, "result", "ok"),
        LOGIN_FAILED(MetricNames.LOGINS, "result", "failed"),
        LOGIN_TOTP_REQUIRED(MetricNames.LOGINS, "result", "totp_required"),
        LOGIN_RATE_LIMITED(MetricNames.LOGINS, "result", "rate_limited"),
        SIGNUP_OK(MetricNames.SIGNUPS, "result", "ok"),
        SIGNUP_INVITE_INVALID(MetricNames.SIGNUPS, "result", "invite_invalid"),
        SIGNUP_PSEUDONYM_TAKEN(MetricNames.SIGNUPS, "result", "pseudonym_taken"),
        SIGNUP_REFUSED(MetricNames.SIGNUPS, "result", "refused"),
        SIGNUP_RATE_LIMITED(MetricNames.SIGNUPS, "result", "rate_limited"),
        BANNED(MetricNames.ACCOUNTS_ENDED, "reason", "banned"),
        ERASED(MetricNames.ACCOUNTS_ENDED, "reason", "erased"),
        STAFF_DISABLED(MetricNames.ACCOUNTS_ENDED, "reason", "disabled"),
        IDENTITY_VIEWED(MetricNames.IDENTITY_VIEWS, null, null);

        final String meter;
        final String tagKey;
        final String tagValue;

        AccountEvent(String meter, String tagKey, String tagValue) {
            this.meter = meter;
            this.tagKey = tagKey;
            this.tagValue = tagValue;
        }

        /** The login outcome for an error code, or {@code null} for errors that are not about the credentials. */
        public static AccountEvent login(ErrorCode code) {
            return switch (code) {
                case LOGIN_FAILED -> LOGIN_FAILED;
                case TOTP_REQUIRED -> LOGIN_TOTP_REQUIRED;
                case RATE_LIMITED -> LOGIN_RATE_LIMITED;
                default -> null;
            };
        }

        /** The sign-up outcome for an error code ({@code null} when the database was away). */
        public static AccountEvent signUp(ErrorCode code) {
            return switch (code) {
                case INVITE_INVALID -> SIGNUP_INVITE_INVALID;
                case PSEUDONYM_TAKEN -> SIGNUP_PSEUDONYM_TAKEN;
                case RATE_LIMITED -> SIGNUP_RATE_LIMITED;
                case BAD_REQUEST, FORBIDDEN -> SIGNUP_REFUSED;
                default -> null;
            };
        }
    }

    /** Why an upgrade was refused. */
    enum RefusalReason {
        CAPACITY("capacity"), TICKET("ticket"), ORIGIN("origin"), PATH("path"), DRAINING("draining");

        final String tag;

        RefusalReason(String tag) {
            this.tag = tag;
        }
    }

    /** How a send ended. */
    enum SendResult {
        DELIVERED("delivered"), DUPLICATE("duplicate"), HELD("held"), RATE_LIMITED("rate_limited"),
        UNAVAILABLE("unavailable"), REJECTED("rejected");

        final String tag;

        SendResult(String tag) {
            this.tag = tag;
        }

        public static SendResult of(ErrorCode code) {
            return switch (code) {
                case RATE_LIMITED -> RATE_LIMITED;
                case UNAVAILABLE -> UNAVAILABLE;
                default -> REJECTED;
            };
        }
    }

    /**
     * Does nothing; for unit tests of domain classes. Every method is a no-op by default, written
     * once here; {@code MicrometerKringMetrics} overrides each of them (KringMetricsTest checks it).
     */
    KringMetrics NOOP = new KringMetrics() {
    };
}
