package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.kring.server.shared.StoredMessage;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.OutFrame;
import nl.kring.server.rooms.Room;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The seam between a resume's backlog and live traffic, with an in-memory connection. */
class SubscriptionTest {

    final Room room = new Room(7, 1, nl.kring.server.shared.RoomSettings.community("Algemeen"), 1, 10, 1);
    final List<JsonObject> sent = new ArrayList<>();
    final ClientConnection connection = new ClientConnection() {
        @Override
        public void send(String json) {
            sent.add(new JsonObject(json));
        }

        @Override
        public void close(CloseCode code) {
        }

        @Override
        public void ping() {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    };

    static StoredMessage message(long seq) {
        return new StoredMessage(7, seq, 100 + seq, "c" + seq, "u_a", "anna", "member", "body " + seq, false, false, Instant.EPOCH, null);
    }

    List<String> types() {
        return sent.stream().map(f -> f.getString("type") + (f.containsKey("seq") ? f.getLong("seq") : "")).toList();
    }

    @Test
    void liveMessagesArrivingDuringCatchUpComeAfterResumedWithoutRepeats() {
        Subscription sub = new Subscription(room, connection, 1, 100);
        sub.beginResume(5);
        // live messages 9..12 arrive while the backlog (6..10) is being read
        for (long s = 9; s <= 12; s++) {
            sub.deliver(s, OutFrame.of(message(s).toJson().encode()));
        }
        sub.finishCatchUp(List.of(message(6), message(7), message(8), message(9), message(10)), 10, List.of());
        assertThat(types()).containsExactly("message6", "message7", "message8", "message9", "message10", "resumed",
                "message11", "message12");
        assertThat(sent.get(5).getLong("lastSeq")).isEqualTo(10);
        sub.deliver(12, OutFrame.of(message(12).toJson().encode()));
        assertThat(sent).hasSize(8);
    }

    @Test
    void aBacklogThatStopsShortIsAResetNotAGap() {
        Subscription sub = new Subscription(room, connection, 1, 100);
        sub.beginResume(5);
        sub.finishCatchUp(List.of(message(6), message(8)), 8, List.of());
        assertThat(types()).containsExactly("reset");
    }

    @Test
    void tooMuchLiveTrafficDuringCatchUpIsAReset() {
        Subscription sub = new Subscription(room, connection, 1, 2);
        sub.beginResume(5);
        for (long s = 11; s <= 14; s++) {
            sub.deliver(s, OutFrame.of(message(s).toJson().encode()));
        }
        sub.finishCatchUp(List.of(message(6), message(7), message(8), message(9), message(10)), 10, List.of());
        assertThat(types()).containsExactly("reset");
    }

    @Test
    void aFreshJoinSendsOnlyWhatIsNewerThanTheRoomsLastSeq() {
        Subscription sub = new Subscription(room, connection, 1, 100);
        sub.deliver(10, OutFrame.of(message(10).toJson().encode()));
        sub.goLive(10);
        sub.deliver(11, OutFrame.of(message(11).toJson().encode()));
        assertThat(types()).containsExactly("message11");
    }

    @Test
    void aLiveGapTurnsIntoAReset() {
        Subscription sub = new Subscription(room, connection, 1, 100);
        sub.goLive(10);
        sub.deliver(12, OutFrame.of(message(12).toJson().encode()));
        assertThat(types()).containsExactly("reset");
    }

    @Test
    void aRedactionDuringCatchUpComesAfterTheMessageItRedacts() {
        // GIVEN a resume from seq 5 whose backlog was read before message 7 was redacted
        Subscription sub = new Subscription(room, connection, 1, 100);
        sub.beginResume(5);
        sub.redacted(7, OutFrame.of(StoredMessage.redactedEvent(7, 7, "author")));
        // WHEN the backlog (with message 7 still whole) goes out, with an earlier redaction of seq 3
        sub.finishCatchUp(List.of(message(6), message(7)), 7, List.of(StoredMessage.redactedEvent(7, 3, "moderation")));
        // THEN the client sees 7, then its redaction, so it ends up hidden; the older redaction comes before resumed
        assertThat(types()).containsExactly("message6", "message7", "redacted3", "resumed", "redacted7");
    }

    @Test
    void aLiveRedactionIsSentAtOnce() {
        Subscription sub = new Subscription(room, connection, 1, 100);
        sub.goLive(10);
        sub.redacted(9, OutFrame.of(StoredMessage.redactedEvent(7, 9, "author")));
        assertThat(types()).containsExactly("redacted9");
        assertThat(sent.get(0).getString("reason")).isEqualTo("author");
    }
}
