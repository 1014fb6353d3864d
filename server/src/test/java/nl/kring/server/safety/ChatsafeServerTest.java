package nl.kring.server.safety;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** #chatsafe on every send, through a real server: deliver with care, hold what endangers others, alert on imminent risk. */
class ChatsafeServerTest extends OneServer {

    static JsonObject send(WsClient c, String room, String clientMsgId, String body) {
        JsonObject reply = TestServer.sendMessage(c, room, clientMsgId, body);
        assertThat(reply.getBoolean("ok")).as("%s", reply).isTrue();
        return reply.getJsonObject("data");
    }

    long heldRows(String clientMsgId) throws Exception {
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM held_messages WHERE client_msg_id = '" + clientMsgId + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void ideationIsDeliveredNotCensoredAndTheAuthorGetsAPromptWithHelpThatIsOpenNow() {
        String slug = server.community();
        String room = server.room(slug);
        api.moderatorOnDuty(slug);
        try (WsClient author = server.connect(server.member(slug)); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            JsonObject data = send(author, room, "si-1", "ik denk de laatste tijd echt vaak aan zelfmoord");
            assertThat(data.getString("status")).isEqualTo("delivered");
            JsonObject prompt = data.getJsonObject("prompt");
            assertThat(prompt.getString("category")).isEqualTo("suicidal_ideation");
            assertThat(prompt.getString("text")).contains("113");
            JsonArray resources = prompt.getJsonArray("resources");
            assertThat(resources.getJsonObject(0).getString("name")).isEqualTo("113 Zelfmoordpreventie");
            assertThat(resources.getJsonObject(0).getString("phone")).isEqualTo("0800-0113");
            assertThat(resources.getJsonObject(0).getBoolean("open")).isTrue();
            // the room sees the message itself: talking about it is allowed
            assertThat(reader.nextOfType("message").getString("body")).isEqualTo("ik denk de laatste tijd echt vaak aan zelfmoord");
            // figurative language gets no prompt
            assertThat(send(author, room, "fig-1", "ik ga dood van het lachen om die video").containsKey("prompt")).isFalse();
        }
    }

