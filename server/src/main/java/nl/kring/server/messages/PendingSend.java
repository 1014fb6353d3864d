package nl.kring.server.messages;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import nl.kring.server.shared.Principal;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;

/**
 * One accepted {@code send} on its way to the database. Answered exactly once: with its seq
 * once committed, or with {@code unavailable} when the database fails or the ack deadline
 * passes first. Thread-safe (the answer is claimed atomically).
 */
public final class PendingSend {

    final Room room;
    final Principal author;
    final String clientMsgId;
    final String body;
    final boolean cw;
    final boolean care;
    final long arrivedNanos;
    /** The idempotency key (author, clientMsgId) as one string, computed once. */
    final String key;
    private final Consumer<SendOutcome> answer;
    private final AtomicBoolean answered = new AtomicBoolean();

    public PendingSend(Room room, Principal author, String clientMsgId, String body, boolean cw, boolean care, long arrivedNanos,
                       Consumer<SendOutcome> answer) {
        this.care = care;
        this.room = room;
        this.author = author;
        this.clientMsgId = clientMsgId;
        this.body = body;
        this.cw = cw;
        this.arrivedNanos = arrivedNanos;
        this.key = author.userId() + "\u0000" + clientMsgId;
        this.answer = answer;
    }

    boolean isAnswered() {
        return answered.get();
    }

    void succeed(long seq, boolean duplicate) {
        if (answered.compareAndSet(false, true)) {
            answer.accept(new SendOutcome(seq, duplicate, null));
        }
    }

    void fail(KringException error) {
        if (answered.compareAndSet(false, true)) {
            answer.accept(new SendOutcome(-1, false, error));
        }
    }

    /** The result: a seq (new or, for a repeated clientMsgId, the original) or an error. */
    public record SendOutcome(long seq, boolean duplicate, KringException error) {
        public boolean ok() {
            return error == null;
        }
    }
}
