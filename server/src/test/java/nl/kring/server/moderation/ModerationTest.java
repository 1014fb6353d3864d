package nl.kring.server.moderation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The moderation queue end to end: real sockets, a real PostgreSQL, every action with its audit
 * row, the claim race, removals seen on resume, mute and ban on every socket, reports reaching
 * the queue, the report rules, escalation, and fallback mode following the duty roster.
 */
class ModerationTest extends OneServer {

    static JsonObject ok(JsonObject reply) {
        assertThat(reply.getBoolean("ok")).as("%s", reply).isTrue();
        return reply.getJsonObject("data");
    }

    static JsonObject act(String token, String item, JsonObject body) {
        Http.Response r = http.post("/api/v1/moderation/items/" + item + "/actions", token, body);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        return r.body().getJsonObject("item");
    }

    /** Sends a message and waits until the reader has it; its seq. */
    static long deliveredTo(WsClient reader, WsClient author, String room, String clientMsgId, String body) {
        long seq = ok(TestServer.sendMessage(author, room, clientMsgId, body)).getLong("seq");
        reader.next(f -> "message".equals(f.getString("type")) && f.getLong("seq") == seq);
        return seq;
    }

    static void report(WsClient reporter, String room, long seq, String category) {
        ok(reporter.request("report", new JsonObject().put("room", room).put("seq", seq).put("category", category)));
    }

    static JsonObject action(String action, String reason) {
        return new JsonObject().put("action", action).put("reason", reason);
    }

    static JsonObject queueEvent(WsClient ws, String event) {
        return ws.next(f -> "queue".equals(f.getString("type")) && event.equals(f.getString("event")));
    }

    static JsonArray queue(String token, String slug) {
        Http.Response r = http.get("/api/v1/moderation/communities/" + slug + "/queue", token);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        return r.body().getJsonArray("items");
    }

