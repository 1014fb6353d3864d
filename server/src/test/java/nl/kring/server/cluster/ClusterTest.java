package nl.kring.server.cluster;

import io.vertx.core.json.JsonObject;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.ServerProcess;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Three Kring nodes on 127.0.0.1, clustered over Hazelcast (TCP-IP join), sharing one real
 * PostgreSQL (issue 9): members of one room on different nodes see the same messages with the
 * same gap-free seqs, in the same order, exactly once; and what happens on one node reaches the
 * sockets on the others (bans, logouts and erasures, tickets, redactions, typing, alerts, duty).
 * Every wait is for a frame or a log line, never for time.
 */
class ClusterTest {

    static final int NODES = 3;
    static final int PER_MEMBER = 10;
    /** Each member's send burst (1 a second after it): what the rate test counts; the other tests send fewer. */
    static final int SEND_BURST = 20;

    static final List<ServerProcess> nodes = new ArrayList<>();
    static ApiClient admin;
    static DatabaseTarget db;

    @BeforeAll
    static void startCluster() throws Exception {
        db = TestDatabase.fresh();
        ServerProcess.startCluster(db, NODES, Map.of("KRING_SEND_RATE", "1", "KRING_SEND_BURST", Integer.toString(SEND_BURST)), nodes);
        admin = new ApiClient(nodes.get(0).port());
    }

    @AfterAll
    static void stopCluster() {
        nodes.forEach(ServerProcess::kill);
    }

    static ApiClient on(int node) {
        return new ApiClient(nodes.get(node).port());
    }

