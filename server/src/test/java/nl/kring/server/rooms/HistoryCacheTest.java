package nl.kring.server.rooms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.kring.server.shared.StoredMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryCacheTest {

    static List<StoredMessage> messages(long from, long to) {
        List<StoredMessage> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(new StoredMessage(1, s, s, "c" + s, "u_a", "anna", "member", "b" + s, false, false, Instant.EPOCH, null));
        }
        return out;
    }

    @Test
    void servesRangesInsideTheTailOnly() {
        HistoryCache cache = new HistoryCache(5, 1 << 20);
        cache.append(1, messages(1, 8));
        assertThat(cache.range(1, 3, 8).orElseThrow()).extracting(StoredMessage::seq).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(cache.range(1, 2, 8)).as("seq 3 fell out of the tail").isEmpty();
        assertThat(cache.range(1, 5, 9)).as("seq 9 is not there yet").isEmpty();
        assertThat(cache.range(2, 0, 1)).as("another room").isEmpty();
    }

    @Test
    void aBreakInSeqRestartsTheTail() {
        HistoryCache cache = new HistoryCache(10, 1 << 20);
        cache.append(1, messages(1, 3));
        cache.append(1, messages(7, 8));
        assertThat(cache.range(1, 6, 8).orElseThrow()).extracting(StoredMessage::seq).containsExactly(7L, 8L);
        assertThat(cache.range(1, 0, 3)).isEmpty();
    }

    @Test
    void theWholeCacheIsBoundedByWeight() {
        HistoryCache cache = new HistoryCache(1000, 10_000);
        for (long room = 1; room <= 200; room++) {
            List<StoredMessage> list = new ArrayList<>();
            for (StoredMessage m : messages(1, 20)) {
                list.add(new StoredMessage(room, m.seq(), m.msgId(), m.clientMsgId(), m.authorId(), m.authorName(), m.authorRole(),
                        m.body(), m.cw(), m.care(), m.ts(), null));
            }
            cache.append(room, list);
        }
        cache.cleanUp(); // Caffeine evicts on a background thread; without this the check would race it
        long cached = 0;
        for (long room = 1; room <= 200; room++) {
            if (cache.range(room, 0, 20).isPresent()) {
                cached++;
            }
        }
        assertThat(cached).isLessThan(200);
    }
}