    /** The audit rows about a user, as "action|reason", oldest first. */
    static List<String> audit(String publicId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT a.action, a.reason, a.actor_id IS NOT NULL FROM audit_events a JOIN users u "
                     + "ON u.id = a.target_user_id WHERE u.public_id = '" + publicId + "' ORDER BY a.id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2));
            }
        }
        return out;
    }

    static String id(String token) {
        return api.me(token).getString("id");
    }

    @Test
    void aHeldMessageIsReleasedWithTheRoomsNextSeqAndItsAuthorIsToldKindly() throws Exception {
        // GIVEN a moderated community, a reader in the room and a moderator's console connected
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        String authorToken = server.member(slug);
        try (WsClient console = server.connect(mod); WsClient author = server.connect(authorToken);
             WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            // WHEN a member shares a phone number: held, and the moderators hear of it at once
            JsonObject held = ok(TestServer.sendMessage(author, room, "r-1", "bel me maar op 0612345678"));
            assertThat(held.getString("status")).isEqualTo("held");
            assertThat(held.getJsonObject("prompt").getString("text")).isNotBlank();
            JsonObject item = queueEvent(console, "new").getJsonObject("item");
            assertThat(item.getString("held")).isEqualTo(held.getString("held"));
            assertThat(item.getJsonArray("sources")).containsExactly("chatsafe");
            assertThat(ok(TestServer.sendMessage(author, room, "r-2", "hallo allemaal")).getLong("seq")).isEqualTo(1);
            // AND the moderator releases it
            JsonObject after = act(mod, item.getString("id"), action("release", "nummer van een winkel, geen privégegevens"));
            // THEN it is resolved, delivered with the next seq, and the author is told
            assertThat(after.getString("resolution")).isEqualTo("released");
            assertThat(reader.nextOfType("message").getLong("seq")).isEqualTo(1);
            JsonObject released = reader.nextOfType("message");
            assertThat(released.getLong("seq")).isEqualTo(2);
            assertThat(released.getString("body")).isEqualTo("bel me maar op 0612345678");
            JsonObject notice = author.nextOfType("notice");
            assertThat(notice.getString("kind")).isEqualTo("held_released");
            assertThat(notice.getLong("seq")).isEqualTo(2);
            assertThat(notice.getString("text")).contains("bekeken");
            assertThat(notice.getJsonArray("resources")).isNotEmpty();
            assertThat(queueEvent(console, "resolved").getJsonObject("item").getString("id")).isEqualTo(item.getString("id"));
            // Tried: releasing it again (a double click): conflict, nothing delivered twice
            assertThat(http.post("/api/v1/moderation/items/" + item.getString("id") + "/actions", mod,
                    action("release", "again")).status()).isEqualTo(409);
            assertThat(queue(mod, slug)).isEmpty();
            // Tried: the author's client retries the send (it never saw an ack): the same seq, delivered once
            JsonObject retried = ok(TestServer.sendMessage(author, room, "r-1", "bel me maar op 0612345678"));
            assertThat(retried.getString("status")).isEqualTo("delivered");
            assertThat(retried.getLong("seq")).isEqualTo(2);
        }
        assertThat(audit(id(authorToken))).containsExactly("moderation.released|nummer van een winkel, geen privégegevens");
    }

    @Test
    void aReportReachesTheQueueAndARemovalIsSeenLiveAndByAClientThatResumesLater() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        String authorToken = server.member(slug);
        long epoch;
        try (WsClient console = server.connect(mod); WsClient author = server.connect(authorToken);
             WsClient live = server.connect(server.member(slug)); WsClient reporter = server.connect(server.member(slug))) {
            TestServer.join(live, room);
            epoch = TestServer.join(reporter, room).getLong("epoch");
            // a rude message that #chatsafe delivers without a queue item of its own (so the report makes the first one)
            String rude = "jij snapt er helemaal niks van";
            assertThat(nl.kring.moderation.chatsafe.Classifier.builtIn().classify(rude).uncertain()).isEmpty();
            long seq = ok(TestServer.sendMessage(author, room, "rm-1", rude)).getLong("seq");
            reporter.nextOfType("message");
            // WHEN a member reports it
            long reported = System.nanoTime();
            ok(reporter.request("report", new JsonObject().put("room", room).put("seq", seq).put("category", "bullying")
                    .put("reason", "hij scheldt")));
            JsonObject item = queueEvent(console, "new").getJsonObject("item");
            System.out.printf("report to the moderator's queue event: %d ms%n", (System.nanoTime() - reported) / 1_000_000);
            assertThat(item.getString("kind")).isEqualTo("message");
            assertThat(item.getLong("seq")).isEqualTo(seq);
            assertThat(item.getInteger("reports")).isEqualTo(1);
            // the moderator sees the message in its context, and the report's reason (not who reported)
            JsonObject detail = http.get("/api/v1/moderation/items/" + item.getString("id"), mod).body();
            assertThat(detail.getJsonArray("context").getJsonObject(0).getBoolean("self")).isTrue();
            assertThat(detail.getJsonArray("reportDetails").getJsonObject(0).getString("reason")).isEqualTo("hij scheldt");
            assertThat(detail.getJsonArray("reportDetails").getJsonObject(0).containsKey("reporter")).isFalse();
            reporter.close();
            // AND removes it
            act(mod, item.getString("id"), action("remove", "schelden"));
            // THEN everyone in the room sees it go, and the author is told why, kindly
            JsonObject redacted = live.nextOfType("redacted");
            assertThat(redacted.getLong("seq")).isEqualTo(seq);
            assertThat(redacted.getString("reason")).isEqualTo("moderation");
            assertThat(author.nextOfType("notice").getString("kind")).isEqualTo("removed");
        }
        // AND a client that resumes afterwards gets the redaction before resumed
        try (WsClient back = server.connect(server.member(slug))) {
            ok(back.request("join", new JsonObject().put("room", room).put("since", new JsonObject().put("epoch", epoch).put("seq", 1))));
            JsonObject r = back.next(f -> "redacted".equals(f.getString("type")) || "resumed".equals(f.getString("type")));
            assertThat(r.getString("type")).isEqualTo("redacted");
            assertThat(back.nextOfType("resumed").getLong("lastSeq")).isEqualTo(1);
            JsonObject inHistory = ok(back.request("history", new JsonObject().put("room", room))).getJsonArray("messages").getJsonObject(0);
            assertThat(inHistory.getBoolean("redacted")).isTrue();
            assertThat(inHistory.getString("body")).isEmpty();
        }
        assertThat(audit(id(authorToken))).containsExactly("moderation.removed|schelden");
    }

    @Test
    void twoModeratorsClaimingTheSameItemAtTheSameMomentExactlyOneWins() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String modA = api.moderatorOnDuty(slug);
        String modB = api.moderatorOnDuty(slug);
        List<String> items = new ArrayList<>();
        try (WsClient author = server.connect(server.member(slug))) {
            for (int i = 0; i < 8; i++) {
                items.add(ok(TestServer.sendMessage(author, room, "race-" + i, "mijn nummer is 06-1234567" + i)).getString("held"));
            }
        }
        JsonArray open = queue(modA, slug);
        assertThat(open).hasSize(8);
        for (Object o : open) {
            String item = ((JsonObject) o).getString("id");
            // Tried: both claims released by one latch, each on its own thread
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> {
                await(go);
                return http.post("/api/v1/moderation/items/" + item + "/claim", modA, null).status();
            });
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> {
                await(go);
                return http.post("/api/v1/moderation/items/" + item + "/claim", modB, null).status();
            });
            go.countDown();
            assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(200, 409);
            String winner = a.get() == 200 ? modA : modB;
            String loser = a.get() == 200 ? modB : modA;
            // the loser cannot act on it either; the winner can
            assertThat(http.post("/api/v1/moderation/items/" + item + "/actions", loser, action("remove", "x")).status()).isEqualTo(409);
            assertThat(act(winner, item, action("remove", "privégegevens")).getString("resolution")).isEqualTo("removed");
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMuteReachesEverySocketOfTheMemberSurvivesAReconnectAndTheyMayStillRead() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        String token = server.member(slug);
        String reporterToken = server.member(slug);
        try (WsClient phone = server.connect(token); WsClient laptop = server.connect(token); WsClient reporter = server.connect(reporterToken)) {
            long seq = ok(TestServer.sendMessage(phone, room, "m-1", "kopen kopen kopen, goedkope volgers")).getLong("seq");
            report(reporter, room, seq, "spam");
            String item = queue(mod, slug).getJsonObject(0).getString("id");
            long started = System.nanoTime();
            act(mod, item, action("mute", "spam").put("minutes", 30));
            JsonObject onPhone = phone.next(f -> "notice".equals(f.getString("type")) && "muted".equals(f.getString("kind")));
            JsonObject onLaptop = laptop.next(f -> "notice".equals(f.getString("type")) && "muted".equals(f.getString("kind")));
            System.out.printf("mute to both sockets told: %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertThat(onPhone.getString("until")).isEqualTo(onLaptop.getString("until"));
            // Tried: a send from either socket
            for (WsClient ws : List.of(phone, laptop)) {
                JsonObject refused = TestServer.sendMessage(ws, room, "m-2" + ws.hashCode(), "mag ik weer?");
                assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("muted");
                assertThat(refused.getJsonObject("error").getLong("retryAfterMs")).isGreaterThan(29 * 60_000L);
            }
            // the muted member still reads
            assertThat(TestServer.join(laptop, room).getLong("lastSeq")).isEqualTo(1);
        }
        // Tried: reconnecting
        try (WsClient again = server.connect(token)) {
            assertThat(TestServer.sendMessage(again, room, "m-3", "en nu?").getJsonObject("error").getString("code")).isEqualTo("muted");
            // the notice is sent again on the new connection until the member marks it seen
            JsonObject notice = again.nextOfType("notice");
            assertThat(notice.getString("kind")).isEqualTo("muted");
            assertThat(http.post("/api/v1/me/notices/" + notice.getString("id") + "/seen", token, null).status()).isEqualTo(204);
        }
        assertThat(http.get("/api/v1/me/notices", token).body().getJsonArray("notices")).isEmpty();
        JsonObject history = http.get("/api/v1/moderation/members/" + id(token) + "/history", mod).body();
        assertThat(history.getJsonObject("member").getString("mutedUntil")).isNotBlank();
        assertThat(history.getJsonArray("actions").getJsonObject(0).getString("action")).isEqualTo("moderation.muted");
        assertThat(audit(id(token))).containsExactly("moderation.muted|spam");
    }

    @Test
    void aBanFromTheQueueClosesEverySocketWith4503BurnsTheInviteAndRemovesTheMessage() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        String token = server.member(slug);
        String memberId = id(token);
        try (WsClient one = server.connect(token); WsClient two = server.connect(token); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            long seq = deliveredTo(reader, one, room, "b-1", "ik kom morgen wel even langs bij jou");
            report(reader, room, seq, "unsafe");
            JsonObject item = queue(mod, slug).getJsonObject(0);
            assertThat(item.getString("severity")).isIn("high", "imminent");
            long started = System.nanoTime();
            act(mod, item.getString("id"), action("ban", "bedreiging"));
            assertThat(one.closeCode()).isEqualTo(4503);
            assertThat(two.closeCode()).isEqualTo(4503);
            System.out.printf("ban from the queue to both sockets closed: %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertThat(reader.nextOfType("redacted").getLong("seq")).isEqualTo(seq);
        }
        assertThat(http.get("/api/v1/me", token).status()).isEqualTo(401);
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT i.burned_at IS NOT NULL FROM users u JOIN invites i ON i.id = u.invite_id "
                     + "WHERE u.public_id = '" + memberId + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).as("invite burned").isTrue();
        }
        assertThat(audit(memberId)).containsExactly("member.banned|bedreiging", "moderation.banned|bedreiging");
    }

    @Test
    void aWarningReachesTheAuthorPrivatelyWithTheModeratorsWords() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        String token = server.member(slug);
        try (WsClient author = server.connect(token); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            long seq = deliveredTo(reader, author, room, "w-1", "jullie zijn allemaal zo saai");
            report(reader, room, seq, "other");
            String item = queue(mod, slug).getJsonObject(0).getString("id");
            act(mod, item, action("warn", "toon").put("message", "Let je op je toon? Dank je."));
            JsonObject notice = author.nextOfType("notice");
            assertThat(notice.getString("kind")).isEqualTo("warning");
            assertThat(notice.getString("message")).isEqualTo("Let je op je toon? Dank je.");
            // a warning does not resolve the item; the moderator then dismisses it
            assertThat(queue(mod, slug)).hasSize(1);
            assertThat(act(mod, item, action("dismiss", "gewaarschuwd, bericht mag blijven")).getString("resolution")).isEqualTo("dismissed");
            // the reader got nothing of it
            assertThat(reader.drain()).noneMatch(f -> "notice".equals(f.getString("type")) || "redacted".equals(f.getString("type")));
        }
        assertThat(audit(id(token))).containsExactly("moderation.warned|toon", "moderation.dismissed|gewaarschuwd, bericht mag blijven");
    }

    @Test
    void threeMembersReportingAMessageHideItPendingReviewAndADismissalBringsItBack() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        String token = server.member(slug);
        try (WsClient author = server.connect(token); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            long seq = deliveredTo(reader, author, room, "h-1", "ik vind dat iedereen gewoon moet stoppen met zeuren");
            for (int i = 0; i < 3; i++) {
                try (WsClient reporter = server.connect(server.member(slug))) {
                    report(reporter, room, seq, "bullying");
                }
            }
            // THEN the message is hidden for everyone, its author is told, and the item says so
            JsonObject hidden = reader.nextOfType("redacted");
            assertThat(hidden.getLong("seq")).isEqualTo(seq);
            assertThat(author.nextOfType("notice").getString("kind")).isEqualTo("hidden");
            JsonObject item = queue(mod, slug).getJsonObject(0);
            assertThat(item.getBoolean("hidden")).isTrue();
            assertThat(item.getInteger("reports")).isEqualTo(3);
            assertThat(item.getJsonArray("sources")).contains("report", "rule");
            // WHEN the moderator dismisses the reports, the message comes back for everyone
            act(mod, item.getString("id"), action("dismiss", "mag gezegd worden"));
            JsonObject restored = reader.nextOfType("restored");
            assertThat(restored.getLong("seq")).isEqualTo(seq);
            assertThat(restored.getString("body")).isEqualTo("ik vind dat iedereen gewoon moet stoppen met zeuren");
            JsonObject inHistory = ok(reader.request("history", new JsonObject().put("room", room))).getJsonArray("messages").getJsonObject(0);
            assertThat(inHistory.getString("body")).isEqualTo("ik vind dat iedereen gewoon moet stoppen met zeuren");
        }
        assertThat(audit(id(token))).containsExactly("moderation.hidden|hidden pending review by the report rules",
                "moderation.dismissed|mag gezegd worden");
    }

    @Test
    void theQueueIsOrderedImminentFirstThenSeverityThenAgeAndImminentRiskAlertsTheModerator() {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        try (WsClient console = server.connect(mod); WsClient author = server.connect(server.member(slug));
             WsClient reporter = server.connect(server.member(slug))) {
            long spam = ok(TestServer.sendMessage(author, room, "o-1", "koop nu mijn stickers")).getLong("seq");
            long threat = ok(TestServer.sendMessage(author, room, "o-2", "wie gaat er morgen mee naar de stad?")).getLong("seq");
            report(reporter, room, spam, "spam");
            report(reporter, room, threat, "unsafe");
            long sent = System.nanoTime();
            JsonObject imminent = ok(TestServer.sendMessage(author, room, "o-3", "vanavond ga ik het doen, ik heb alles geregeld"));
            JsonObject alert = console.nextOfType("alert");
            System.out.printf("imminent risk to the moderator's alert: %d ms%n", (System.nanoTime() - sent) / 1_000_000);
            assertThat(alert.getString("held")).isEqualTo(imminent.getString("held"));
            assertThat(alert.getString("item")).isNotBlank();
            JsonArray q = queue(mod, slug);
            assertThat(q.stream().map(o -> ((JsonObject) o).getString("severity")).toList()).containsExactly("imminent", "high", "low");
            assertThat(q.getJsonObject(0).getJsonArray("sources")).contains("alert");
            assertThat(q.getJsonObject(0).getString("dueAt")).isLessThan(q.getJsonObject(1).getString("dueAt"));
            // the time until a human saw the imminent item is measured on its first claim
            double seen = server.metric("kring_moderation_imminent_seen_seconds_count");
            assertThat(http.post("/api/v1/moderation/items/" + q.getJsonObject(0).getString("id") + "/claim", mod, null).status())
                    .isEqualTo(200);
            assertThat(server.metric("kring_moderation_imminent_seen_seconds_count")).isEqualTo(seen + 1);
        }
    }

    @Test
    void anEscalationGoesToTheOnDutyProfessionalWhoSeesOnlyEscalatedItems() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        String prof = api.staff("professional", slug);
        assertThat(http.put("/api/v1/moderation/duty", prof, new JsonObject().put("onDuty", true)).status()).isEqualTo(200);
        String token = server.member(slug);
        try (WsClient profWs = server.connect(prof); WsClient author = server.connect(token); WsClient reporter = server.connect(server.member(slug))) {
            long seq = ok(TestServer.sendMessage(author, room, "e-1", "ik weet niet meer hoe het verder moet met alles")).getLong("seq");
            report(reporter, room, seq, "unsafe");
            assertThat(queue(prof, slug)).as("not escalated yet").isEmpty();
            String item = queue(mod, slug).getJsonObject(0).getString("id");
            assertThat(http.get("/api/v1/moderation/items/" + item, prof).status()).isEqualTo(404);
            JsonObject escalated = act(mod, item, action("escalate", "zorgen om dit lid, graag een professional"));
            assertThat(escalated.getBoolean("escalated")).isTrue();
            assertThat(profWs.nextOfType("escalation").getString("item")).isEqualTo(item);
            assertThat(queue(prof, slug)).hasSize(1);
            assertThat(act(prof, item, action("dismiss", "contact gelegd via de groep")).getString("resolution")).isEqualTo("dismissed");
        }
        // a member may not use the queue at all
        assertThat(http.get("/api/v1/moderation/communities/" + slug + "/queue", token).status()).isEqualTo(403);
        assertThat(audit(id(token))).containsExactly("moderation.escalated|zorgen om dit lid, graag een professional",
                "moderation.dismissed|contact gelegd via de groep");
    }

    @Test
    void withoutAModeratorOnDutyTheRoomsRunInFallbackModeAndSwitchBackWhenOneComesOn() {
        // GIVEN a community whose fallback adds a slow mode of 30 s, and nobody on duty
        String slug = server.community();
        String room = server.room(slug);
        assertThat(http.patch("/api/v1/admin/communities/" + slug, api.adminToken(), new JsonObject().put("policy",
                new JsonObject().put("fallback", new JsonObject().put("slowModeSeconds", 30)))).status()).isEqualTo(200);
        String mod = api.staff("moderator", slug);
        try (WsClient member = server.connect(server.member(slug)); WsClient other = server.connect(server.member(slug))) {
            JsonObject coverage = TestServer.join(member, room).getJsonObject("coverage");
            assertThat(coverage.getBoolean("moderated")).isFalse();
            assertThat(coverage.getString("notice")).contains("geen moderator").contains("113");
            assertThat(coverage.getInteger("slowModeSeconds")).isEqualTo(30);
            TestServer.join(other, room);
            // a heavy message is held (the default policy would deliver it), with its prompt
            JsonObject held = ok(TestServer.sendMessage(member, room, "f-1", "ik denk er vaak aan om er een eind aan te maken"));
            assertThat(held.getString("status")).isEqualTo("held");
            assertThat(held.getJsonObject("prompt").getString("text")).contains("113");
            // the fallback slow mode holds for members
            JsonObject slowed = TestServer.sendMessage(member, room, "f-2", "hallo");
            assertThat(slowed.getJsonObject("error").getString("code")).isEqualTo("rate_limited");
            // WHEN a moderator goes on duty, every room of the community switches back at once
            assertThat(http.put("/api/v1/moderation/duty", mod, new JsonObject().put("onDuty", true)).status()).isEqualTo(200);
            assertThat(member.nextOfType("coverage").getBoolean("moderated")).isTrue();
            assertThat(other.nextOfType("coverage").getBoolean("moderated")).isTrue();
            JsonObject delivered = ok(TestServer.sendMessage(other, room, "f-3", "ik denk er vaak aan om er een eind aan te maken"));
            assertThat(delivered.getString("status")).isEqualTo("delivered");
            // AND back to fallback when the last moderator goes off duty
            JsonObject duty = http.put("/api/v1/moderation/duty", mod, new JsonObject().put("onDuty", false)).body();
            assertThat(duty.getJsonArray("onDuty")).isEmpty();
            JsonObject off = member.nextOfType("coverage");
            assertThat(off.getBoolean("moderated")).isFalse();
            assertThat(off.getString("notice")).contains("113");
        }
        assertThat(server.metric("kring_moderation_rooms_fallback")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aMemberWhoErasesTheirAccountLeavesNoHeldTextAndNoOpenItemBehind() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        String token = server.member(slug);
        try (WsClient author = server.connect(token)) {
            assertThat(ok(TestServer.sendMessage(author, room, "er-1", "mijn adres is Dorpsstraat 12 in Utrecht")).getString("status"))
                    .isEqualTo("held");
        }
        assertThat(queue(mod, slug)).hasSize(1);
        assertThat(http.delete("/api/v1/me", token).status()).isEqualTo(204);
        assertThat(queue(mod, slug)).isEmpty();
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body, status FROM held_messages WHERE client_msg_id = 'er-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEmpty();
            assertThat(rs.getString(2)).isEqualTo("removed");
        }
    }

    @Test
    void fiveMembersReportingOneMembersMessagesInADayHideAllOfTheirReportedMessages() {
        String slug = server.community();
        String room = server.room(slug);
        String mod = api.moderatorOnDuty(slug);
        try (WsClient author = server.connect(server.member(slug)); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seqs.add(deliveredTo(reader, author, room, "five-" + i, "weer zo'n saaie dag hier, bericht " + i));
            }
            // two reporters on the first message, two others on the second: four reporters, no rule yet
            // (the rule counts reporters, not reports: ReportAbuseTest)
            List<WsClient> reporters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                reporters.add(server.connect(server.member(slug)));
            }
            report(reporters.get(0), room, seqs.get(0), "spam");
            report(reporters.get(1), room, seqs.get(0), "spam");
            report(reporters.get(2), room, seqs.get(1), "spam");
            report(reporters.get(3), room, seqs.get(1), "spam");
            assertThat(queue(mod, slug)).noneMatch(o -> ((JsonObject) o).getBoolean("hidden"));
            // WHEN a fifth member reports, on the third message
            report(reporters.get(4), room, seqs.get(2), "spam");
            // THEN all three reported messages are hidden pending review
            List<Long> hidden = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                hidden.add(reader.nextOfType("redacted").getLong("seq"));
            }
            assertThat(hidden).containsExactlyInAnyOrderElementsOf(seqs);
            assertThat(queue(mod, slug)).hasSize(3).allMatch(o -> ((JsonObject) o).getBoolean("hidden"));
            reporters.forEach(WsClient::close);
        }
    }
}

