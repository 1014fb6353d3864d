package nl.kring.server.moderation;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A claim runs out when its moderator does nothing with the item for the lease (here 1 s), and the item goes back to the queue. */
class ClaimLeaseTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("KRING_CLAIM_LEASE_SECONDS", "1"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anIdleClaimLapsesAnnouncedToTheModeratorsAndAnotherModeratorCanTakeIt() {
        ApiClient api = server.api();
        Http http = server.http();
        String slug = server.community();
        String room = server.room(slug);
        String first = api.moderatorOnDuty(slug);
        String second = api.moderatorOnDuty(slug);
        try (WsClient console = server.connect(second); WsClient author = server.connect(server.member(slug))) {
            TestServer.sendMessage(author, room, "l-1", "app me op 0612345678");
            String item = console.next(f -> "queue".equals(f.getString("type")) && "new".equals(f.getString("event")))
                    .getJsonObject("item").getString("id");
            JsonObject claimed = http.post("/api/v1/moderation/items/" + item + "/claim", first, null).body().getJsonObject("item");
            assertThat(claimed.getJsonObject("claimedBy")).isNotNull();
            // THEN the lease runs out without any action: the queue says it is free again (waited for as an event)
            JsonObject released = console.next(f -> "queue".equals(f.getString("type")) && "released".equals(f.getString("event")));
            assertThat(released.getJsonObject("item").getString("id")).isEqualTo(item);
            assertThat(released.getJsonObject("item").containsKey("claimedBy")).isFalse();
            assertThat(http.post("/api/v1/moderation/items/" + item + "/claim", second, null).status()).isEqualTo(200);
        }
    }
}
