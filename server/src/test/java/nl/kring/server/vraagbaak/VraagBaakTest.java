package nl.kring.server.vraagbaak;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.OneServer;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VraagBaak (protocol section 9) against a real server and PostgreSQL: asking with #chatsafe,
 * the editors' steps, answering, publishing, the public list and its Dutch search, the asker's own
 * questions and notices, and what never leaks (another member's question, another community's).
 * Each test makes its own communities and users.
 */
class VraagBaakTest extends OneServer {

    static JsonObject ask(String token, String slug, String title, String body) {
        Http.Response r = http.post("/api/v1/communities/" + slug + "/questions", token, new JsonObject().put("title", title).put("body", body));
        assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
        assertThat(r.body().getString("status")).isEqualTo("waiting");
        return r.body();
    }

    static Http.Response step(String token, String id, String step, JsonObject body) {
        return http.post("/api/v1/vraagbaak/questions/" + id + "/" + step, token, body);
    }

    static JsonObject ok(Http.Response r, String status) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        assertThat(r.body().getString("status")).isEqualTo(status);
        return r.body();
    }

    static JsonArray list(String path, String token) {
        Http.Response r = http.get(path, token);
        assertThat(r.status()).as("%s %s", path, r.body()).isEqualTo(200);
        return r.body().getJsonArray("questions");
    }

    static List<String> ids(JsonArray questions) {
        List<String> out = new ArrayList<>();
        questions.forEach(q -> out.add(((JsonObject) q).getString("id")));
        return out;
    }

    static JsonObject find(JsonArray questions, String id) {
        for (Object o : questions) {
            if (id.equals(((JsonObject) o).getString("id"))) {
                return (JsonObject) o;
            }
        }
        return null;
    }

    static String publicId(String token) {
        return api.me(token).getString("id");
    }

    /** The audit rows about a question, as "action|reason", oldest first. */
    static List<String> audit(String questionId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabase.connect(server.db()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT action, reason FROM audit_events WHERE target = 'question:" + questionId
                     + "' ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2));
            }
        }
        return out;
    }

    static List<String> noticeKinds(String token) {
        List<String> out = new ArrayList<>();
        http.get("/api/v1/me/notices", token).body().getJsonArray("notices").forEach(n -> out.add(((JsonObject) n).getString("kind")));
        return out;
    }

    /** An answered question (assigned to a new professional, who answered it); its id. */
    static String answered(String slug, String editor, String asker, String title, String body, String answer) {
        String id = ask(asker, slug, title, body).getString("id");
        String professional = api.staff("professional", slug);
        ok(step(editor, id, "assign", new JsonObject().put("to", publicId(professional))), "assigned");
        ok(step(professional, id, "answer", new JsonObject().put("body", answer)), "answered");
        return id;
    }

    @Test
    void theFullPathFromAskingToPublishingIsAuditedAndTheAskerIsTold() throws Exception {
        // GIVEN a community with an editor, a professional and a member
        String slug = server.community();
        String editor = api.staff("moderator", slug);
        String professional = api.staff("professional", slug);
        String asker = server.member(slug);
        double published = server.metric("kring_vraagbaak_questions_closed_total{outcome=\"published\"}");
        // WHEN the member asks
        JsonObject asked = ask(asker, slug, "Hoe kan ik beter slapen?", "Ik lig elke nacht uren wakker. Ik kan niet slapen voor school.");
        String id = asked.getString("id");
        assertThat(asked.containsKey("prompt")).as("no risk, no prompt").isFalse();
        // THEN the editors see it waiting, with the asker's pseudonym; the public does not
        JsonObject waiting = find(list("/api/v1/vraagbaak/communities/" + slug + "/questions?status=waiting", editor), id);
        assertThat(waiting).isNotNull();
        assertThat(waiting.getString("status")).isEqualTo("waiting");
        assertThat(waiting.getBoolean("risky")).isFalse();
        assertThat(waiting.getJsonObject("asker").getString("pseudonym")).isEqualTo(api.me(asker).getString("pseudonym"));
        assertThat(list("/api/v1/communities/" + slug + "/questions", null)).isEmpty();
        // WHEN the editor assigns it to the professional (one of the community's answerers)
        JsonArray answerers = http.get("/api/v1/vraagbaak/communities/" + slug + "/answerers", editor).body().getJsonArray("answerers");
        assertThat(answerers.stream().map(a -> ((JsonObject) a).getString("id"))).contains(publicId(professional));
        ok(step(editor, id, "assign", new JsonObject().put("to", publicId(professional))), "assigned");
        // THEN it is in the professional's "assigned to me", without the asker
        JsonObject mine = find(list("/api/v1/vraagbaak/assigned", professional), id);
        assertThat(mine).isNotNull();
        assertThat(mine.containsKey("asker")).isFalse();
        // WHEN the professional answers
        ok(step(professional, id, "answer", new JsonObject().put("body",
                "Ga elke avond op dezelfde tijd naar bed en leg je telefoon een uur eerder weg. Een vast slaapritme helpt.")), "answered");
        // THEN the asker is told
        assertThat(noticeKinds(asker)).contains("question_answered");
        // WHEN the editor rewords the question (no school named) and publishes it
        ok(step(editor, id, "wording", new JsonObject().put("title", "Hoe kan ik beter slapen?")
                .put("body", "Ik lig elke nacht uren wakker en kan niet slapen.")), "answered");
        ok(step(editor, id, "publish", new JsonObject()), "published");
        // THEN anyone reads the editors' wording and the answer, the answerer by display name and role only
        JsonObject shown = find(list("/api/v1/communities/" + slug + "/questions", null), id);
        assertThat(shown.getString("body")).isEqualTo("Ik lig elke nacht uren wakker en kan niet slapen.");
        assertThat(shown.getJsonObject("answer").getString("body")).contains("slaapritme");
        assertThat(shown.getJsonObject("answer").getJsonObject("by").fieldNames()).containsExactlyInAnyOrder("displayName", "role");
        assertThat(shown.getJsonObject("answer").getJsonObject("by").getString("role")).isEqualTo("professional");
        assertThat(shown.encode()).doesNotContain("voor school").doesNotContain(api.me(asker).getString("pseudonym"));
        assertThat(shown.getString("publishedAt")).isNotNull();
        // AND the asker reads their own words, the status and the published wording
        JsonObject own = find(list("/api/v1/me/questions", asker), id);
        assertThat(own.getString("status")).isEqualTo("published");
        assertThat(own.getString("body")).contains("voor school");
        assertThat(own.getJsonObject("published").getString("body")).isEqualTo("Ik lig elke nacht uren wakker en kan niet slapen.");
        assertThat(noticeKinds(asker)).contains("question_answered", "question_published");
        // AND every step is in the audit trail
        assertThat(audit(id)).containsExactly("question.asked|null", "question.assigned|null", "question.answered|null",
                "question.reworded|null", "question.published|null");
        // AND the operators' figures count it
        assertThat(server.metric("kring_vraagbaak_questions_closed_total{outcome=\"published\"}")).isEqualTo(published + 1);
        assertThat(server.metrics()).contains("kring_vraagbaak_publish_wait_seconds_bucket").contains("kring_vraagbaak_questions_open{");
    }

    @Test
    void theSectionNinePathWithoutAssigningAProfessionalOfTheCommunityFindsAndAnswersAQuestion() {
        // protocol section 9 alone: a member asks, a professional of the community answers, an editor publishes
        String slug = server.community();
        String editor = api.staff("moderator", slug);
        String peer = api.staff("peer_expert", slug);
        String asker = server.member(slug);
        String id = ask(asker, slug, "Wat is een paniekaanval?", "Soms krijg ik het heel benauwd.").getString("id");
        JsonObject seen = find(list("/api/v1/vraagbaak/communities/" + slug + "/questions?status=waiting", peer), id);
        assertThat(seen).isNotNull();
        assertThat(seen.containsKey("asker")).as("answerers do not learn who asked").isFalse();
        assertThat(seen.containsKey("originalBody")).isFalse();
        ok(step(peer, id, "answer", new JsonObject().put("body", "Een paniekaanval is heftig maar gaat vanzelf over.")), "answered");
        ok(step(editor, id, "publish", new JsonObject()), "published");
        JsonObject shown = find(list("/api/v1/communities/" + slug + "/questions", null), id);
        assertThat(shown.getJsonObject("answer").getJsonObject("by").getString("role")).isEqualTo("peer_expert");
        // the peer expert may not publish, return or reject: editors' work
        String other = ask(server.member(slug), slug, "Nog een vraag", "Wat doe ik daartegen?").getString("id");
        assertThat(step(peer, other, "return", new JsonObject().put("reason", "nee")).status()).isEqualTo(403);
    }

    @Test
    void searchFindsAPublishedAnswerByADutchWordFromItAndPagesNewestFirst() {
        String slug = server.community();
        String editor = api.staff("moderator", slug);
        String first = answered(slug, editor, server.member(slug), "Piekeren in bed", "Ik pieker veel als ik in bed lig.",
                "Schrijf je zorgen op een briefje voor het slapen gaan.");
        ok(step(editor, first, "publish", new JsonObject()), "published");
        String second = answered(slug, editor, server.member(slug), "Ruzie thuis", "Mijn ouders maken veel ruzie.",
                "Praat erover met iemand die je vertrouwt, zoals een mentor.");
        ok(step(editor, second, "publish", new JsonObject()), "published");
        // a word from the answer in another form ("slapen" in the answer, "slaap" searched: Dutch stemming) finds it, and only it;
        // so does one from the question ("ouders" asked, "ouder" searched)
        assertThat(ids(list("/api/v1/communities/" + slug + "/questions?q=slaap", null))).containsExactly(first);
        assertThat(ids(list("/api/v1/communities/" + slug + "/questions?q=ouder", null))).containsExactly(second);
        assertThat(ids(list("/api/v1/communities/" + slug + "/questions?q=voetbal", null))).isEmpty();
        // newest first, paged with before
        assertThat(ids(list("/api/v1/communities/" + slug + "/questions", null))).containsExactly(second, first);
        assertThat(ids(list("/api/v1/communities/" + slug + "/questions?limit=1", null))).containsExactly(second);
        assertThat(ids(list("/api/v1/communities/" + slug + "/questions?limit=1&before=" + second, null))).containsExactly(first);
    }

    @Test
    void aRiskyQuestionGetsThePromptGoesToTheQueueAndIsNeverPublishedUntilAnEditorClearsIt() throws Exception {
        String slug = server.community();
        String editor = api.staff("moderator", slug);
        String asker = server.member(slug);
        // WHEN a member asks a question in which #chatsafe sees risk (the editor's console is connected)
        JsonObject asked;
        String id;
        try (WsClient console = server.connect(editor)) {
            asked = ask(asker, slug, "Heeft het nog zin?", "Niemand zou me missen als ik er niet meer ben.");
            id = asked.getString("id");
            // THEN the console is told of the new queue item at once
            String question = id;
            JsonObject event = console.next(f -> "queue".equals(f.getString("type")) && "new".equals(f.getString("event"))
                    && question.equals(f.getJsonObject("item").getString("question")));
            assertThat(event.getJsonObject("item").getString("kind")).isEqualTo("question");
        }
        // THEN the answer carries the prompt a send gets, with the help that is open now
        JsonObject prompt = asked.getJsonObject("prompt");
        assertThat(prompt).isNotNull();
        assertThat(prompt.getString("category")).isEqualTo("suicidal_ideation");
        assertThat(prompt.getString("text")).isNotBlank();
        assertThat(prompt.getJsonArray("resources")).isNotNull();
        // AND the question is an item in the community's moderation queue, with its risk
        Http.Response queue = http.get("/api/v1/moderation/communities/" + slug + "/queue", editor);
        JsonObject item = null;
        for (Object o : queue.body().getJsonArray("items")) {
            if (id.equals(((JsonObject) o).getString("question"))) {
                item = (JsonObject) o;
            }
        }
        assertThat(item).as("queue item of the question: %s", queue.body()).isNotNull();
        assertThat(item.getString("kind")).isEqualTo("question");
        assertThat(item.getString("category")).isEqualTo("suicidal_ideation");
        assertThat(item.getString("body")).contains("Niemand zou me missen");
        Http.Response detail = http.get("/api/v1/moderation/items/" + item.getString("id"), editor);
        assertThat(detail.status()).as("%s", detail.body()).isEqualTo(200);
        // AND the editors see it flagged
        JsonObject staff = find(list("/api/v1/vraagbaak/communities/" + slug + "/questions", editor), id);
        assertThat(staff.getBoolean("risky")).isTrue();
        assertThat(staff.getBoolean("riskCleared")).isFalse();
        assertThat(staff.getJsonObject("risk").getString("category")).isEqualTo("suicidal_ideation");
        // WHEN it is answered, publishing is refused until an editor clears the risk
        String professional = api.staff("professional", slug);
        ok(step(editor, id, "assign", new JsonObject().put("to", publicId(professional))), "assigned");
        ok(step(professional, id, "answer", new JsonObject().put("body", "Wat fijn dat je dit vraagt. Praat met 113.")), "answered");
        Http.Response refused = step(editor, id, "publish", new JsonObject());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("conflict");
        assertThat(list("/api/v1/communities/" + slug + "/questions", null)).isEmpty();
        // a professional may not clear it; an editor does, with a reason, audited
        assertThat(step(professional, id, "clear-risk", new JsonObject().put("reason", "x")).status()).isEqualTo(403);
        ok(step(editor, id, "clear-risk", new JsonObject().put("reason", "contact gehad, het gaat beter; vraag herschreven")), "answered");
        assertThat(step(editor, id, "clear-risk", new JsonObject().put("reason", "nog eens")).status()).isEqualTo(409);
        ok(step(editor, id, "publish", new JsonObject().put("title", "Heeft het nog zin?")
                .put("body", "Soms denk ik dat niemand me zou missen.")), "published");
        assertThat(audit(id)).contains("question.risk_cleared|contact gehad, het gaat beter; vraag herschreven");
        assertThat(ids(list("/api/v1/communities/" + slug + "/questions", null))).containsExactly(id);
    }

    @Test
    void personalDetailsAreFlaggedForTheEditors() {
        String slug = server.community();
        String editor = api.staff("moderator", slug);
        String id = ask(server.member(slug), slug, "Wie kan me helpen?", "Ik wil met iemand praten, app me op 06-12345678").getString("id");
        JsonObject staff = find(list("/api/v1/vraagbaak/communities/" + slug + "/questions", editor), id);
        assertThat(staff.getBoolean("pii")).isTrue();
        assertThat(staff.getBoolean("risky")).isFalse();
    }

    @Test
    void aMemberNeverSeesAnotherMembersUnpublishedQuestion() {
        String slug = server.community();
        String asker = server.member(slug);
        String other = server.member(slug);
        String id = ask(asker, slug, "Mijn vraag", "Iets wat alleen de redactie mag lezen.").getString("id");
        assertThat(list("/api/v1/me/questions", other)).isEmpty();
        assertThat(ids(list("/api/v1/me/questions", asker))).containsExactly(id);
        assertThat(http.get("/api/v1/vraagbaak/questions/" + id, other).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/vraagbaak/questions/" + id, asker).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/vraagbaak/communities/" + slug + "/questions", other).status()).isEqualTo(403);
        assertThat(list("/api/v1/communities/" + slug + "/questions", other)).isEmpty();
        for (String s : new String[] {"answer", "publish", "return", "reject", "assign", "wording", "clear-risk"}) {
            Http.Response r = step(other, id, s, new JsonObject().put("body", "x").put("reason", "x").put("title", "abc").put("to", "x"));
            assertThat(r.status()).as(s).isEqualTo(404);
        }
        // the asker sees their own, but may not do the editors' or answerers' work
        assertThat(step(asker, id, "publish", new JsonObject()).status()).isEqualTo(403);
        assertThat(step(asker, id, "answer", new JsonObject().put("body", "zelf")).status()).isEqualTo(403);
    }

    @Test
    void aQuestionOfCommunityAIsNeverVisibleListedOrSearchableInB() {
        String a = server.community();
        String b = server.community();
        String editorA = api.staff("moderator", a);
        String editorB = api.staff("moderator", b);
        String published = answered(a, editorA, server.member(a), "Zebra's tellen", "Ik tel zebra's om te ontspannen.",
                "Zebra's tellen is een prima manier om rustig te worden.");
        ok(step(editorA, published, "publish", new JsonObject()), "published");
        String waiting = ask(server.member(a), a, "Nog een zebravraag", "Zebra's in mijn hoofd.").getString("id");
        // B's public list and search show nothing of A
        assertThat(list("/api/v1/communities/" + b + "/questions", null)).isEmpty();
        assertThat(list("/api/v1/communities/" + b + "/questions?q=zebra", null)).isEmpty();
        assertThat(list("/api/v1/communities/" + b + "/questions?before=" + published, null)).isEmpty();
        assertThat(ids(list("/api/v1/communities/" + a + "/questions?q=zebra", null))).containsExactly(published);
        // B's editor: not in B's staff list, A's staff list refused, A's questions do not exist
        assertThat(list("/api/v1/vraagbaak/communities/" + b + "/questions", editorB)).isEmpty();
        assertThat(http.get("/api/v1/vraagbaak/communities/" + a + "/questions", editorB).status()).isEqualTo(403);
        for (String id : new String[] {published, waiting}) {
            assertThat(http.get("/api/v1/vraagbaak/questions/" + id, editorB).status()).isEqualTo(404);
            assertThat(step(editorB, id, "return", new JsonObject().put("reason", "nee")).status()).isEqualTo(404);
        }
        // a member of B cannot ask in A; A's editor cannot assign A's question to B's professional
        assertThat(http.post("/api/v1/communities/" + a + "/questions", server.member(b),
                new JsonObject().put("title", "Mag ik?").put("body", "vraag")).status()).isEqualTo(403);
        String professionalB = api.staff("professional", b);
        Http.Response assign = step(editorA, waiting, "assign", new JsonObject().put("to", publicId(professionalB)));
        assertThat(assign.status()).isEqualTo(400);
        assertThat(list("/api/v1/vraagbaak/assigned", professionalB)).isEmpty();
    }

    @Test
    void returnedAndRejectedQuestionsTellTheAskerWhy() throws Exception {
        String slug = server.community();
        String editor = api.staff("moderator", slug);
        String asker = server.member(slug);
        String back = ask(asker, slug, "Vraag met naam", "Mijn docent meneer Jansen doet raar.").getString("id");
        String no = ask(asker, slug, "Reclame", "Koop mijn spullen.").getString("id");
        ok(step(editor, back, "return", new JsonObject().put("reason", "Wil je je vraag stellen zonder namen? Dan kijken we er graag naar.")),
                "returned");
        ok(step(editor, no, "reject", new JsonObject().put("reason", "Dit past niet in de VraagBaak.")), "rejected");
        JsonArray mine = list("/api/v1/me/questions", asker);
        assertThat(find(mine, back).getString("reason")).startsWith("Wil je je vraag stellen zonder namen?");
        assertThat(find(mine, no).getString("status")).isEqualTo("rejected");
        assertThat(noticeKinds(asker)).contains("question_returned", "question_rejected");
        assertThat(audit(back)).containsExactly("question.asked|null",
                "question.returned|Wil je je vraag stellen zonder namen? Dan kijken we er graag naar.");
        // a closed question takes no further step
        assertThat(step(editor, back, "publish", new JsonObject()).status()).isEqualTo(409);
        assertThat(step(editor, back, "reject", new JsonObject().put("reason", "x")).status()).isEqualTo(409);
    }

    @Test
    void eachRefusalHasItsCode() {
        String slug = server.community();
        String editor = api.staff("moderator", slug);
        String member = server.member(slug);
        String path = "/api/v1/communities/" + slug + "/questions";
        JsonObject good = new JsonObject().put("title", "Een vraag").put("body", "Hoe gaat dat?");
        assertThat(http.post(path, null, good).status()).isEqualTo(401);
        assertThat(http.post("/api/v1/communities/bestaat-niet/questions", member, good).errorCode()).isEqualTo("not_found");
        assertThat(http.post(path, editor, good).errorCode()).isEqualTo("forbidden");
        assertThat(http.post(path, member, good.copy().put("title", "ab")).errorCode()).isEqualTo("bad_request");
        assertThat(http.post(path, member, good.copy().put("body", "x".repeat(4001))).errorCode()).isEqualTo("bad_request");
        assertThat(http.post(path, member, new JsonObject().put("title", "Een vraag")).errorCode()).isEqualTo("bad_request");
        assertThat(http.get(path + "?limit=0", null).errorCode()).isEqualTo("bad_request");
        assertThat(http.get(path + "?limit=51", null).errorCode()).isEqualTo("bad_request");
        assertThat(http.get(path + "?before=x", null).errorCode()).isEqualTo("bad_request");
        assertThat(http.get("/api/v1/communities/bestaat-niet/questions", null).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/me/questions", null).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/vraagbaak/communities/" + slug + "/questions", null).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/vraagbaak/communities/" + slug + "/questions?status=zoek", editor).errorCode()).isEqualTo("bad_request");
        assertThat(http.get("/api/v1/vraagbaak/communities/bestaat-niet/questions", editor).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/vraagbaak/communities/" + slug + "/questions", api.staff("operator")).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/vraagbaak/communities/" + slug + "/answerers", api.staff("professional", slug)).status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/vraagbaak/assigned", member).status()).isEqualTo(403);
        String id = ask(member, slug, "Een vraag", "Hoe gaat dat?").getString("id");
        assertThat(step(editor, id, "publish", new JsonObject()).errorCode()).isEqualTo("conflict");
        assertThat(step(editor, id, "return", new JsonObject()).errorCode()).isEqualTo("bad_request");
        assertThat(step(editor, id, "answer", new JsonObject().put("body", "")).errorCode()).isEqualTo("bad_request");
        assertThat(step(editor, id, "assign", new JsonObject().put("to", "niemand")).errorCode()).isEqualTo("bad_request");
        assertThat(step(editor, "12x", "publish", new JsonObject()).status()).isEqualTo(404);
        // another community's professional does not see it
        assertThat(step(api.staff("professional", server.community()), id, "answer", new JsonObject().put("body", "ja")).status())
                .isEqualTo(404);
        // asking in a flood: 429 with Retry-After once the burst is spent
        int status = 201;
        for (int i = 0; i < VraagBaak.ASK_BURST + 1 && status == 201; i++) {
            status = http.post(path, member, good).status();
        }
        assertThat(status).isEqualTo(429);
    }
}
