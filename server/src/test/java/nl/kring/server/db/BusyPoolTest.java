package nl.kring.server.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.kring.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that is merely busy is not down. Found by the load generator: with every pooled
 * connection busy (19,000 sessions connecting while 5,000 messages/s were sent), the health
 * probe waited in the pool's queue, timed out, and marked PostgreSQL unreachable, so every send
 * was refused with {@code unavailable} and retried: a cascade. The probe now has a connection
 * of its own.
 */
class BusyPoolTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theProbeAnswersWhileEveryPooledConnectionIsHeld() throws Exception {
        Database db = new Database(vertx, TestDatabase.fresh(), 2);
        get(db.start());
        // Both pooled connections are taken and kept: a query now waits in the pool's queue until one is given back.
        List<SqlConnection> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(get(db.pool().getConnection()));
        }
        Future<?> queued = db.pool().query("SELECT 1").execute();

        // Without a connection of its own the probe would wait behind them, time out and mark the database down.
        get(db.probe());

        assertThat(db.isUp()).as("a busy pool is not an outage").isTrue();
        assertThat(queued.isComplete()).as("the pool really was busy while the probe answered").isFalse();
        // Giving a connection back lets the queued query through: the pool itself was fine all along.
        get(held.get(0).close());
        get(queued);
        get(held.get(1).close());
        get(db.close());
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
