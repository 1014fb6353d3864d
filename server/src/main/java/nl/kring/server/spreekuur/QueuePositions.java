package nl.kring.server.spreekuur;

import java.time.Instant;
import java.util.List;

/**
 * The one-to-one queue of one consultation hour, the talks running in it and the wait estimate,
 * read together ({@link TalkRepository#positions}). Immutable.
 */
record QueuePositions(List<Waiting> waiting, int running, WaitEstimate estimate) {

    /** One member in the queue: position 1 is next; {@code topic} is null when they said nothing. */
    record Waiting(long requestId, long userId, String publicId, String pseudonym, int position, String severity, String topic,
                   Instant queuedAt) {
    }
}
