package nl.kring.server.testing;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class with one real server of its own (with its own database) for all of its tests:
 * started before the first, closed after the last. Each test makes its own community and
 * members, so tests of one class do not see each other's data. A class that needs other settings
 * starts its own server.
 */
public abstract class OneServer {

    protected static TestServer server;
    protected static ApiClient api;
    protected static Http http;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(Map.of());
        api = server.api();
        http = server.http();
    }

    @AfterAll
    static void closeServer() {
        server.close();
    }
}