    @Test
    void membersOnThreeNodesSeeOneRoomsMessagesInOneOrderExactlyOnce() {
        String slug = admin.community();
        String room = admin.room(slug);
        List<WsClient> clients = new ArrayList<>();
        try {
            // GIVEN one member of the room on each node, joined
            for (int i = 0; i < NODES; i++) {
                WsClient c = on(i).connect(admin.member(slug));
                clients.add(c);
                assertThat(c.request("join", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            }

            // WHEN they take turns sending, each through its own node
            for (int n = 0; n < PER_MEMBER; n++) {
                for (int i = 0; i < NODES; i++) {
                    JsonObject reply = clients.get(i).request("send", new JsonObject().put("room", room)
                            .put("clientMsgId", "m" + i + "-" + n).put("body", "bericht " + i + "-" + n));
                    assertThat(reply.getBoolean("ok")).as("acked: %s", reply).isTrue();
                }
            }

            // THEN every member, whichever node it is on, gets seqs 1..30 in order, each message once,
            // and all three see the same message at each seq
            List<List<String>> seen = new ArrayList<>();
            for (WsClient c : clients) {
                List<String> order = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                for (int k = 1; k <= NODES * PER_MEMBER; k++) {
                    JsonObject m = c.nextOfType("message");
                    assertThat(m.getLong("seq")).as("gap-free, in order").isEqualTo(k);
                    assertThat(ids.add(m.getString("clientMsgId"))).as("exactly once").isTrue();
                    order.add(m.getLong("seq") + ":" + m.getString("clientMsgId"));
                }
                seen.add(order);
            }
            assertThat(seen.get(1)).isEqualTo(seen.get(0));
            assertThat(seen.get(2)).isEqualTo(seen.get(0));
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void aBanOnOneNodeClosesTheMembersSocketsOnTheOtherNodesWithinASecond() {
        String slug = admin.community();
        String room = admin.room(slug);
        String member = admin.member(slug);
        String memberId = admin.me(member).getString("id");
        String moderator = admin.staff("moderator", slug);
        // GIVEN the member on nodes 1 and 2 (node 2 has their token cached: it issued the ticket)
        try (WsClient phone = on(1).connect(member); WsClient laptop = on(2).connect(member)) {
            TestServer.join(phone, room);
            // WHEN a moderator bans the member through node 0
            Http.Response ban = on(0).http().post("/api/v1/mod/members/" + memberId + "/ban", moderator,
                    new JsonObject().put("reason", "threats"));
            assertThat(ban.status()).isEqualTo(200);
            long banned = System.nanoTime();
            // THEN both sockets close with 4503 within a second (a push from node 0; without it they stayed open)
            assertThat(phone.closeCode()).isEqualTo(4503);
            assertThat(laptop.closeCode()).isEqualTo(4503);
            long ms = (System.nanoTime() - banned) / 1_000_000;
            System.out.printf("ban on node 0 to sockets closed on nodes 1 and 2: %d ms%n", ms);
            assertThat(ms).isLessThan(1000);
        }
        // AND node 2 refuses the token at once, although it had it cached for 30 s
        assertThat(on(2).http().post("/api/v1/ws-ticket", member, null).status()).isEqualTo(401);
    }

    /**
     * Issue 26, item 4: a room's settings changed through one node reach the sockets in it on the
     * others. Failed before the fix: the member on node 2 never got {@code left} and kept receiving.
     */
    @Test
    void narrowingARoomsAgeBandsOnOneNodeTakesOutOnlyTheMembersOutsideThemOnTheOthers() {
        String slug = admin.community();
        Http.Response created = admin.http().post("/api/v1/admin/communities/" + slug + "/rooms", admin.adminToken(),
                new JsonObject().put("name", "12-17 jaar").put("kind", "age_banded")
                        .put("ageBands", new io.vertx.core.json.JsonArray(List.of("12-15", "16-17"))));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String room = created.body().getString("id");
        String young = admin.signUp(slug, admin.invites(slug, 1).get(0), ApiClient.pseudonym(), "12-15", null)
                .body().getString("token");
        String older = admin.member(slug);   // 16-17
        // GIVEN a 12-15 member on node 1, a 16-17 member on node 2 and a moderator on node 0, all in the room
        try (WsClient y = on(1).connect(young); WsClient o = on(2).connect(older);
             WsClient s = on(0).connect(admin.staff("moderator", slug))) {
            TestServer.join(y, room);
            TestServer.join(o, room);
            TestServer.join(s, room);
            // WHEN the admin narrows the room to 12-15 through node 0
            assertThat(on(0).http().patch("/api/v1/admin/rooms/" + room, admin.adminToken(),
                    new JsonObject().put("ageBands", new io.vertx.core.json.JsonArray(List.of("12-15")))).status()).isEqualTo(200);
            // THEN the 16-17 member's socket on node 2 leaves the room, told why
            JsonObject left = o.nextOfType("left");
            assertThat(left.getString("room")).isEqualTo(room);
            assertThat(left.getJsonObject("error").getString("code")).isEqualTo("forbidden");
            // AND the 12-15 member on node 1 stays: the moderator's typing reaches them, and not node 2's socket
            // (typing, not a send: it crosses nodes without waiting for a commit, so a loaded machine cannot refuse it)
            s.send("typing", new JsonObject().put("room", room));
            assertThat(y.nextOfType("typing").getString("room")).isEqualTo(room);
            o.request("leave", new JsonObject().put("room", "999999999"));
            assertThat(o.drain()).noneMatch(f -> "typing".equals(f.getString("type")));
            assertThat(y.drain()).noneMatch(f -> "left".equals(f.getString("type")));
        }
    }

    @Test
    void aTicketFromOneNodeOpensASocketOnAnotherOnceOnly() {
        String slug = admin.community();
        String room = admin.room(slug);
        String member = admin.member(slug);
        // GIVEN a ticket issued by node 0 (a load balancer may send the upgrade anywhere)
        String ticket = on(0).ticket(member);
        // WHEN the upgrade reaches node 1 THEN it opens a working socket
        try (WsClient c = WsClient.connect(nodes.get(1).port(), ticket)) {
            TestServer.join(c, room); // asserts ok
            // AND the same ticket opens nothing on node 2, nor on node 0 that issued it
            assertThat(refusal(() -> WsClient.connect(nodes.get(2).port(), ticket))).isEqualTo(401);
            assertThat(refusal(() -> WsClient.connect(nodes.get(0).port(), ticket))).isEqualTo(401);
        }
        // AND a made-up node tag is refused like any bad ticket
        assertThat(refusal(() -> WsClient.connect(nodes.get(1).port(), "nonode." + ticket.substring(ticket.indexOf('.') + 1))))
                .isEqualTo(401);
    }

    @Test
    void anErasureOnOneNodeClosesTheAuthorElsewhereAndRedactsForReadersOnAThirdAndTypingCrosses() {
        String slug = admin.community();
        String room = admin.room(slug);
        String leaver = admin.member(slug);
        String reader = admin.member(slug);
        try (WsClient author = on(1).connect(leaver); WsClient live = on(2).connect(reader)) {
            TestServer.join(author, room);
            TestServer.join(live, room);
            // GIVEN a message by the leaver (on node 1), seen by a reader on node 2, and the leaver typing
            assertThat(TestServer.sendMessage(author, room, "m1", "mijn verhaal").getBoolean("ok")).isTrue();
            live.next(f -> "message".equals(f.getString("type")) && f.getLong("seq") == 1);
            author.send("typing", new JsonObject().put("room", room));
            assertThat(live.nextOfType("typing").getString("room")).isEqualTo(room);
            // WHEN the leaver erases the account through node 0
            assertThat(on(0).http().delete("/api/v1/me", leaver).status()).isEqualTo(204);
            // THEN their socket on node 1 closes with 4500 and the reader on node 2 sees the message redacted
            assertThat(author.closeCode()).isEqualTo(4500);
            assertThat(live.next(f -> "redacted".equals(f.getString("type")) && f.getLong("seq") == 1).getString("reason"))
                    .isEqualTo("author");
        }
    }

    /**
     * A ban whose cluster notice never comes (made straight in SQL, as a partition would leave it
     * for the other nodes) still closes the member's sockets on nodes 1 and 2 and their token is
     * refused there, though both had it cached: each node looks in PostgreSQL every 500 ms (issue 26, item 8).
     * Before that the socket stayed open until the token cache's 30 s ran out: this test failed.
     */
    @Test
    void aBanWhoseNoticeIsLostStillClosesTheSocketOnAnotherNodeWithinSeconds() {
        String slug = admin.community();
        String member = admin.member(slug);
        assertThat(member).matches("[A-Za-z0-9_-]+");
        // GIVEN the member online on nodes 1 and 2, each of which has their token cached
        try (WsClient one = on(1).connect(member); WsClient two = on(2).connect(member)) {
            // WHEN they are banned with no notice to any node
            TestDatabase.execute(db, "UPDATE users SET banned_at = now() WHERE id = (SELECT user_id FROM sessions"
                    + " WHERE token_hash = sha256(convert_to('" + member + "', 'UTF8')))");
            // THEN both sockets close with 4503 within seconds (each node forgets the token before it closes the sockets)
            assertThat(one.closeCode(java.time.Duration.ofSeconds(10))).isEqualTo(4503);
            assertThat(two.closeCode(java.time.Duration.ofSeconds(10))).isEqualTo(4503);
        }
        // AND neither node takes the token any more
        assertThat(on(1).http().post("/api/v1/ws-ticket", member, null).status()).isEqualTo(401);
        assertThat(on(2).http().get("/api/v1/me", member).status()).isEqualTo(401);
    }

    @Test
    void dutyStartedOnOneNodeCoversRoomsOnAnotherAndAnImminentRiskAlertReachesAModeratorOnAThird() {
        String slug = admin.community();
        String room = admin.room(slug);
        String moderator = admin.staff("moderator", slug);
        try (WsClient member = on(1).connect(admin.member(slug)); WsClient author = on(0).connect(admin.member(slug));
             WsClient console = on(2).connect(moderator)) {
            // GIVEN a member in a room on node 1 while nobody is on duty: the room runs in fallback mode
            assertThat(TestServer.join(member, room).getJsonObject("coverage").getBoolean("moderated")).isFalse();
            // WHEN a moderator goes on duty through node 0
            assertThat(on(0).http().put("/api/v1/moderation/duty", moderator, new JsonObject().put("onDuty", true)).status())
                    .isEqualTo(200);
            // THEN node 1 switches the room to moderated and tells its member
            assertThat(member.nextOfType("coverage").getBoolean("moderated")).isTrue();
            // AND an imminent-risk message sent through node 0 alerts the moderator connected to node 2
            TestServer.join(author, room);
            JsonObject held = TestServer.sendMessage(author, room, "o-1", "vanavond ga ik het doen, ik heb alles geregeld");
            assertThat(held.getBoolean("ok")).isTrue();
            JsonObject alert = console.nextOfType("alert");
            assertThat(alert.getString("room")).isEqualTo(room);
            assertThat(alert.getString("category")).isNotBlank();
        }
    }

    @Test
    void aMessageWhosePublishNeverReachedTheOtherNodesStillReachesTheirMembersThroughTheCatchUpSweep() {
        String slug = admin.community();
        String room = admin.room(slug);
        try (WsClient author = on(0).connect(admin.member(slug)); WsClient one = on(1).connect(admin.member(slug));
             WsClient two = on(2).connect(admin.member(slug))) {
            TestServer.join(author, room);
            TestServer.join(one, room);
            TestServer.join(two, room);
            assertThat(TestServer.sendMessage(author, room, "c1", "eerste").getBoolean("ok")).isTrue();
            for (WsClient c : List.of(one, two)) {
                assertThat(c.nextOfType("message").getLong("seq")).isEqualTo(1);
            }
            // WHEN seq 2 is committed the way a node commits a batch (counter row and message in one statement)
            // but no node publishes it: what the others see when the event bus drops a node's publish
            TestDatabase.execute(db, """
                    WITH b AS (UPDATE rooms SET last_seq = last_seq + 1 WHERE id = %1$s RETURNING last_seq)
                    INSERT INTO messages (room_id, seq, author_id, client_msg_id, body, cw, care, created_at)
                    SELECT %1$s, b.last_seq, m.author_id, 'lost-publish', 'nooit gepubliceerd', false, false, now()
                    FROM b, (SELECT author_id FROM messages WHERE room_id = %1$s AND seq = 1) m""".formatted(Long.parseLong(room)));
            // THEN members on nodes 1 and 2 get it without anyone sending again or resuming: each node compares
            // its active rooms' lastSeq with PostgreSQL every second and reads a room still behind a sweep later
            for (WsClient c : List.of(one, two)) {
                JsonObject m = c.nextOfType("message");
                assertThat(m.getLong("seq")).isEqualTo(2);
                assertThat(m.getString("clientMsgId")).isEqualTo("lost-publish");
            }
            // AND the next message follows as seq 3, once, in order, on every node (node 0 caught up too)
            assertThat(TestServer.sendMessage(author, room, "c3", "derde").getBoolean("ok")).isTrue();
            for (WsClient c : List.of(one, two)) {
                assertThat(c.nextOfType("message").getLong("seq")).isEqualTo(3);
            }
            List<Long> authorSees = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                authorSees.add(author.nextOfType("message").getLong("seq"));
            }
            assertThat(authorSees).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void presenceCountsAndARoomsCapacityAddUpOverTheNodes() {
        String slug = admin.community();
        Http.Response created = admin.http().post("/api/v1/admin/communities/" + slug + "/rooms", admin.adminToken(),
                new JsonObject().put("name", "Klein").put("kind", "community").put("capacity", 2));
        assertThat(created.status()).isEqualTo(201);
        String room = created.body().getString("id");
        try (WsClient watch = on(2).connect(admin.staff("moderator", slug)); WsClient a = on(0).connect(admin.member(slug));
             WsClient b = on(1).connect(admin.member(slug)); WsClient c = on(2).connect(admin.member(slug))) {
            // GIVEN a moderator (who takes no place) on node 2 and one member each on nodes 0 and 1 in a room of two places
            TestServer.join(watch, room);
            TestServer.join(a, room);
            TestServer.join(b, room);
            // THEN everyone, on every node, hears that three people are in the room (each node alone counts one)
            for (WsClient w : List.of(watch, a, b)) {
                w.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 3);
                // Forget the counts on the way up (1, 2): a 2 from the joins must not pass for the 2 after the leave
                // below (it did once in CI, and the third member's join then came before node 2 heard the leave).
                w.drain();
            }
            // AND a third member on node 2 is refused: the two places are taken on the other nodes
            assertThat(c.request("join", new JsonObject().put("room", room)).getJsonObject("error").getString("code"))
                    .isEqualTo("room_full");
            // WHEN the member on node 1 leaves THEN node 2 counts two and lets the third member in
            assertThat(b.request("leave", new JsonObject().put("room", room)).getBoolean("ok")).isTrue();
            watch.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 2);
            a.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 2);
            JsonObject in = c.request("join", new JsonObject().put("room", room));
            assertThat(in.getBoolean("ok")).as("%s", in).isTrue();
            a.next(f -> "presence".equals(f.getString("type")) && f.getInteger("online") == 3);
        }
    }

    @Test
    void aMemberWithSocketsOnTwoNodesHasOneSendRateNotOnePerNode() {
        String slug = admin.community();
        String room = admin.room(slug);
        String member = admin.member(slug);
        try (WsClient one = on(0).connect(member); WsClient two = on(1).connect(member)) {
            TestServer.join(one, room);
            TestServer.join(two, room);
            // WHEN the member sends through both nodes in turn until a send is refused (1 a second after a burst)
            long started = System.nanoTime();
            int accepted = 0;
            JsonObject refused = null;
            for (int n = 0; n < 3 * SEND_BURST && refused == null; n++) {
                JsonObject reply = TestServer.sendMessage(n % 2 == 0 ? one : two, room, "r" + n, "bericht " + n);
                if (reply.getBoolean("ok")) {
                    accepted++;
                } else {
                    refused = reply;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            // THEN the refusal is rate_limited after the one burst (plus a token per second that passed);
            // with a bucket per node the two nodes would have taken two bursts before refusing
            assertThat(refused).as("a send was refused").isNotNull();
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("rate_limited");
            assertThat(refused.getJsonObject("error").getLong("retryAfterMs")).isPositive();
            System.out.printf("sends accepted through two nodes before the first refusal: %d in %.2f s%n", accepted, seconds);
            assertThat(accepted).isGreaterThanOrEqualTo(SEND_BURST).isLessThanOrEqualTo(SEND_BURST + (int) Math.ceil(seconds));
        }
    }

    static int refusal(Runnable connect) {
        Throwable t = catchThrowable(connect::run);
        assertThat(t).as("upgrade should be refused").isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) t.getCause()).getResponse().statusCode();
    }
}
