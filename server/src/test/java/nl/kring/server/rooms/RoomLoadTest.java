package nl.kring.server.rooms;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import nl.kring.server.db.Database;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A room's first load, on which every join to it waits, against a real PostgreSQL whose pool
 * (one connection) the test keeps busy: found by the smoke scenario, where a cold ramp of 2,000
 * sessions had 586 joins refused {@code unavailable} because the load of their room waited 2 s
 * for a connection once.
 */
class RoomLoadTest {

    private final Vertx vertx = Vertx.vertx();
    private Database db;

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            get(db.close());
        }
        get(vertx.close());
    }

    private RoomRegistry registryWithOneRoom() throws Exception {
        DatabaseTarget target = TestDatabase.fresh();
        db = new Database(vertx, target, 1);
        get(db.start());
        TestDatabase.execute(target, """
                INSERT INTO communities (slug, name) VALUES ('psychose', 'Psychose');
                INSERT INTO rooms (community_id, name, kind) VALUES (1, 'Kletshoek', 'community');""");
        return new RoomRegistry(db, new RoomRepository(db.pool()), new MessageRepository(db.pool()), new HistoryCache(10, 1 << 20), 10);
    }

    @Test
    void aRoomsFirstLoadWaitsOutABusyPoolInsteadOfRefusingEveryJoinOnIt() throws Exception {
        RoomRegistry rooms = registryWithOneRoom();
        // GIVEN the pool's only connection is taken and kept
        SqlConnection held = get(db.pool().getConnection());
        // WHEN two joins ask for the room, which is not loaded yet
        Future<Room> first = rooms.get("1");
        Future<Room> second = rooms.get("1");
        // THEN the one load waits its 2 s for a connection, gives up, and is queued again instead of failing the joins
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rooms.retriedLoads() == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(rooms.retriedLoads()).as("loads queued again after a busy pool").isPositive();
        assertThat(first.isComplete()).as("the joins still wait").isFalse();
        // AND once the connection is given back both joins get the room, one object, loaded once
        get(held.close());
        assertThat(get(first).settings().name()).isEqualTo("Kletshoek");
        assertThat(get(second)).isSameAs(get(first));
    }

    @Test
    void aPoolBusyForEveryTryEndsInUnavailableWithARetryTime() throws Exception {
        RoomRegistry rooms = registryWithOneRoom();
        // GIVEN the pool's only connection is kept for good
        SqlConnection held = get(db.pool().getConnection());
        // WHEN a join asks for the room THEN after its tries it is refused unavailable (the database is up, the client retries)
        assertThatThrownBy(() -> get(rooms.get("1")))
                .cause().isInstanceOfSatisfying(KringException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.retryAfterMs()).isPositive();
                });
        assertThat(rooms.retriedLoads()).isEqualTo(RoomRegistry.LOAD_ATTEMPTS - 1);
        assertThat(db.isUp()).as("a busy pool is not an outage").isTrue();
        // AND the next join loads it afresh once the pool is free
        get(held.close());
        assertThat(get(rooms.get("1")).settings().name()).isEqualTo("Kletshoek");
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
