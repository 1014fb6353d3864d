package nl.kring.server.rooms;

import java.util.ArrayList;
import java.util.List;
import nl.kring.server.shared.StoredMessage;

/**
 * The publisher's gap decision, as plain code: which of a room's committed messages are new here
 * (above its lastSeq), and whether they can go out as they are, need the gap below them read from
 * PostgreSQL first, or cannot be published without a hole. Stateless.
 */
enum PublishStep {

    /** Nothing above lastSeq: delivered already (by a gap read, a repair, or another node's notice). */
    NOTHING_NEW,
    /** Starts at lastSeq + 1 and skips no seq: publish. */
    PUBLISH,
    /**
     * Starts above lastSeq + 1: an earlier batch has not completed here yet, its outcome was unknown,
     * or another node's notice has not arrived. Read the missing range from PostgreSQL first.
     */
    READ_GAP,
    /**
     * Starts at lastSeq + 1 but skips a seq: never expected (a batch only gets seqs above rows that
     * committed before it), but never published with a hole either.
     */
    NOT_CONTIGUOUS;

    /** The messages with a seq above {@code lastSeq}, in the given (ascending) order. */
    static List<StoredMessage> above(long lastSeq, List<StoredMessage> committed) {
        List<StoredMessage> above = new ArrayList<>(committed.size());
        for (StoredMessage m : committed) {
            if (m.seq() > lastSeq) {
                above.add(m);
            }
        }
        return above;
    }

    /** What to do with {@code above} (ascending, every seq above {@code lastSeq}, as {@link #above} gives). */
    static PublishStep of(long lastSeq, List<StoredMessage> above) {
        if (above.isEmpty()) {
            return NOTHING_NEW;
        }
        if (above.get(0).seq() != lastSeq + 1) {
            return READ_GAP;
        }
        for (int i = 1; i < above.size(); i++) {
            if (above.get(i).seq() != above.get(i - 1).seq() + 1) {
                return NOT_CONTIGUOUS;
            }
        }
        return PUBLISH;
    }
}
