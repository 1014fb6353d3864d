package nl.kring.server.rooms;

import java.util.ArrayList;
import java.util.List;
import nl.kring.server.shared.StoredMessage;
import org.junit.jupiter.api.Test;

import static nl.kring.server.rooms.HistoryCacheTest.messages;
import static org.assertj.core.api.Assertions.assertThat;

/** The publisher's gap decision: what goes out at once, what waits for a read of PostgreSQL, what never goes out with a hole. */
class PublishStepTest {

    @Test
    void aBatchRightAfterLastSeqIsPublished() {
        // GIVEN a room at seq 4 WHEN seqs 5..7 committed THEN they go out as they are
        assertThat(PublishStep.of(4, PublishStep.above(4, messages(5, 7)))).isEqualTo(PublishStep.PUBLISH);
    }

    @Test
    void aBatchAboveAGapWaitsForTheGapToBeRead() {
        // GIVEN a room at seq 4 WHEN seqs 7..8 complete first (the batch with 5..6 has not) THEN the gap is read first
        assertThat(PublishStep.of(4, PublishStep.above(4, messages(7, 8)))).isEqualTo(PublishStep.READ_GAP);
    }

    @Test
    void aHoleAfterLastSeqIsNeverPublished() {
        // GIVEN a room at seq 4 WHEN seqs 5 and 7 are all there is THEN they are not contiguous
        List<StoredMessage> holey = new ArrayList<>(messages(5, 5));
        holey.addAll(messages(7, 7));
        assertThat(PublishStep.of(4, PublishStep.above(4, holey))).isEqualTo(PublishStep.NOT_CONTIGUOUS);
    }

    @Test
    void whatIsAtOrBelowLastSeqIsDroppedAndTheRestPublished() {
        // GIVEN a room at seq 6 (a gap read published 5 and 6 already) WHEN seqs 5..8 arrive
        List<StoredMessage> above = PublishStep.above(6, messages(5, 8));

        // THEN only 7 and 8 are new, and they follow lastSeq
        assertThat(above).extracting(StoredMessage::seq).containsExactly(7L, 8L);
        assertThat(PublishStep.of(6, above)).isEqualTo(PublishStep.PUBLISH);
    }

    @Test
    void nothingAboveLastSeqIsNothingNew() {
        // GIVEN a room at seq 8 WHEN another node's notice of 5..8 arrives late THEN nothing is published twice
        assertThat(PublishStep.of(8, PublishStep.above(8, messages(5, 8)))).isEqualTo(PublishStep.NOTHING_NEW);
    }
}
