package nl.kring.server.members;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.SpreekuurRows;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What erasure ({@code DELETE /api/v1/me}) leaves of a member's own words outside their messages. */
class ErasureTest extends OneServer {

    static long userId(Connection c, String token) throws Exception {
        return SpreekuurRows.id(c, "SELECT id FROM users WHERE public_id = '" + api.me(token).getString("id") + "'");
    }

    /**
     * Issue 26 item 7. Failed before the fix: an erased member's report reasons, their words for
     * the host in a consultation hour's queue, and their notices stayed in the database.
     */
    @Test
    void anErasedMembersReportReasonsQueueWordsAndNoticesAreGone() throws Exception {
        // GIVEN a message reported by two members, each with their own words
        String slug = server.community();
        String room = server.room(slug);
        String leaver = server.member(slug);
        String other = server.member(slug);
        long seq;
        try (WsClient author = server.connect(server.member(slug)); WsClient l = server.connect(leaver); WsClient o = server.connect(other)) {
            TestServer.join(author, room);
            seq = TestServer.sendMessage(author, room, "er-1", "wat een saaie dag vandaag").getJsonObject("data").getLong("seq");
            for (WsClient reporter : new WsClient[] {l, o}) {
                JsonObject reply = reporter.request("report", new JsonObject().put("room", room).put("seq", seq).put("category", "other")
                        .put("reason", reporter == l ? "dit gaat over mijn zus" : "vervelend"));
                assertThat(reply.getBoolean("ok")).as("%s", reply).isTrue();
            }
        }
        long leaverId;
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement()) {
            leaverId = userId(c, leaver);
            // AND the leaver waits in a consultation hour's queue with words for the host, and has a notice
            long community = SpreekuurRows.id(c, "SELECT community_id FROM rooms WHERE id = " + room);
            SpreekuurRows.waiting(c, SpreekuurRows.hour(c, community), leaverId, "ik hoor weer stemmen");
            s.executeUpdate("INSERT INTO member_notices (user_id, kind) VALUES (" + leaverId + ", 'warning')");
        }
        // WHEN the leaver erases the account
        assertThat(http.delete("/api/v1/me", leaver).status()).isEqualTo(204);
        // THEN their report stays (it counts for the queue and the figures) without their words; the other's words stay
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement()) {
            ResultSet reports = s.executeQuery("SELECT reporter_id = " + leaverId + ", reason FROM reports WHERE room_id = " + room
                    + " AND seq = " + seq + " ORDER BY 1");
            assertThat(reports.next()).isTrue();
            assertThat(reports.getString(2)).isEqualTo("vervelend");
            assertThat(reports.next()).isTrue();
            assertThat(reports.getString(2)).as("the erased member's reason").isNull();
            // AND their place in the queue is given up, without their words
            ResultSet queue = s.executeQuery("SELECT status, topic FROM spreekuur_requests WHERE user_id = " + leaverId);
            assertThat(queue.next()).isTrue();
            assertThat(queue.getString(1)).isEqualTo("left");
            assertThat(queue.getString(2)).isNull();
            // AND their notices are gone
            assertThat(SpreekuurRows.id(c, "SELECT count(*) FROM member_notices WHERE user_id = " + leaverId)).isZero();
        }
    }

    /**
     * Issue 28: an erased member's unpublished VraagBaak questions go (with their queue items); a
     * published one keeps only the editors' wording and the answer.
     */
    @Test
    void anErasedMembersUnpublishedQuestionsAreGoneAndAPublishedOneKeepsOnlyTheEditorsWording() throws Exception {
        String slug = server.community();
        String editor = api.staff("moderator", slug);
        String leaver = server.member(slug);
        String[] ids = new String[3];
        String[][] asked = {{"Mijn vraag", "Ik heet Anna en woon in Zwolle."}, {"Nog een vraag", "Ik wil er niet meer zijn."},
                {"Derde vraag", "Iets anders."}};
        for (int i = 0; i < 3; i++) {
            var r = http.post("/api/v1/communities/" + slug + "/questions", leaver,
                    new JsonObject().put("title", asked[i][0]).put("body", asked[i][1]));
            assertThat(r.status()).isEqualTo(201);
            ids[i] = r.body().getString("id");
        }
        assertThat(http.post("/api/v1/vraagbaak/questions/" + ids[0] + "/answer", editor, new JsonObject().put("body", "Antwoord")).status())
                .isEqualTo(200);
        assertThat(http.post("/api/v1/vraagbaak/questions/" + ids[0] + "/publish", editor, new JsonObject().put("title", "Een vraag")
                .put("body", "Iemand vraagt iets.")).status()).isEqualTo(200);
        // WHEN the member erases the account
        assertThat(http.delete("/api/v1/me", leaver).status()).isEqualTo(204);
        // THEN the unpublished questions and the risky one's queue item are gone; the published one has no words of the asker
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement()) {
            assertThat(SpreekuurRows.id(c, "SELECT count(*) FROM questions WHERE id IN (" + ids[1] + "," + ids[2] + ")")).isZero();
            assertThat(SpreekuurRows.id(c, "SELECT count(*) FROM mod_items WHERE question_id IN (" + ids[1] + "," + ids[2] + ")")).isZero();
            ResultSet kept = s.executeQuery("SELECT title, body, public_title, public_body FROM questions WHERE id = " + ids[0]);
            assertThat(kept.next()).isTrue();
            assertThat(kept.getString(1)).isEmpty();
            assertThat(kept.getString(2)).isEmpty();
            assertThat(kept.getString(3)).isEqualTo("Een vraag");
            assertThat(kept.getString(4)).isEqualTo("Iemand vraagt iets.");
        }
        // AND the public still reads it
        assertThat(http.get("/api/v1/communities/" + slug + "/questions", null).body().getJsonArray("questions").getJsonObject(0)
                .getString("body")).isEqualTo("Iemand vraagt iets.");
    }
}
