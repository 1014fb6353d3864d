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
    void aWrongParameterCountIsABugNotAnOutage() {
        assertThat(Database.isConnectionFailure(new VertxException(
                "The number of parameters to execute should be consistent with the expected number of parameters = [2] but the actual number is [1]."))).isFalse();
        assertThat(Database.isConnectionFailure(new IllegalArgumentException("cannot encode"))).isFalse();
    }
}
