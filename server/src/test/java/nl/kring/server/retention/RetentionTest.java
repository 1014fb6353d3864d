package nl.kring.server.retention;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.SpreekuurRows;
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

    /** One run as of {@code at}; a run ahead of time deletes the sessions that ended by then, the admin's too. */
    static RetentionJob.Result run(Instant at) throws Exception {
        RetentionJob.Result result = server.server().retention().runOnce(at).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        api.signInAgain();
        return result;
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

    /** What {@link #leftovers} made in one community: its id, the reported room, the reporter and the private room. */
    record Leftovers(long community, String room, long reporter, long talkRoom) {

        /** Rows and texts of this community that retention removes, each as "what=count". */
        List<String> counts() throws Exception {
            return List.of(
                    "report reasons=" + count("SELECT count(*) FROM reports WHERE room_id = " + room + " AND reason IS NOT NULL"),
                    "reports=" + count("SELECT count(*) FROM reports WHERE room_id = " + room),
                    "resolved items=" + count("SELECT count(*) FROM mod_items WHERE community_id = " + community + " AND status = 'resolved'"),
                    "queue rows=" + count("SELECT count(*) FROM spreekuur_requests r JOIN spreekuren s ON s.id = r.spreekuur_id"
                            + " WHERE s.community_id = " + community),
                    "talks=" + count("SELECT count(*) FROM spreekuur_talks WHERE community_id = " + community),
                    "participants=" + count("SELECT count(*) FROM room_participants WHERE room_id = " + talkRoom),
                    "feedback words=" + count("SELECT count(*) FROM spreekuur_feedback WHERE community_id = " + community
                            + " AND comment IS NOT NULL"),
                    "reporter's ended sessions=" + count("SELECT count(*) FROM sessions WHERE user_id = " + reporter
                            + " AND revoked_at IS NOT NULL"));
        }
    }

    /**
     * In the community: a message reported by a member with their own words, its queue item
     * resolved, a one-to-one talk that ended (queue row with the member's topic, participants,
     * feedback with words), and the reporter signed out (an ended session).
     */
    static Leftovers leftovers(String slug) throws Exception {
        String room = server.room(slug);
        String reporter = server.member(slug);
        String host = api.staff("peer_expert", slug);
        try (WsClient author = server.connect(server.member(slug)); WsClient r = server.connect(reporter)) {
            TestServer.join(author, room);
            long seq = TestServer.sendMessage(author, room, "lo-1", "wat een saaie dag vandaag").getJsonObject("data").getLong("seq");
            JsonObject reported = r.request("report", new JsonObject().put("room", room).put("seq", seq).put("category", "privacy")
                    .put("reason", "hij noemt de naam van mijn school"));
            assertThat(reported.getBoolean("ok")).as("%s", reported).isTrue();
        }
        long reporterId = count("SELECT id FROM users WHERE public_id = '" + api.me(reporter).getString("id") + "'");
        long hostId = count("SELECT id FROM users WHERE public_id = '" + api.me(host).getString("id") + "'");
        assertThat(http.post("/api/v1/auth/logout", reporter, null).status()).isEqualTo(204);
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement()) {
            long community = SpreekuurRows.id(c, "SELECT community_id FROM rooms WHERE id = " + room);
            s.executeUpdate("UPDATE mod_items SET status = 'resolved', resolution = 'dismissed', resolved_at = now()"
                    + " WHERE room_id = " + room);
            long hour = SpreekuurRows.hour(c, community);
            long talkRoom = SpreekuurRows.endedTalk(c, community, hour, reporterId, hostId, "ik slaap slecht", "fijn dat je luisterde");
            return new Leftovers(community, room, reporterId, talkRoom);
        }
    }

    /**
     * Issue 26 item 7. Failed before the fix: reports (with their reasons), resolved queue items,
     * talk and queue rows, feedback words and ended sessions were never removed.
     */
    @Test
    void reportsItemsTalksFeedbackWordsAndEndedSessionsGoAfterTheRetentionAndYoungerOnesStay() throws Exception {
        // GIVEN a community that keeps 30 days and one that keeps the default 90, each with all of them
        String short30 = server.community();
        assertThat(http.patch("/api/v1/admin/communities/" + short30, api.adminToken(), new JsonObject().put("policy",
                new JsonObject().put("retention", new JsonObject().put("messageDays", 30)))).status()).isEqualTo(200);
        Leftovers old = leftovers(short30);
        Leftovers young = leftovers(server.community());
        // and a session that has not ended: it expires in 30 days (KRING_MEMBER_SESSION_DAYS)
        String stays = server.member(short30);
        long staysId = count("SELECT id FROM users WHERE public_id = '" + api.me(stays).getString("id") + "'");
        List<String> all = List.of("report reasons=1", "reports=1", "resolved items=1", "queue rows=1", "talks=1", "participants=2",
                "feedback words=1", "reporter's ended sessions=1");
        // WHEN the job runs as of now, THEN nothing is old enough
        run(Instant.now());
        assertThat(old.counts()).isEqualTo(all);
        assertThat(young.counts()).isEqualTo(all);
        // WHEN it runs as of 31 days from now
        run(Instant.now().plus(Duration.ofDays(31)));
        // THEN the 30-day community's reports, resolved items, talk and queue rows and feedback words are gone
        assertThat(old.counts()).isEqualTo(List.of("report reasons=0", "reports=0", "resolved items=0", "queue rows=0", "talks=0",
                "participants=0", "feedback words=0", "reporter's ended sessions=0"));
        // the feedback's score stays for the figures, without its words
        assertThat(count("SELECT count(*) FROM spreekuur_feedback WHERE community_id = " + old.community() + " AND score = 8")).isEqualTo(1);
        // the 90-day community keeps all of it but the session that ended 31 days before (sessions go 30 days after their end)
        assertThat(young.counts()).isEqualTo(List.of("report reasons=1", "reports=1", "resolved items=1", "queue rows=1", "talks=1",
                "participants=2", "feedback words=1", "reporter's ended sessions=0"));
        // and a session that expires on day 30 ended only a day before: kept
        assertThat(count("SELECT count(*) FROM sessions WHERE user_id = " + staysId)).isEqualTo(1);
    }

    /** Asks a question in the community as a new member; its id. */
    static String question(String slug, String title) {
        var r = http.post("/api/v1/communities/" + slug + "/questions", server.member(slug),
                new JsonObject().put("title", title).put("body", "Mijn eigen woorden bij " + title));
        assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
        return r.body().getString("id");
    }

    static void step(String editor, String id, String step, JsonObject body) {
        assertThat(http.post("/api/v1/vraagbaak/questions/" + id + "/" + step, editor, body).status()).as(step).isEqualTo(200);
    }

    /** Issue 28: a returned or rejected VraagBaak question (the asker's words) goes at the retention; published and open ones stay. */
    @Test
    void returnedAndRejectedQuestionsGoAfterTheRetentionAndPublishedAndOpenOnesStay() throws Exception {
        String slug = server.community();
        assertThat(http.patch("/api/v1/admin/communities/" + slug, api.adminToken(), new JsonObject().put("policy",
                new JsonObject().put("retention", new JsonObject().put("messageDays", 30)))).status()).isEqualTo(200);
        String editor = api.staff("moderator", slug);
        String returned = question(slug, "Teruggestuurd");
        String rejected = question(slug, "Afgewezen");
        String published = question(slug, "Gepubliceerd");
        String open = question(slug, "Nog open");
        step(editor, returned, "return", new JsonObject().put("reason", "Kun je hem zonder namen stellen?"));
        step(editor, rejected, "reject", new JsonObject().put("reason", "Past hier niet."));
        step(editor, published, "answer", new JsonObject().put("body", "Een antwoord."));
        step(editor, published, "publish", new JsonObject());
        String ids = String.join(",", returned, rejected, published, open);
        run(Instant.now());
        assertThat(count("SELECT count(*) FROM questions WHERE id IN (" + ids + ")")).isEqualTo(4);
        // WHEN the job runs as of 31 days from now
        run(Instant.now().plus(Duration.ofDays(31)));
        // THEN the returned and rejected questions are gone, the published and the open one stay
        assertThat(count("SELECT count(*) FROM questions WHERE id IN (" + returned + "," + rejected + ")")).isZero();
        assertThat(count("SELECT count(*) FROM questions WHERE id IN (" + published + "," + open + ")")).isEqualTo(2);
    }
}
