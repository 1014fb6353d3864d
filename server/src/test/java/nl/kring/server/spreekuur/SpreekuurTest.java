package nl.kring.server.spreekuur;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consultation hours end to end, real sockets and a real PostgreSQL, with the session clock moved
 * by the test ({@link Spreekuren#tick}) instead of waited for: opening and closing on time, the
 * one-to-one queue ordered by risk with live positions, a place kept through a reconnect, two
 * hosts taking the one waiting member at once, a transfer while the member keeps typing, and a
 * session that closes while a talk runs. Each test has its own community and its own day.
 */
class SpreekuurTest extends OneServer {

    @BeforeAll
    static void start() {
        // the tests drive the clock; the real one would only move it back to today
        server.server().spreekuren().stop();
    }

    record Hour(String id, String room, Instant start, Instant end) {
    }

    static Hour create(String slug, LocalDate day, List<String> hostTokens) {
        JsonArray hosts = new JsonArray();
        hostTokens.forEach(t -> hosts.add(api.me(t).getString("id")));
        Http.Response r = http.post("/api/v1/admin/communities/" + slug + "/spreekuren", api.adminToken(), new JsonObject()
                .put("topic", "Omgaan met stemmen").put("firstDay", day.toString()).put("start", "19:00")
                .put("durationMinutes", 60).put("oneToOne", true).put("hosts", hosts));
        assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
        Instant start = ZonedDateTime.of(day, LocalTime.of(19, 0), Schedule.AMSTERDAM).toInstant();
        return new Hour(r.body().getString("spreekuur"), r.body().getString("room"), start, start.plusSeconds(3600));
    }

    static void tick(Instant at) {
        try {
            server.server().spreekuren().tick(at).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("tick failed", e);
        }
    }

    static JsonObject ok(JsonObject reply) {
        assertThat(reply.getBoolean("ok")).as("%s", reply).isTrue();
        return reply.getJsonObject("data");
    }

    static JsonObject ask(String member, Hour h, String topic) {
        Http.Response r = http.post("/api/v1/spreekuren/" + h.id() + "/queue", member,
                topic == null ? new JsonObject() : new JsonObject().put("topic", topic));
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        return r.body();
    }

    static JsonObject waitEvent(WsClient ws, int position) {
        return ws.next(f -> "wait".equals(f.getString("type")) && "waiting".equals(f.getString("state"))
                && f.getInteger("position") == position);
    }

    static JsonObject take(String host, Hour h) {
        Http.Response r = http.post("/api/v1/spreekuren/" + h.id() + "/take", host, null);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        return r.body().getJsonObject("talk");
    }

    static JsonObject talkEvent(WsClient ws, String state) {
        return ws.next(f -> "talk".equals(f.getString("type")) && state.equals(f.getString("state")));
    }

    @Test
    void theGroupRoomOpensAtTheStartAndClosesAtTheEndByTheClock() {
        String slug = api.community();
        api.moderatorOnDuty(slug);
        String host = api.staff("peer_expert", slug);
        Hour h = create(slug, LocalDate.of(2031, 1, 7), List.of(host));
        String member = api.member(slug);
        try (WsClient ws = api.connect(member)) {
            JsonObject joined = TestServer.join(ws, h.room());
            assertThat(joined.getString("kind")).isEqualTo("spreekuur");
            assertThat(joined.getBoolean("readOnly")).isTrue();
            assertThat(joined.getJsonObject("spreekuur").getString("state")).isEqualTo("closed");
            JsonObject refused = TestServer.sendMessage(ws, h.room(), "s-1", "hoi allemaal");
            assertThat(refused.getJsonObject("error").getString("code")).as("a member writes before the start").isEqualTo("forbidden");

            tick(h.start().minusSeconds(60));
            Http.Response list = http.get("/api/v1/communities/" + slug + "/spreekuren", member);
            assertThat(list.status()).isEqualTo(200);
            JsonObject listed = list.body().getJsonArray("spreekuren").getJsonObject(0);
            assertThat(listed.getString("state")).as("a minute before the start members may wait").isEqualTo("waiting");
            assertThat(listed.getJsonObject("session").getString("start")).isEqualTo(h.start().toString());
            assertThat(listed.getJsonArray("scheduledHosts").getJsonObject(0).getString("role")).isEqualTo("peer_expert");
            assertThat(TestServer.sendMessage(ws, h.room(), "s-1", "hoi allemaal").getJsonObject("error").getString("code"))
                    .isEqualTo("forbidden");

            tick(h.start());
            JsonObject opened = ws.next(f -> "spreekuur".equals(f.getString("type")) && "open".equals(f.getString("state")));
            assertThat(opened.getJsonObject("session").getString("end")).isEqualTo(h.end().toString());
            assertThat(ok(TestServer.sendMessage(ws, h.room(), "s-1", "hoi allemaal")).getLong("seq")).isEqualTo(1);

            tick(h.end().minusSeconds(1));
            tick(h.end().minusSeconds(1));
            assertThat(ok(TestServer.sendMessage(ws, h.room(), "s-2", "nog even")).getLong("seq")).as("still open").isEqualTo(2);

            tick(h.end());
            JsonObject closed = ws.next(f -> "spreekuur".equals(f.getString("type")) && "closed".equals(f.getString("state")));
            assertThat(closed.getJsonObject("closing").getString("text")).contains("113");
            assertThat(closed.getJsonObject("closing").getJsonArray("resources")).isNotEmpty();
            assertThat(TestServer.sendMessage(ws, h.room(), "s-3", "hallo?").getJsonObject("error").getString("code"))
                    .as("read-only after the end").isEqualTo("forbidden");
            // the history stays readable
            JsonArray history = ok(ws.request("history", new JsonObject().put("room", h.room()))).getJsonArray("messages");
            assertThat(history).hasSize(2);
            // a second tick at the same time changes nothing (no second closing event)
            tick(h.end());
            assertThat(ws.drain().stream().filter(f -> "spreekuur".equals(f.getString("type")))).isEmpty();
        }
    }

    @Test
    void hostsDropInAndOutAndMembersSeeOnlyBadgeAndDisplayName() {
        String slug = api.community();
        String host = api.staff("professional", slug);
        Hour h = create(slug, LocalDate.of(2031, 1, 8), List.of(host));
        tick(h.start().plusSeconds(5));
        String member = api.member(slug);
        try (WsClient ws = api.connect(member); WsClient hs = api.connect(host)) {
            TestServer.join(ws, h.room());
            JsonObject hostJoin = TestServer.join(hs, h.room());
            assertThat(hostJoin.getJsonObject("spreekuur").getString("state")).isEqualTo("open");
            JsonObject present = ws.next(f -> "hosts".equals(f.getString("type")) && !f.getJsonArray("hosts").isEmpty());
            JsonObject who = present.getJsonArray("hosts").getJsonObject(0);
            assertThat(who.fieldNames()).containsExactlyInAnyOrder("id", "displayName", "role");
            assertThat(who.getString("role")).isEqualTo("professional");
            assertThat(present.encode()).doesNotContain("Echte Naam").doesNotContain("@kring.test");
            ok(hs.request("leave", new JsonObject().put("room", h.room())));
            ws.next(f -> "hosts".equals(f.getString("type")) && f.getJsonArray("hosts").isEmpty());
            // the session goes on without them
            assertThat(TestServer.join(ws, h.room()).getJsonObject("spreekuur").getString("state")).isEqualTo("open");
        }
    }

    @Test
    void theQueueOrdersByRiskAndTellsEveryoneTheirPlace() {
        String slug = api.community();
        String host = api.staff("peer_expert", slug);
        Hour h = create(slug, LocalDate.of(2031, 1, 9), List.of(host));
        String a = api.member(slug);
        String b = api.member(slug);
        String c = api.member(slug);
        Http.Response early = http.post("/api/v1/spreekuren/" + h.id() + "/queue", a, new JsonObject());
        assertThat(early.status()).as("asking before the start: %s", early.body()).isEqualTo(409);
        tick(h.start());
        try (WsClient wa = api.connect(a); WsClient wb = api.connect(b); WsClient wc = api.connect(c); WsClient hs = api.connect(host)) {
            TestServer.join(hs, h.room());
            assertThat(ask(a, h, null).getInteger("position")).isEqualTo(1);
            waitEvent(wa, 1);
            JsonObject bPlace = ask(b, h, "ik wil graag praten over school");
            assertThat(bPlace.getInteger("position")).isEqualTo(2);
            assertThat(bPlace.getInteger("queueLength")).isEqualTo(2);
            assertThat(bPlace.getLong("estimatedWaitMinutes")).as("one host, one member ahead, 15 minutes a talk").isEqualTo(15);
            // C says something that shows imminent risk: first in line, and gets the crisis card
            JsonObject cPlace = ask(c, h, "vanavond ga ik het doen, ik heb alles geregeld");
            assertThat(cPlace.getInteger("position")).isEqualTo(1);
            assertThat(cPlace.getJsonObject("prompt").getJsonArray("resources")).isNotEmpty();
            waitEvent(wa, 2);
            waitEvent(wb, 3);
            JsonObject hostsView = hs.next(f -> "spreekuurQueue".equals(f.getString("type")) && f.getJsonArray("waiting").size() == 3);
            assertThat(hostsView.getJsonArray("waiting").getJsonObject(0).getString("severity")).isEqualTo("imminent");
            assertThat(hostsView.getJsonArray("waiting").getJsonObject(0).getString("topic")).contains("vanavond");
            // B writes something worrying in the group while waiting: B moves ahead of A
            String room = h.room();
            TestServer.join(wb, room);
            TestServer.sendMessage(wb, room, "b-1", "ik denk de laatste tijd echt vaak aan zelfmoord");
            waitEvent(wb, 2);
            waitEvent(wa, 3);
            Http.Response staffView = http.get("/api/v1/spreekuren/" + h.id() + "/queue", host);
            assertThat(staffView.body().getJsonArray("waiting").stream().map(o -> ((JsonObject) o).getJsonObject("member")
                    .getString("id")).toList()).containsExactly(api.me(c).getString("id"), api.me(b).getString("id"), api.me(a).getString("id"));
            // B leaves the queue: A moves up
            assertThat(http.delete("/api/v1/spreekuren/" + h.id() + "/queue", b).status()).isEqualTo(204);
            wb.next(f -> "wait".equals(f.getString("type")) && "left".equals(f.getString("state")));
            waitEvent(wa, 2);
            // asking again keeps one's place instead of taking a second one
            assertThat(ask(a, h, null).getInteger("position")).isEqualTo(2);
            // the host takes the next member: C, the one at risk
            JsonObject talk = take(host, h);
            assertThat(talk.getJsonObject("member").getString("id")).isEqualTo(api.me(c).getString("id"));
            assertThat(talk.getString("severity")).isEqualTo("imminent");
            JsonObject started = talkEvent(wc, "started");
            assertThat(started.getJsonObject("talk").getJsonObject("host").getString("role")).isEqualTo("peer_expert");
            assertThat(started.getJsonObject("talk").containsKey("topic")).as("the member's view has no triage").isFalse();
            waitEvent(wa, 1);
        }
    }

    @Test
    void aMemberWhoReconnectsKeepsTheirPlace() {
        String slug = api.community();
        String host = api.staff("peer_expert", slug);
        Hour h = create(slug, LocalDate.of(2031, 1, 10), List.of(host));
        tick(h.start());
        String first = api.member(slug);
        String second = api.member(slug);
        ask(first, h, null);
        try (WsClient ws = api.connect(second)) {
            assertThat(ask(second, h, null).getInteger("position")).isEqualTo(2);
            waitEvent(ws, 2);
        }
        // the socket is gone; the place is the member's, not the socket's
        try (WsClient again = api.connect(second)) {
            JsonObject told = waitEvent(again, 2);
            assertThat(told.getInteger("queueLength")).isEqualTo(2);
            Http.Response mine = http.get("/api/v1/spreekuren/" + h.id() + "/queue", second);
            assertThat(mine.body().getString("state")).isEqualTo("waiting");
            assertThat(mine.body().getInteger("position")).isEqualTo(2);
            assertThat(http.delete("/api/v1/spreekuren/" + h.id() + "/queue", first).status()).isEqualTo(204);
            waitEvent(again, 1);
        }
    }

    @Test
    void twoHostsTakingTheOneWaitingMemberAtOnceExactlyOneGetsThem() throws Exception {
        String slug = api.community();
        String host1 = api.staff("peer_expert", slug);
        String host2 = api.staff("professional", slug);
        Hour h = create(slug, LocalDate.of(2031, 1, 11), List.of(host1, host2));
        tick(h.start());
        for (int round = 0; round < 5; round++) {
            String member = api.member(slug);
            ask(member, h, null);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
            for (String host : List.of(host1, host2)) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return http.post("/api/v1/spreekuren/" + h.id() + "/take", host, null);
                }));
            }
            go.countDown();
            List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(Http.Response::status).sorted().toList();
            assertThat(statuses).as("round %d", round).containsExactly(200, 409);
        }
        try (Connection conn = TestDatabase.connect(server.db()); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT member_id) FROM spreekuur_talks WHERE spreekuur_id = " + h.id())) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(5);
            assertThat(rs.getInt(2)).isEqualTo(5);
        }
    }

    @Test
    void aProfessionalsFirstWordsToAMemberAtImminentRiskReachTheMemberInTheTalk() {
        String slug = api.community();
        api.moderatorOnDuty(slug);
        String host = api.staff("professional", slug);
        Hour h = create(slug, LocalDate.of(2031, 1, 19), List.of(host));
        tick(h.start());
        String member = api.member(slug);
        try (WsClient wm = api.connect(member); WsClient wh = api.connect(host)) {
            ask(member, h, "het gaat niet goed");
            String room = take(host, h).getString("room");
            talkEvent(wm, "started");
            TestServer.join(wm, room);
            TestServer.join(wh, room);
            // the member writes of saved pills: held, and the professional is there for exactly this
            JsonObject held = ok(TestServer.sendMessage(wm, room, "m-1", "ik heb mijn pillen gespaard, ze liggen klaar"));
            assertThat(held.getString("status")).isEqualTo("held");
            // the professional's answer quotes it; it is classified but delivered, with no prompt for the professional
            String answer = "Hoi, ik ben Sanne. Ik las dat je pillen hebt gespaard. Ben je nu veilig?";
            JsonObject sent = ok(TestServer.sendMessage(wh, room, "h-1", answer));
            assertThat(sent.getString("status")).isEqualTo("delivered");
            assertThat(sent.containsKey("prompt")).isFalse();
            JsonObject got = wm.next(f -> "message".equals(f.getString("type")) && answer.equals(f.getString("body")));
            assertThat(got.getLong("seq")).isEqualTo(sent.getLong("seq"));
        }
    }

    @Test
    void aTransferWhileTheMemberKeepsTypingLosesAndRepeatsNothing() {
        String slug = api.community();
        api.moderatorOnDuty(slug);
        String host1 = api.staff("peer_expert", slug);
        String host2 = api.staff("professional", slug);
        Hour h = create(slug, LocalDate.of(2031, 1, 12), List.of(host1, host2));
        tick(h.start());
        String member = api.member(slug);
        try (WsClient wm = api.connect(member); WsClient w1 = api.connect(host1); WsClient w2 = api.connect(host2)) {
            ask(member, h, "ik slaap slecht");
            JsonObject talk = take(host1, h);
            String room = talk.getString("room");
            assertThat(talkEvent(wm, "started").getJsonObject("talk").getString("room")).isEqualTo(room);
            TestServer.join(wm, room);
            TestServer.join(w1, room);
            // someone else cannot even see the room
            assertThat(w2.request("join", new JsonObject().put("room", room)).getJsonObject("error").getString("code"))
                    .isEqualTo("not_found");
            ok(TestServer.sendMessage(w1, room, "h1-1", "Hoi, fijn dat je er bent. Waar wil je over praten?"));
            // the member sends 30 messages without waiting; the transfer happens in the middle
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 15; i++) {
                ids.add(wm.send("send", new JsonObject().put("room", room).put("clientMsgId", "m-" + i).put("body", "bericht " + i)));
            }
            Http.Response moved = http.post("/api/v1/talks/" + talk.getString("id") + "/transfer", host1,
                    new JsonObject().put("to", api.me(host2).getString("id")).put("reason", "slaapproblemen: collega"));
            assertThat(moved.status()).as("%s", moved.body()).isEqualTo(200);
            for (int i = 16; i <= 30; i++) {
                ids.add(wm.send("send", new JsonObject().put("room", room).put("clientMsgId", "m-" + i).put("body", "bericht " + i)));
            }
            List<Long> seqs = new ArrayList<>();
            for (String id : ids) {
                seqs.add(ok(wm.reply(id)).getLong("seq"));
            }
            assertThat(seqs).as("every send acked, in order").isSorted().doesNotHaveDuplicates().hasSize(30);
            // the member's own view: the host's greeting and 30 messages, once each, in seq order
            List<Long> seen = new ArrayList<>();
            while (seen.size() < 31) {
                seen.add(wm.nextOfType("message").getLong("seq"));
            }
            assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 31).boxed().toList());
            JsonObject transferred = talkEvent(wm, "transferred");
            assertThat(transferred.getJsonObject("talk").getJsonObject("host").getString("role")).isEqualTo("professional");
            // the first host is out of the room and reads no further
            talkEvent(w1, "handed_over");
            assertThat(TestServer.sendMessage(w1, room, "h1-2", "nog iets").getJsonObject("error").getString("code"))
                    .isEqualTo("not_found");
            // the new host joins and reads the whole conversation
            JsonObject started = talkEvent(w2, "started");
            assertThat(started.getJsonObject("talk").getString("topic")).isEqualTo("ik slaap slecht");
            TestServer.join(w2, room);
            JsonArray history = ok(w2.request("history", new JsonObject().put("room", room).put("limit", 100))).getJsonArray("messages");
            assertThat(history.stream().map(o -> ((JsonObject) o).getLong("seq")).toList())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 31).boxed().toList());
            assertThat(history.getJsonObject(30).getString("body")).isEqualTo("bericht 30");
            ok(TestServer.sendMessage(w2, room, "h2-1", "Hoi, ik neem het over."));
            assertThat(wm.next(f -> "message".equals(f.getString("type")) && f.getLong("seq") == 32).getString("body"))
                    .isEqualTo("Hoi, ik neem het over.");
            // only the current host may hand over; the old one no longer can
            assertThat(http.post("/api/v1/talks/" + talk.getString("id") + "/transfer", host1,
                    new JsonObject().put("to", api.me(host2).getString("id"))).status()).isEqualTo(404);
        }
        assertThat(server.metric("kring_spreekuur_transfers_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void closingWhileATalkRunsClosesTheQueueButNotTheTalk() throws Exception {
        String slug = api.community();
        api.moderatorOnDuty(slug);
        String host = api.staff("peer_expert", slug);
        Hour h = create(slug, LocalDate.of(2031, 1, 13), List.of(host));
        tick(h.start());
        String inTalk = api.member(slug);
        String waiting = api.member(slug);
        try (WsClient wt = api.connect(inTalk); WsClient ww = api.connect(waiting); WsClient hs = api.connect(host)) {
            ask(inTalk, h, null);
            ask(waiting, h, null);
            JsonObject talk = take(host, h);
            String room = talk.getString("room");
            TestServer.join(wt, room);
            TestServer.join(hs, room);
            TestServer.join(ww, h.room());

            tick(h.end());
            JsonObject closed = ww.next(f -> "wait".equals(f.getString("type")) && "closed".equals(f.getString("state")));
            assertThat(closed.getJsonObject("closing").getString("text")).isNotBlank();
            assertThat(closed.getJsonObject("closing").getJsonArray("resources")).isNotEmpty();
            assertThat(TestServer.sendMessage(ww, h.room(), "w-1", "hallo?").getJsonObject("error").getString("code")).isEqualTo("forbidden");
            assertThat(http.get("/api/v1/spreekuren/" + h.id() + "/queue", waiting).body().getString("state")).isEqualTo("closed");

            // the talk goes on after the session's end
            ok(TestServer.sendMessage(wt, room, "t-1", "mag ik nog even doorpraten?"));
            ok(TestServer.sendMessage(hs, room, "h-1", "Natuurlijk, we ronden rustig af."));
            assertThat(wt.next(f -> "message".equals(f.getString("type")) && f.getLong("seq") == 2).getString("body"))
                    .startsWith("Natuurlijk");

            Http.Response ended = http.post("/api/v1/talks/" + talk.getString("id") + "/end", host, new JsonObject().put("signpost", "care"));
            assertThat(ended.status()).as("%s", ended.body()).isEqualTo(200);
            JsonObject end = talkEvent(wt, "ended");
            assertThat(end.getString("signpost")).isEqualTo("care");
            assertThat(end.getString("text")).contains("huisarts");
            assertThat(end.getJsonArray("resources")).isNotEmpty();
            assertThat(end.getBoolean("feedback")).isTrue();
            assertThat(TestServer.sendMessage(wt, room, "t-2", "dag!").getJsonObject("error").getString("code")).isEqualTo("forbidden");
            assertThat(TestServer.sendMessage(hs, room, "h-2", "dag!").getJsonObject("error").getString("code")).isEqualTo("forbidden");
            assertThat(http.post("/api/v1/talks/" + talk.getString("id") + "/end", host, new JsonObject()).status()).isEqualTo(409);

            // feedback: once, by the member, stored without a link to them
            String talkPath = "/api/v1/talks/" + talk.getString("id") + "/feedback";
            assertThat(http.post(talkPath, inTalk, new JsonObject().put("score", 11)).status()).isEqualTo(400);
            assertThat(http.post(talkPath, host, new JsonObject().put("score", 5)).status()).isEqualTo(403);
            assertThat(http.post(talkPath, waiting, new JsonObject().put("score", 5)).status()).isEqualTo(404);
            assertThat(http.post(talkPath, inTalk, new JsonObject().put("score", 8).put("comment", "fijn dat het kon")).status())
                    .isEqualTo(204);
            assertThat(http.post(talkPath, inTalk, new JsonObject().put("score", 9)).status()).isEqualTo(409);
        }
        try (Connection conn = TestDatabase.connect(server.db()); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns"
                     + " WHERE table_name = 'spreekuur_feedback'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("comment,community_id,day,id,score,spreekuur_id");
        }
        try (Connection conn = TestDatabase.connect(server.db()); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT score, comment FROM spreekuur_feedback WHERE spreekuur_id = " + h.id())) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(8);
        }
        assertThat(server.metric("kring_spreekuur_feedback_score_count")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void badRequestsAndWrongRolesGetClearErrorsAndChangeNothing() {
        String slug = api.community();
        String host = api.staff("peer_expert", slug);
        String moderator = api.staff("moderator", slug);
        String member = api.member(slug);
        String admin = api.adminToken();
        String path = "/api/v1/admin/communities/" + slug + "/spreekuren";
        JsonObject good = new JsonObject().put("topic", "Angst").put("firstDay", "2031-01-14").put("start", "19:00")
                .put("durationMinutes", 60);
        assertThat(http.post(path, admin, good.copy().put("start", "7 uur")).errorCode()).isEqualTo("bad_request");
        assertThat(http.post(path, admin, good.copy().put("durationMinutes", 0)).errorCode()).isEqualTo("bad_request");
        assertThat(http.post(path, admin, good.copy().put("firstDay", "morgen")).errorCode()).isEqualTo("bad_request");
        assertThat(http.post(path, admin, good.copy().put("lastDay", "2031-01-21")).errorCode())
                .as("a last day for a one-off session").isEqualTo("bad_request");
        assertThat(http.post(path, admin, good.copy().put("hosts", new JsonArray().add(api.me(member).getString("id")))).errorCode())
                .as("a member as host").isEqualTo("bad_request");
        assertThat(http.post(path, admin, good.copy().put("hosts", new JsonArray().add(api.me(moderator).getString("id")))).errorCode())
                .as("a moderator as host").isEqualTo("bad_request");
        assertThat(http.post(path, host, good).status()).as("a peer expert schedules").isEqualTo(403);
        assertThat(http.get("/api/v1/communities/" + slug + "/spreekuren", admin).body().getJsonArray("spreekuren"))
                .as("nothing was made by the refused calls").isEmpty();

        Hour h = create(slug, LocalDate.of(2031, 1, 14), List.of(host));
        tick(h.start());
        String q = "/api/v1/spreekuren/" + h.id();
        assertThat(http.post(q + "/queue", host, new JsonObject()).status()).as("staff ask for a talk").isEqualTo(403);
        assertThat(http.post(q + "/queue", member, new JsonObject().put("topic", "x".repeat(501))).errorCode()).isEqualTo("bad_request");
        assertThat(http.post(q + "/take", member, null).status()).as("a member takes").isEqualTo(403);
        assertThat(http.post(q + "/take", moderator, null).status()).as("a moderator takes").isEqualTo(403);
        assertThat(http.post(q + "/take", host, null).errorCode()).as("nobody waiting").isEqualTo("conflict");
        String other = api.community();
        assertThat(http.get(q + "/queue", api.member(other)).status()).as("another community's session").isEqualTo(404);
        assertThat(http.get("/api/v1/spreekuren/nope/queue", member).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/talks/999999", member).status()).isEqualTo(404);

        ask(member, h, null);
        JsonObject talk = take(host, h);
        String stranger = api.member(slug);
        assertThat(http.get("/api/v1/talks/" + talk.getString("id"), stranger).status()).as("not one's talk").isEqualTo(404);
        assertThat(http.get("/api/v1/talks/" + talk.getString("id"), member).body().getJsonObject("talk").getString("state"))
                .isEqualTo("running");
        assertThat(http.post(q + "/queue", member, new JsonObject()).status()).as("asking again while in a talk").isEqualTo(409);
        assertThat(http.post("/api/v1/talks/" + talk.getString("id") + "/transfer", host,
                new JsonObject().put("to", api.me(moderator).getString("id"))).status()).as("to a moderator").isEqualTo(404);
        String away = api.staff("professional", slug);
        assertThat(http.post("/api/v1/talks/" + talk.getString("id") + "/transfer", host,
                new JsonObject().put("to", api.me(away).getString("id"))).errorCode()).as("to a host who is not connected").isEqualTo("conflict");
        assertThat(http.post("/api/v1/talks/" + talk.getString("id") + "/feedback", member, new JsonObject().put("score", 7)).status())
                .as("feedback before the end").isEqualTo(409);
        // the member may end the talk too
        assertThat(http.post("/api/v1/talks/" + talk.getString("id") + "/end", member, new JsonObject()).status()).isEqualTo(200);

        // cancelling closes the session and its room
        Http.Response cancelled = http.patch("/api/v1/admin/spreekuren/" + h.id(), admin, new JsonObject().put("cancelled", true));
        assertThat(cancelled.status()).as("%s", cancelled.body()).isEqualTo(200);
        assertThat(http.post(q + "/queue", member, new JsonObject()).status()).isEqualTo(404);
    }
}
