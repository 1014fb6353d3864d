package nl.kring.server.figures;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.Http;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The anonymised figures: counts where at least 10 members stand behind a row, nothing where fewer do. */
class FiguresTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rowsOfTenOrMoreMembersHaveCountsAndSmallerRowsShowNothingButLessThanTen() {
        ApiClient api = server.api();
        String slug = server.community();
        String room = server.room(slug);
        api.moderatorOnDuty(slug);
        List<String> codes = server.invites(slug, 15);
        String[] firstWriter = new String[1];
        // GIVEN 12 members without a province and 3 from Utrecht, each sending one message
        for (int i = 0; i < 15; i++) {
            Http.Response joined = api.signUp(slug, codes.get(i), ApiClient.pseudonym(), "18-21", i < 12 ? null : "utrecht");
            assertThat(joined.status()).isEqualTo(201);
            if (i == 0) {
                firstWriter[0] = joined.body().getString("token");
            }
            try (WsClient ws = server.connect(joined.body().getString("token"))) {
                TestServer.sendMessage(ws, room, "f-" + i, "hallo " + i);
                if (i == 0) {
                    TestServer.sendMessage(ws, room, "f-heavy", "ik denk de laatste tijd echt vaak aan zelfmoord");
                }
                if (i == 1) {
                    TestServer.sendMessage(ws, room, "f-held", "app me op 0612345678");
                }
            }
        }
        // AND 2 more members who only read: one comes in, the other comes in and comes back on a new connection
        // (one session: within 30 minutes), and the first writer opens the room once as well
        for (int i = 0; i < 2; i++) {
            String reader = api.member(slug);
            for (int visit = 0; visit <= i; visit++) {
                try (WsClient ws = server.connect(reader)) {
                    TestServer.join(ws, room);
                }
            }
        }
        try (WsClient ws = server.connect(firstWriter[0])) {
            TestServer.join(ws, room);
        }
        try {
            server.server().visits().flush().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String today = LocalDate.now(ZoneId.of("Europe/Amsterdam")).toString();
        Http.Response r = server.http().get("/api/v1/admin/communities/" + slug + "/figures?from=" + today + "&to=" + today,
                api.adminToken());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        List<String> lines = r.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo(Figures.HEADER);
        // THEN the 14 count (12 active, 3 sessions of coming in); the 3 from Utrecht are one suppressed row, with no counts at all
        assertThat(lines).contains(today + "," + slug + ",community,onbekend,14,12,3,13,1,1,0,0," + prompts(Map.of("suicidal_ideation", 1, "pii", 1)) + "0,0,,");
        assertThat(lines).contains(today + "," + slug + ",community,utrecht,<10" + ",".repeat(Figures.COLUMNS));
        assertThat(lines).hasSize(3);
        // nothing in the export names a member
        assertThat(r.text()).doesNotContain("lid_").doesNotContain("hallo");
        // the command prints the same CSV (the token from the environment, never the command line)
        try {
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    java.nio.file.Path.of("..", "scripts", "FiguresCli.java").toString(), slug, today, today);
            pb.environment().put("KRING_TOKEN", api.adminToken());
            pb.environment().put("KRING_URL", "http://127.0.0.1:" + server.port());
            Process cli = pb.start();
            String printed = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(cli.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(cli.exitValue()).isZero();
            assertThat(printed).isEqualTo(r.text());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        // Tried: a member asking, and days that are not days
        String member = server.member(slug);
        assertThat(server.http().get("/api/v1/admin/communities/" + slug + "/figures?from=" + today + "&to=" + today, member).status())
                .isEqualTo(403);
        assertThat(server.http().get("/api/v1/admin/communities/" + slug + "/figures?from=2026-01-01&to=2025-01-01",
                api.adminToken()).status()).isEqualTo(400);
    }

    @Test
    void consultationHoursCountAsksTalksWaitsAndFeedbackOnlyForTenOrMore() throws Exception {
        ApiClient api = server.api();
        String slug = server.community();
        String host = api.staff("peer_expert", slug);
        java.time.LocalDate day = java.time.LocalDate.of(2031, 3, 4);
        String hour = server.http().post("/api/v1/admin/communities/" + slug + "/spreekuren", api.adminToken(), new io.vertx.core.json.JsonObject()
                .put("topic", "Figuren").put("firstDay", day.toString()).put("start", "19:00").put("durationMinutes", 60))
                .body().getString("spreekuur");
        server.server().spreekuren().tick(java.time.ZonedDateTime.of(day, java.time.LocalTime.of(19, 1), ZoneId.of("Europe/Amsterdam"))
                .toInstant()).toCompletionStage().toCompletableFuture().get();
        // GIVEN 11 members ask for a talk; 10 are taken, talk, and give feedback (scores 0 to 9); one is still waiting
        List<String> members = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String m = api.member(slug);
            members.add(m);
            assertThat(server.http().post("/api/v1/spreekuren/" + hour + "/queue", m, new io.vertx.core.json.JsonObject()).status()).isEqualTo(200);
        }
        for (int i = 0; i < 10; i++) {
            String talk = server.http().post("/api/v1/spreekuren/" + hour + "/take", host, null).body().getJsonObject("talk").getString("id");
            assertThat(server.http().post("/api/v1/talks/" + talk + "/end", host, new io.vertx.core.json.JsonObject()).status()).isEqualTo(200);
            assertThat(server.http().post("/api/v1/talks/" + talk + "/feedback", members.get(i),
                    new io.vertx.core.json.JsonObject().put("score", i)).status()).isEqualTo(204);
        }
        String today = LocalDate.now(ZoneId.of("Europe/Amsterdam")).toString();
        String csv = server.http().get("/api/v1/admin/communities/" + slug + "/figures?from=" + today + "&to=" + today,
                api.adminToken()).text();
        List<String> lines = csv.lines().toList();
        // THEN the group room's row has 11 asks and a median wait; the private rooms' row 10 talks;
        // feedback is one row per day with the mean, because 10 responses reach k
        assertThat(lines).anyMatch(l -> l.matches(today + "," + slug + ",spreekuur,onbekend,11,11,0,0,0,0,0,0," + prompts(Map.of()) + "11,0,\\d+,"));
        assertThat(lines).contains(today + "," + slug + ",private,onbekend,10,10,0,0,0,0,0,0," + prompts(Map.of()) + "0,10,,");
        assertThat(lines).contains(today + "," + slug + ",feedback,-,10" + ",".repeat(Figures.COLUMNS) + "4.5");
        assertThat(lines).hasSize(4);
        // fewer than 10 responses on a day show nothing: take five away (as retention of old rows would) and add the eleventh
        String waiting = members.get(10);
        String talk = server.http().post("/api/v1/spreekuren/" + hour + "/take", host, null).body().getJsonObject("talk").getString("id");
        server.http().post("/api/v1/talks/" + talk + "/end", host, new io.vertx.core.json.JsonObject());
        try (var conn = nl.kring.server.testing.TestDatabase.connect(server.db()); var st = conn.createStatement()) {
            st.executeUpdate("DELETE FROM spreekuur_feedback WHERE community_id = (SELECT id FROM communities WHERE slug = '" + slug
                    + "') AND score < 5");
        }
        assertThat(server.http().post("/api/v1/talks/" + talk + "/feedback", waiting, new io.vertx.core.json.JsonObject().put("score", 10))
                .status()).isEqualTo(204);
        String after = server.http().get("/api/v1/admin/communities/" + slug + "/figures?from=" + today + "&to=" + today,
                api.adminToken()).text();
        assertThat(after.lines()).contains(today + "," + slug + ",feedback,-,<10" + ",".repeat(Figures.COLUMNS));
        assertThat(after).doesNotContain("lid_");
    }

    /** The prompt columns of a row: a count for every category, in the header's order. */
    static String prompts(Map<String, Integer> counts) {
        StringBuilder out = new StringBuilder();
        for (String c : Figures.PROMPT_CATEGORIES) {
            out.append(counts.getOrDefault(c, 0)).append(',');
        }
        return out.toString();
    }
}
