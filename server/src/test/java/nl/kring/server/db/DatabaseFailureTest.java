package nl.kring.server.db;

import io.vertx.core.VertxException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Only an unreachable database marks it down; a bug in a query is internal and leaves it up. */
class DatabaseFailureTest {

    @Test
    void refusedClosedAndTimedOutConnectionsAreOutages() {
        assertThat(Database.isConnectionFailure(new ConnectException("Connection refused"))).isTrue();
        assertThat(Database.isConnectionFailure(new VertxException("wrapped", new java.io.IOException("reset by peer")))).isTrue();
        assertThat(Database.isConnectionFailure(new java.util.concurrent.TimeoutException("pool"))).isTrue();
        assertThat(Database.isConnectionFailure(new VertxException("Connection is closed"))).isTrue();
    }

    @Test
    void aPoolThatStayedBusyIsOverloadNotAnOutageNorABug() {
        // What the Vert.x pool fails a query with when no connection came free within its wait (found in a reconnect storm).
        VertxException busy = new VertxException("Timeout waiting for connection");
        assertThat(Database.isPoolBusy(busy)).isTrue();
        assertThat(Database.isPoolBusy(new VertxException("Connection is closed"))).isFalse();
        assertThat(Database.isPoolBusy(new IllegalStateException("Timeout waiting for connection"))).isFalse();
    }

    @Test
    void aWrongParameterCountIsABugNotAnOutage() {
        assertThat(Database.isConnectionFailure(new VertxException(
                "The number of parameters to execute should be consistent with the expected number of parameters = [2] but the actual number is [1]."))).isFalse();
        assertThat(Database.isConnectionFailure(new IllegalArgumentException("cannot encode"))).isFalse();
    }
}