    @Test
    void methodDetailIsHeldStoredKindlyExplainedAndNeverReachesTheRoom() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        String moderator = api.staff("moderator", slug);
        try (WsClient author = server.connect(server.member(slug)); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            JsonObject held = send(author, room, "md-1", "hoeveel paracetamol is dodelijk?");
            assertThat(held.getString("status")).isEqualTo("held");
            assertThat(held.containsKey("seq")).isFalse();
            assertThat(held.getJsonObject("prompt").getString("text")).contains("moderator");
            // Tried: the same clientMsgId again (a retry after a reconnect): held once, same item
            JsonObject again = send(author, room, "md-1", "hoeveel paracetamol is dodelijk?");
            assertThat(again.getString("held")).isEqualTo(held.getString("held"));
            assertThat(heldRows("md-1")).isEqualTo(1);
            // the reader gets the next delivered message, and nothing before it
            send(author, room, "ok-1", "goedemorgen allemaal, hoe gaat het met jullie?");
            JsonObject next = reader.nextOfType("message");
            assertThat(next.getString("body")).isEqualTo("goedemorgen allemaal, hoe gaat het met jullie?");
            assertThat(next.getLong("seq")).isEqualTo(1);
        }
        // the moderator sees it in the queue, with its category and rule, marked for blurring
        JsonArray list = http.get("/api/v1/moderation/communities/" + slug + "/queue", moderator).body().getJsonArray("items");
        assertThat(list).hasSize(1);
        assertThat(list.getJsonObject(0).getString("kind")).isEqualTo("held");
        assertThat(list.getJsonObject(0).getString("category")).isEqualTo("method_detail");
        assertThat(list.getJsonObject(0).getString("rule")).isNotBlank();
        assertThat(list.getJsonObject(0).getBoolean("sensitive")).isTrue();
        assertThat(list.getJsonObject(0).getString("body")).isEqualTo("hoeveel paracetamol is dodelijk?");
        // a member may not see it
        assertThat(http.get("/api/v1/moderation/communities/" + slug + "/queue", server.member(slug)).status()).isEqualTo(403);
    }

    @Test
    void imminentRiskIsHeldAlertsConnectedStaffAtOnceAndShowsTheAuthorTheCrisisCard() {
        String slug = server.community();
        String room = server.room(slug);
        double before = server.metric("kring_chatsafe_alerts_total");
        try (WsClient mod = server.connect(api.staff("moderator", slug)); WsClient prof = server.connect(api.staff("professional", slug));
             WsClient elsewhere = server.connect(api.staff("moderator", server.community()));
             WsClient author = server.connect(server.member(slug))) {
            JsonObject data = send(author, room, "im-1", "vanavond ga ik het doen, ik heb alles geregeld");
            assertThat(data.getString("status")).isEqualTo("held");
            assertThat(data.getJsonObject("prompt").getString("category")).isEqualTo("imminent_risk");
            assertThat(data.getJsonObject("prompt").getString("text")).contains("112").contains("113");
            JsonObject alert = mod.nextOfType("alert");
            assertThat(alert.getString("category")).isEqualTo("imminent_risk");
            assertThat(alert.getString("room")).isEqualTo(room);
            assertThat(alert.getString("held")).isEqualTo(data.getString("held"));
            assertThat(prof.nextOfType("alert").getString("held")).isEqualTo(data.getString("held"));
            // staff of another community are not told
            elsewhere.request("history", new JsonObject().put("room", "0"));
            assertThat(elsewhere.drain()).noneMatch(f -> "alert".equals(f.getString("type")));
        }
        assertThat(server.metric("kring_chatsafe_alerts_total")).isEqualTo(before + 1);
    }

    @Test
    void contactDetailsAndHarassmentAreHeld() {
        String slug = server.community();
        String room = server.room(slug);
        try (WsClient author = server.connect(server.member(slug))) {
            assertThat(send(author, room, "pii-1", "app me op 06-12345678").getString("status")).isEqualTo("held");
            assertThat(send(author, room, "ha-1", "jij bent echt de grootste loser hier").getString("status")).isEqualTo("held");
            // an ideation that also gives a phone number is held, and still gets its prompt
            JsonObject mixed = send(author, room, "mix-1", "niemand zou me missen, app me 0612345678");
            assertThat(mixed.getString("status")).isEqualTo("held");
            assertThat(mixed.getJsonObject("prompt").getString("category")).isEqualTo("suicidal_ideation");
        }
    }

    @Test
    void theComposeTimeCheckTellsWhatWouldHappenAndChangesNothing() throws Exception {
        String slug = server.community();
        String room = server.room(slug);
        try (WsClient author = server.connect(server.member(slug))) {
            JsonObject check = author.request("check", new JsonObject().put("room", room).put("body", "ik snij mezelf weer"));
            assertThat(check.getBoolean("ok")).isTrue();
            JsonObject data = check.getJsonObject("data");
            assertThat(data.getString("category")).isEqualTo("self_harm");
            assertThat(data.getJsonArray("actions")).contains("deliver", "prompt");
            assertThat(data.getJsonObject("prompt").getString("text")).isNotBlank();
            assertThat(data.getString("contentWarning")).contains("waarschuwing");
            JsonObject hold = author.request("check", new JsonObject().put("body", "welke pillen zijn het dodelijkst")).getJsonObject("data");
            assertThat(hold.getJsonArray("actions")).contains("hold");
            // nothing was stored or delivered
            assertThat(TestServer.join(author, room).getLong("lastSeq")).isZero();
            // Tried: no body, a body too long
            assertThat(author.request("check", new JsonObject().put("room", room)).getJsonObject("error").getString("code"))
                    .isEqualTo("bad_request");
            assertThat(author.request("check", new JsonObject().put("body", "x".repeat(4001))).getJsonObject("error").getString("code"))
                    .isEqualTo("bad_request");
        }
    }

    @Test
    void aCommunitySetsItsOwnActionsAndRulesAndBadSettingsAreRefused() {
        String slug = server.community();
        String room = server.room(slug);
        api.moderatorOnDuty(slug);
        JsonObject policy = new JsonObject().put("chatsafe", new JsonObject()
                .put("actions", new JsonObject().put("self_harm", new JsonArray().add("deliver").add("prompt").add("content_warning")))
                .put("rules", "version 1\n@purge = purgen kotsen\ned.purge self_harm medium : @self ~3 @purge\n"));
        assertThat(http.patch("/api/v1/admin/communities/" + slug, api.adminToken(), new JsonObject().put("policy", policy)).status())
                .isEqualTo(200);
        try (WsClient author = server.connect(server.member(slug)); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            JsonObject data = send(author, room, "ed-1", "ik ga weer purgen na het eten");
            assertThat(data.getJsonObject("prompt").getString("category")).isEqualTo("self_harm");
            JsonObject delivered = reader.nextOfType("message");
            assertThat(delivered.getBoolean("cw")).as("forced content warning").isTrue();
        }
        // Tried: an unknown action and a rule file with an error
        Http.Response badAction = http.patch("/api/v1/admin/communities/" + slug, api.adminToken(), new JsonObject()
                .put("policy", new JsonObject().put("chatsafe", new JsonObject().put("actions", new JsonObject()
                        .put("pii", new JsonArray().add("shout"))))));
        assertThat(badAction.status()).isEqualTo(400);
        assertThat(badAction.body().getJsonObject("error").getString("message")).contains("shout");
        Http.Response badRules = http.patch("/api/v1/admin/communities/" + slug, api.adminToken(), new JsonObject()
                .put("policy", new JsonObject().put("chatsafe", new JsonObject().put("rules", "x.y nonsense low : a"))));
        assertThat(badRules.status()).isEqualTo(400);
        assertThat(badRules.body().getJsonObject("error").getString("message")).contains("unknown category");
    }

    @Test
    void theHelpDirectoryHas113And112AndWhatAnAdminAdds() {
        String slug = server.community();
        JsonArray builtIn = http.get("/api/v1/communities/" + slug + "/help", null).body().getJsonArray("resources");
        assertThat(builtIn.stream().map(r -> ((JsonObject) r).getString("id")).toList()).containsExactly("113", "112");
        Http.Response added = http.post("/api/v1/admin/communities/" + slug + "/help", api.adminToken(), new JsonObject()
                .put("name", "MIND Korrelatie").put("description", "Anoniem praten over psychische klachten")
                .put("phone", "0900-1450").put("url", "https://www.mindkorrelatie.nl").put("hours", "always"));
        assertThat(added.status()).as("%s", added.body()).isEqualTo(201);
        JsonArray now = http.get("/api/v1/communities/" + slug + "/help", null).body().getJsonArray("resources");
        assertThat(now.stream().map(r -> ((JsonObject) r).getString("name")).toList())
                .containsExactly("113 Zelfmoordpreventie", "112", "MIND Korrelatie");
        // and prompts carry it
        try (WsClient author = server.connect(server.member(slug))) {
            JsonObject prompt = send(author, server.room(slug), "si-h", "ik wil niet meer leven").getJsonObject("prompt");
            assertThat(prompt.getJsonArray("resources").stream().map(r -> ((JsonObject) r).getString("name")).toList())
                    .contains("MIND Korrelatie");
        }
        // Tried: hours that are no hours, no way to reach it, a member adding one
        assertThat(http.post("/api/v1/admin/communities/" + slug + "/help", api.adminToken(), new JsonObject()
                .put("name", "X").put("phone", "0800").put("hours", "weekdays")).body().getJsonObject("error").getString("message"))
                .contains("hours");
        assertThat(http.post("/api/v1/admin/communities/" + slug + "/help", api.adminToken(), new JsonObject()
                .put("name", "X").put("hours", "always")).status()).isEqualTo(400);
        assertThat(http.post("/api/v1/admin/communities/" + slug + "/help", server.member(slug), new JsonObject()
                .put("name", "X").put("phone", "0800").put("hours", "always")).status()).isEqualTo(403);
        assertThat(http.delete("/api/v1/admin/help/" + added.body().getString("id"), api.adminToken()).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/communities/" + slug + "/help", null).body().getJsonArray("resources")).hasSize(2);
    }

    @Test
    void aReaderWhoRepliesToSomeoneWhoSharedSomethingHeavyGetsResponderGuidance() {
        String slug = server.community();
        String room = server.room(slug);
        api.moderatorOnDuty(slug);
        try (WsClient author = server.connect(server.member(slug)); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            long heavy = send(author, room, "care-1", "ik snij mezelf als het te veel wordt").getLong("seq");
            long plain = send(author, room, "care-2", "hoe laat begint de groep?").getLong("seq");
            JsonObject delivered = reader.nextOfType("message");
            assertThat(delivered.getBoolean("care")).isTrue();
            assertThat(reader.nextOfType("message").containsKey("care")).isFalse();
            JsonObject toHeavy = reader.request("check", new JsonObject().put("room", room).put("replyTo", heavy)
                    .put("body", "hey, ik lees je, hoe gaat het nu?")).getJsonObject("data");
            assertThat(toHeavy.getString("responderGuidance")).contains("luister");
            JsonObject toPlain = reader.request("check", new JsonObject().put("room", room).put("replyTo", plain)
                    .put("body", "om acht uur")).getJsonObject("data");
            assertThat(toPlain.containsKey("responderGuidance")).isFalse();
            // the mark survives in history
            JsonArray history = reader.request("history", new JsonObject().put("room", room)).getJsonObject("data").getJsonArray("messages");
            assertThat(history.getJsonObject(0).getBoolean("care")).isTrue();
        }
    }

    static final String SANNE = "Hoi, ik ben Sanne. Ik las dat je pillen hebt gespaard. Ben je nu veilig?";

    @Test
    void staffAreNeverSilencedTheirMessagesAreClassifiedForTheFiguresButAlwaysDelivered() {
        String slug = server.community();
        String room = server.room(slug);
        api.moderatorOnDuty(slug);
        // the same words from a member are held as imminent risk (the rules see "pillen gespaard")
        assertThat(nl.kring.moderation.chatsafe.Classifier.builtIn().classify(SANNE).category().wireName())
                .isEqualTo("imminent_risk");
        double findings = server.metric("kring_chatsafe_findings_total{category=\"imminent_risk\"}");
        try (WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            int n = 0;
            for (String role : new String[] {"moderator", "professional", "peer_expert"}) {
                try (WsClient staff = server.connect(api.staff(role, slug))) {
                    TestServer.join(staff, room);
                    JsonObject data = send(staff, room, "staff-" + role, SANNE);
                    assertThat(data.getString("status")).as(role).isEqualTo("delivered");
                    assertThat(data.containsKey("prompt")).as("no prompt for %s", role).isFalse();
                    JsonObject seen = reader.nextOfType("message");
                    assertThat(seen.getString("body")).isEqualTo(SANNE);
                    assertThat(seen.getLong("seq")).isEqualTo(++n);
                }
            }
        }
        // counted for the figures, never queued
        assertThat(server.metric("kring_chatsafe_findings_total{category=\"imminent_risk\"}")).isEqualTo(findings + 3);
        JsonArray queue = http.get("/api/v1/moderation/communities/" + slug + "/queue", api.staff("moderator", slug))
                .body().getJsonArray("items");
        assertThat(queue).isEmpty();
    }

    @Test
    void aMemberWhoWritesSupportivelyAboutSomeoneElsesRiskIsPromptedNotHeld() {
        String slug = server.community();
        String room = server.room(slug);
        api.moderatorOnDuty(slug);
        String text = "Hé, ik las wat je schreef over de pillen die je hebt gespaard. Ben je nu veilig? Bel alsjeblieft 113.";
        try (WsClient author = server.connect(server.member(slug)); WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            JsonObject data = send(author, room, "support-1", text);
            assertThat(data.getString("status")).isEqualTo("delivered");
            assertThat(data.getJsonObject("prompt").getString("category")).isEqualTo("third_party_risk");
            assertThat(reader.nextOfType("message").getString("body")).isEqualTo(text);
        }
    }

    /** Messages the model is unsure about (neither sure nor clearly fine): one of them must be. */
    static final java.util.List<String> UNSURE = java.util.List.of(
            "mijn bestaan kost iedereen alleen maar energie",
            "ik ga weer purgen na het eten",
            "niemand heeft mij nodig en eigenlijk heb ik mezelf ook niet nodig",
            "ik weet niet hoe lang ik dit nog volhoud");

    @Test
    void aMessageTheModelIsUnsureAboutIsDeliveredAndQueuedForReviewWithWhy() {
        nl.kring.moderation.chatsafe.Classifier classifier = nl.kring.moderation.chatsafe.Classifier.builtIn();
        String text = UNSURE.stream().filter(t -> {
            nl.kring.moderation.chatsafe.Classification c = classifier.classify(t);
            return c.findings().isEmpty() && !c.uncertain().isEmpty();
        }).findFirst().orElseThrow(() -> new AssertionError("no message of UNSURE is in the model's review band"));
        nl.kring.moderation.chatsafe.Finding unsure = classifier.classify(text).topUncertain();
        String slug = server.community();
        String room = server.room(slug);
        String moderator = api.moderatorOnDuty(slug);
        try (WsClient mod = server.connect(moderator); WsClient author = server.connect(server.member(slug));
             WsClient reader = server.connect(server.member(slug))) {
            TestServer.join(reader, room);
            JsonObject data = send(author, room, "unsure-1", text);
            // not silenced: delivered to the room
            assertThat(data.getString("status")).isEqualTo("delivered");
            assertThat(reader.nextOfType("message").getString("body")).isEqualTo(text);
            // and a human looks: a queue item for the delivered message, below a sure finding, with why
            JsonObject event = mod.next(f -> "queue".equals(f.getString("type")) && "new".equals(f.getString("event")));
            JsonObject item = event.getJsonObject("item");
            assertThat(item.getString("kind")).isEqualTo("message");
            assertThat(item.getLong("seq")).isEqualTo(data.getLong("seq"));
            assertThat(item.getJsonArray("sources")).containsExactly("review");
            assertThat(item.getString("category")).isEqualTo(unsure.category().wireName());
            assertThat(item.getString("severity")).isIn("low", "medium", "high");
            assertThat(item.getJsonArray("why").getString(0)).startsWith("? model " + unsure.category().wireName());
            // a retry of the same send is a duplicate: no second item
            assertThat(send(author, room, "unsure-1", text).getLong("seq")).isEqualTo(data.getLong("seq"));
        }
        JsonArray queue = http.get("/api/v1/moderation/communities/" + slug + "/queue", moderator).body().getJsonArray("items");
        assertThat(queue).hasSize(1);
    }

    @Test
    void aHeldMessagesQueueItemSaysWhy() {
        String slug = server.community();
        String room = server.room(slug);
        String moderator = api.staff("moderator", slug);
        try (WsClient author = server.connect(server.member(slug))) {
            assertThat(send(author, room, "why-1", "hoeveel paracetamol is dodelijk?").getString("status")).isEqualTo("held");
        }
        JsonObject item = http.get("/api/v1/moderation/communities/" + slug + "/queue", moderator).body().getJsonArray("items")
                .getJsonObject(0);
        assertThat(item.getJsonArray("why")).isNotEmpty();
        assertThat(item.getJsonArray("why")).contains(item.getString("rule"));
    }
}
