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

/**
 * What lapses by itself: a claim when its moderator does nothing with the item for the lease
 * (here 1 s), and a shift when its moderator has had no connection for the grace (here 1 s).
 * Every wait is for the event that says so.
 */
class LapseTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("KRING_CLAIM_LEASE_SECONDS", "1", "KRING_DUTY_GRACE_SECONDS", "1"));
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

    @Test
    void aModeratorWithoutAConnectionGoesOffDutyAfterTheGraceAndTheRoomsSwitchToFallback() {
        String slug = server.community();
        String room = server.room(slug);
        String mod = server.api().staff("moderator", slug);
        try (WsClient modSocket = server.connect(mod); WsClient member = server.connect(server.member(slug))) {
            assertThat(server.http().put("/api/v1/moderation/duty", mod, new JsonObject().put("onDuty", true)).status()).isEqualTo(200);
            assertThat(TestServer.join(member, room).getJsonObject("coverage").getBoolean("moderated")).isTrue();
            // WHEN the moderator's only socket goes away (a closed laptop)
            modSocket.close();
            // THEN after the grace the shift ends by itself and the room says so
            JsonObject coverage = member.nextOfType("coverage");
            assertThat(coverage.getBoolean("moderated")).isFalse();
            assertThat(coverage.getString("notice")).contains("113");
        }
        assertThat(server.http().get("/api/v1/moderation/duty", mod).body().getJsonArray("onDuty")).isEmpty();
    }
}

