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
    void gauge(String name, String description, Supplier<Number> value);

    /** A WebSocket upgrade refused before it became a session. */
    void upgradeRefused(RefusalReason reason);

    /** A session opened (after a successful upgrade). */
    void sessionOpened();

    /** A socket closed by the server with this code, or by the client. */
    void sessionClosed(CloseCode code);

    /** A send request ended: delivered, duplicate, or refused with an error code. */
    void sendOutcome(SendResult result);

    /** From the frame's arrival to the ack being written, in nanoseconds. */
    void ackLatency(long nanos);

    /** One group commit: how many messages shared it and how long the round trip took. */
    void batchCommitted(int messages, long nanos);

    /** One batch statement's round trip, from execute to the result arriving (before publishing). */
    void statementCompleted(long nanos);

    /** Message events written to sockets. */
    void delivered(long count);

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
        DELIVERED("delivered"), DUPLICATE("duplicate"), RATE_LIMITED("rate_limited"),
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

    /** Does nothing; for unit tests of domain classes. */
    KringMetrics NOOP = new KringMetrics() {
        @Override
        public void gauge(String name, String description, Supplier<Number> value) {
        }

        @Override
        public void upgradeRefused(RefusalReason reason) {
        }

        @Override
        public void sessionOpened() {
        }

        @Override
        public void sessionClosed(CloseCode code) {
        }

        @Override
        public void sendOutcome(SendResult result) {
        }

        @Override
        public void ackLatency(long nanos) {
        }

        @Override
        public void batchCommitted(int messages, long nanos) {
        }

        @Override
        public void statementCompleted(long nanos) {
        }

        @Override
        public void delivered(long count) {
        }
    };
}
