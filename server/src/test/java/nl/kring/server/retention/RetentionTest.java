package nl.kring.server.retention;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention with a moved clock: the job runs as of a later instant (no waiting), deletes what a
 * community keeps no longer, moves the room's retained seq so that resuming clients get
 * {@code reset}, keeps what is younger, and is the only one that may delete audit rows.
 */
class RetentionTest extends OneServer {

    static RetentionJob.Result run(Instant at) throws Exception {
        return server.server().retention().runOnce(at).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static long count(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void messagesOlderThanTheCommunitysRetentionAreDeletedAndResumingClientsGetReset() throws Exception {
        // GIVEN a community that keeps messages 30 days, one with the default (90), five messages in each
        String short30 = server.community();
        assertThat(http.patch("/api/v1/admin/communities/" + short30, api.adminToken(), new JsonObject().put("policy",
                new JsonObject().put("retention", new JsonObject().put("messageDays", 30)))).status()).isEqualTo(200);
        String room30 = server.room(short30);
        String long90 = server.community();
        String room90 = server.room(long90);
        long epoch;
        try (WsClient a = server.connect(server.member(short30)); WsClient b = server.connect(server.member(long90))) {
            epoch = TestServer.join(a, room30).getLong("epoch");
            TestServer.join(b, room90);
            for (int i = 1; i <= 5; i++) {
                TestServer.sendMessage(a, room30, "ret-" + i, "bericht " + i);
                TestServer.sendMessage(b, room90, "ret90-" + i, "bericht " + i);
            }
        }
        // each member's visit and a #chatsafe prompt shown in each room (the figures' raw rows)
        server.server().visits().flush().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO chatsafe_prompts (room_id, author_id, category) SELECT room_id, member_id, 'self_harm'"
                    + " FROM room_visits WHERE room_id IN (" + room30 + ", " + room90 + ")");
        }
        assertThat(count("SELECT count(*) FROM room_visits WHERE room_id IN (" + room30 + ", " + room90 + ")")).isEqualTo(2);
        // WHEN the job runs as of now: nothing is old enough
        assertThat(run(Instant.now()).messages()).isZero();
        // AND as of 31 days from now
        RetentionJob.Result result = run(Instant.now().plus(Duration.ofDays(31)));
        // THEN the 30-day community's messages are gone, the 90-day community's are kept
        assertThat(result.messages()).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM messages WHERE room_id = " + room30)).isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE room_id = " + room90)).isEqualTo(5);
        assertThat(count("SELECT retained_from_seq FROM rooms WHERE id = " + room30)).isEqualTo(6);
        // and so are its visits and prompts, not the other community's
        assertThat(count("SELECT count(*) FROM room_visits WHERE room_id = " + room30)).isZero();
        assertThat(count("SELECT count(*) FROM chatsafe_prompts WHERE room_id = " + room30)).isZero();
        assertThat(count("SELECT count(*) FROM room_visits WHERE room_id = " + room90)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM chatsafe_prompts WHERE room_id = " + room90)).isEqualTo(1);
        try (WsClient back = server.connect(server.member(short30))) {
            // a client that resumes from before the cut-off gets reset, not a silent gap
            back.request("join", new JsonObject().put("room", room30).put("since", new JsonObject().put("epoch", epoch).put("seq", 2)));
            assertThat(back.nextOfType("reset").getLong("lastSeq")).isEqualTo(5);
            assertThat(back.request("history", new JsonObject().put("room", room30)).getJsonObject("data").getJsonArray("messages")).isEmpty();
            // and the room goes on with the next seq
            assertThat(TestServer.sendMessage(back, room30, "ret-6", "nieuw").getJsonObject("data").getLong("seq")).isEqualTo(6);
        }
        // Tried: a retention the policy cannot have
        assertThat(http.patch("/api/v1/admin/communities/" + short30, api.adminToken(), new JsonObject().put("policy",
                new JsonObject().put("retention", new JsonObject().put("messageDays", 0)))).status()).isEqualTo(400);
    }

    @Test
    void auditRowsAreDeletedOnlyByTheJobAndOnlyAfterTheirRetention() throws Exception {
        String slug = server.community();
        String member = server.member(slug);
        String memberId = api.me(member).getString("id");
        assertThat(http.post("/api/v1/mod/members/" + memberId + "/ban", api.adminToken(), new JsonObject().put("reason", "test")).status())
                .isEqualTo(200);
        String mine = "SELECT count(*) FROM audit_events a JOIN users u ON u.id = a.target_user_id WHERE u.public_id = '" + memberId + "'";
        assertThat(count(mine)).isEqualTo(1);
        // Tried: deleting an audit row by hand: still refused
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.execute("DELETE FROM audit_events"))
                    .hasMessageContaining("append-only");
        }
        run(Instant.now().plus(Duration.ofDays(700)));
        assertThat(count(mine)).as("within the 730 days").isEqualTo(1);
        assertThat(run(Instant.now().plus(Duration.ofDays(731))).auditRows()).isGreaterThanOrEqualTo(1);
        assertThat(count(mine)).isZero();
    }
}
