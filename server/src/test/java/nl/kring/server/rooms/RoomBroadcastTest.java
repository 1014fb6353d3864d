package nl.kring.server.rooms;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.kring.server.messages.StoredMessage;
import nl.kring.server.protocol.OutFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's broadcast reaches every member even when delivering to one of them fails. Found by
 * the load generator's reconnect storm: a socket that the client had just closed threw
 * "WebSocket is closed" from inside the broadcast loop, and every member after it on that event
 * loop silently missed the message (then got a gap and a reset).
 */
class RoomBroadcastTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMemberWhoseDeliveryThrowsCostsTheOthersNothing() throws Exception {
        Room room = new Room(7, 1, RoomSettings.community("Algemeen"), 1, 0, 1);
        Context loop = vertx.getOrCreateContext();
        Recording first = new Recording(1);
        Recording second = new Recording(3);
        RoomMember broken = new Recording(2) {
            @Override
            public void deliver(long seq, OutFrame frame) {
                throw new IllegalStateException("WebSocket is closed");
            }
        };
        Promise<Void> added = Promise.promise();
        loop.runOnContext(v -> {
            room.add(loop, first, vertx);
            room.add(loop, broken, vertx);
            room.add(loop, second, vertx);
            added.complete();
        });
        added.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        room.publish(List.of(message(1), message(2)));
        // A task queued behind the broadcast on the same loop runs after it.
        Promise<Void> after = Promise.promise();
        loop.runOnContext(v -> after.complete());
        after.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(first.seqs).containsExactly(1L, 2L);
        assertThat(second.seqs).as("the member after the failing one").containsExactly(1L, 2L);
        assertThat(room.lastSeq()).isEqualTo(2);
    }

    private static StoredMessage message(long seq) {
        return new StoredMessage(7, seq, 100 + seq, "c" + seq, "a1", "anna", "member", "hallo " + seq, false, false,
                Instant.parse("2026-11-24T12:00:00Z"), null);
    }

    private static class Recording implements RoomMember {
        final long userId;
        final List<Long> seqs = new ArrayList<>();

        Recording(long userId) {
            this.userId = userId;
        }

        @Override
        public void deliver(long seq, OutFrame frame) {
            seqs.add(seq);
        }

        @Override
        public void redacted(long seq, OutFrame frame) {
        }

        @Override
        public void event(OutFrame frame) {
        }

        @Override
        public long userId() {
            return userId;
        }
    }
}
