package nl.kring.server.safety;

import io.vertx.core.Future;
import java.util.List;
import nl.kring.moderation.chatsafe.Classification;

/**
 * Where #chatsafe's work enters the moderation queue: a held message with its queue item, a
 * delivered message to review, and the staff told of each new item. Implemented in
 * {@code moderation} (which writes the queue's table), so that this package does not depend on
 * it. Thread-safe.
 */
public interface QueueIntake {

    /**
     * Stores a held message (idempotent on author and clientMsgId) and, unless it repeats an
     * earlier send, its queue item; {@code alert} marks the item as an imminent-risk alert.
     */
    Future<StoredHold> hold(long roomId, long communityId, long authorId, String clientMsgId, String body, boolean cw,
                            Classification c, boolean alert);

    /**
     * Puts a delivered message with an uncertain finding ({@code c.topUncertain()} not null) in
     * the queue for review; the new item's id, none when the message has an open item already.
     */
    Future<List<Long>> review(long roomId, long communityId, long authorId, long seq, Classification c);

    /** Tells the staff who work the queue of a new item. */
    void created(long itemId, long communityId);

    /**
     * A VraagBaak question in which #chatsafe sees risk: its queue item (about the question, not a
     * room message), stored within the caller's transaction ({@code conn}); the item's id. Announce
     * it with {@link #created} after the commit.
     */
    Future<Long> question(io.vertx.sqlclient.SqlClient conn, long questionId, long communityId, long authorId, Classification c,
                          nl.kring.moderation.Severity severity, boolean alert);

    /**
     * A stored hold: the held message's id, whether the send repeated an earlier one, the seq a
     * moderator released it with (or null), and its new queue item (null for a repeat).
     */
    record StoredHold(long heldId, boolean repeated, Long releasedSeq, Long itemId) {
    }

    /** Before the moderation queue is wired: holding fails, nothing is queued. */
    QueueIntake NONE = new QueueIntake() {
        @Override
        public Future<StoredHold> hold(long roomId, long communityId, long authorId, String clientMsgId, String body, boolean cw,
                                       Classification c, boolean alert) {
            return Future.failedFuture(new IllegalStateException("no moderation queue"));
        }

        @Override
        public Future<List<Long>> review(long roomId, long communityId, long authorId, long seq, Classification c) {
            return Future.failedFuture(new IllegalStateException("no moderation queue"));
        }

        @Override
        public void created(long itemId, long communityId) {
        }

        @Override
        public Future<Long> question(io.vertx.sqlclient.SqlClient conn, long questionId, long communityId, long authorId,
                                     Classification c, nl.kring.moderation.Severity severity, boolean alert) {
            return Future.failedFuture(new IllegalStateException("no moderation queue"));
        }
    };
}
