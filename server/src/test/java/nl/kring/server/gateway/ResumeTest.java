package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import nl.kring.server.testing.TestServer;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static nl.kring.server.testing.TestServer.join;
import static nl.kring.server.testing.TestServer.sendMessage;
import static org.assertj.core.api.Assertions.assertThat;

/** Protocol section 4.4: exact resume, or reset, never a silent gap. */
class ResumeTest {

    static final int RESUME_MAX = 400;
    static TestServer server;
    static String slug;

    @BeforeAll
    static void start() {
        // Four group commits in flight: live traffic then arrives from a concurrent writer.
        server = TestServer.start(Map.of("KRING_RESUME_MAX", Integer.toString(RESUME_MAX), "KRING_WRITER_PIPELINE", "4"));
        slug = server.community();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void resumeUnderConcurrentLiveTrafficHasNoLossOrRepeatAtTheSeam() throws Exception {
        String room = server.room(slug);
        int total = 300;
        String readerToken = server.member(slug);
        WsClient reader = server.connect(readerToken);
        JsonObject joined = join(reader, room);
        int epoch = joined.getInteger("epoch");
        // GIVEN a writer that keeps sending while the reader drops and resumes
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (WsClient w = server.connect(server.member(slug))) {
                join(w, room);
                for (int i = 1; i <= total; i++) {
                    JsonObject reply = sendMessage(w, room, "w" + i, "bericht " + i);
                    assertThat(reply.getBoolean("ok")).as("send %s: %s", i, reply).isTrue();
                }
            }
        });
        long seen = 0;
        while (seen < 60) {
            long seq = reader.nextOfType("message").getLong("seq");
            assertThat(seq).isEqualTo(seen + 1);
            seen = seq;
        }
        reader.close();
        // WHEN it reconnects with since while messages keep arriving
        WsClient resumed = server.connect(readerToken);
        JsonObject reply = resumed.request("join", new JsonObject().put("room", room)
                .put("since", new JsonObject().put("epoch", epoch).put("seq", seen)));
        assertThat(reply.getBoolean("ok")).isTrue();
        // THEN it gets every later message exactly once, in order, with resumed at the seam
        List<Long> seqs = new ArrayList<>();
        long resumedAt = -1;
        while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < total) {
            JsonObject f = resumed.next(x -> "message".equals(x.getString("type")) || "resumed".equals(x.getString("type"))
                    || "reset".equals(x.getString("type")));
            assertThat(f.getString("type")).as("no reset expected").isNotEqualTo("reset");
            if ("resumed".equals(f.getString("type"))) {
                assertThat(resumedAt).as("one resumed").isEqualTo(-1);
                resumedAt = f.getLong("lastSeq");
                assertThat(resumedAt).isEqualTo(seqs.isEmpty() ? seen : seqs.get(seqs.size() - 1));
            } else {
                seqs.add(f.getLong("seq"));
            }
        }
        writer.get();
        assertThat(resumedAt).isGreaterThanOrEqualTo(seen);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("message %s after the resume", i).isEqualTo(seen + 1 + i);
        }
        resumed.close();
    }

    @Test
    void resumeAtTheNewestSeqReplaysNothing() {
        String room = server.room(slug);
        String token = server.member(slug);
        try (WsClient c = server.connect(token)) {
            join(c, room);
            sendMessage(c, room, "a", "een");
            sendMessage(c, room, "b", "twee");
        }
        try (WsClient c = server.connect(token)) {
            c.request("join", new JsonObject().put("room", room).put("since", new JsonObject().put("epoch", 1).put("seq", 2)));
            JsonObject f = c.next(x -> "message".equals(x.getString("type")) || "resumed".equals(x.getString("type")));
            assertThat(f.getString("type")).isEqualTo("resumed");
            assertThat(f.getLong("lastSeq")).isEqualTo(2);
        }
    }

    @Test
    void aForeignEpochGetsReset() {
        String room = server.room(slug);
        try (WsClient c = server.connect(server.member(slug))) {
            join(c, room);
            sendMessage(c, room, "a", "een");
            c.request("join", new JsonObject().put("room", room).put("since", new JsonObject().put("epoch", 7).put("seq", 1)));
            JsonObject reset = c.nextOfType("reset");
            assertThat(reset.getString("room")).isEqualTo(room);
            assertThat(reset.getInteger("epoch")).isEqualTo(1);
            assertThat(reset.getLong("lastSeq")).isEqualTo(1);
        }
    }

    @Test
    void aGapBeyondWhatIsReplayedGetsReset() {
        String room = server.room(slug);
        String token = server.member(slug);
        try (WsClient c = server.connect(token)) {
            join(c, room);
            for (int i = 1; i <= RESUME_MAX + 3; i++) {
                assertThat(sendMessage(c, room, "g" + i, "x").getBoolean("ok")).isTrue();
            }
        }
        try (WsClient c = server.connect(token)) {
            c.request("join", new JsonObject().put("room", room).put("since", new JsonObject().put("epoch", 1).put("seq", 1)));
            JsonObject f = c.next(x -> "message".equals(x.getString("type")) || "reset".equals(x.getString("type")));
            assertThat(f.getString("type")).isEqualTo("reset");
            assertThat(f.getLong("lastSeq")).isEqualTo(RESUME_MAX + 3);
        }
    }

    @Test
    void aClientAheadOfTheRoomGetsReset() {
        String room = server.room(slug);
        try (WsClient c = server.connect(server.member(slug))) {
            c.request("join", new JsonObject().put("room", room).put("since", new JsonObject().put("epoch", 1).put("seq", 5)));
            assertThat(c.nextOfType("reset").getLong("lastSeq")).isZero();
        }
    }
}
