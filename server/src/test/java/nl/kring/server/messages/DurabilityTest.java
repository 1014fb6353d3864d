package nl.kring.server.messages;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.kring.server.db.DatabaseTarget;
import nl.kring.server.testing.ApiClient;
import nl.kring.server.testing.ScratchDirs;
import nl.kring.server.testing.ServerProcess;
import nl.kring.server.testing.TestDatabase;
import nl.kring.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import static nl.kring.server.testing.TestServer.join;
import static nl.kring.server.testing.TestServer.sendMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol sections 4.1 to 4.3 against a server child process: acknowledged means durable
 * through a SIGKILL, resends after a restart return the same seq, and seqs stay gap-free.
 */
class DurabilityTest {

    /**
     * Four group commits in flight, so that the concurrent writer's paths are exercised too, and
     * no rate limit: the burst is as fast as the client can send.
     */
    static final Map<String, String> PIPELINED = Map.of("KRING_WRITER_PIPELINE", "4",
            "KRING_SEND_RATE", "100000", "KRING_SEND_BURST", "1000000");

    @Test
    void aServerKilledDuringABurstLosesNoAcknowledgedMessage() throws Exception {
        DatabaseTarget db = TestDatabase.fresh();
        Map<String, Long> acked = new HashMap<>();
        String room;
        String token;
        int sent;
        try (ServerProcess node = ServerProcess.start(db, PIPELINED)) {
            Member m = Member.inNewRoom(node);
            room = m.room;
            token = m.token;
            WsClient c = m.connectJoined();
            // GIVEN pipelined sends in windows of 100 until 300 are acknowledged. Windows, not an
            // unbounded burst: on a slow or busy machine a flood would wait past the ack deadline
            // and be answered unavailable (not acknowledged, resent below), and the test would
            // measure the machine instead of durability.
            int next = 1;
            while (acked.size() < 300) {
                int from = next;
                for (; next < from + 100; next++) {
                    c.sendRaw(new JsonObject().put("type", "send").put("id", "k" + next).put("room", room)
                            .put("clientMsgId", "k" + next).put("body", "burst " + next).encode());
                }
                for (int i = from; i < next; i++) {
                    record(c.nextOfType("reply"), acked);
                }
            }
            // WHEN a last window of 5,000 is sent as fast as the client can and the server is
            // killed with SIGKILL at once, so the kill lands while those sends are in flight
            for (int end = next + 5000; next < end; next++) {
                c.sendRaw(new JsonObject().put("type", "send").put("id", "k" + next).put("room", room)
                        .put("clientMsgId", "k" + next).put("body", "burst " + next).encode());
            }
            node.kill();
            c.closeCode();
            for (JsonObject f : c.drain()) {
                if ("reply".equals(f.getString("type"))) {
                    record(f, acked);
                }
            }
            sent = next - 1;
        }
        assertThat(sent).as("the kill came during the burst").isGreaterThan(acked.size());
        // THEN every acknowledged message is in PostgreSQL with the acknowledged seq
        Map<String, Long> stored = storedSeqs(db, room);
        for (Map.Entry<String, Long> e : acked.entrySet()) {
            assertThat(stored.get(e.getKey())).as("acked %s", e.getKey()).isEqualTo(e.getValue());
        }
        // AND the room's seqs are 1..n without a gap or repeat
        List<Long> seqs = new ArrayList<>(stored.values());
        seqs.sort(Long::compare);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
        }

        // WHEN a new server starts and the client resends everything it sent, as a client does:
        // a window at a time, resending what is answered unavailable
        try (ServerProcess node = ServerProcess.start(db, PIPELINED)) {
            ApiClient api = new ApiClient(node.port());
            try (WsClient c = api.connect(token)) {
                Map<String, Long> after = new HashMap<>();
                java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>();
                for (int i = 1; i <= sent; i++) {
                    pending.add(i);
                }
                while (!pending.isEmpty()) {
                    List<Integer> window = new ArrayList<>();
                    while (window.size() < 200 && !pending.isEmpty()) {
                        window.add(pending.poll());
                    }
                    for (int i : window) {
                        c.sendRaw(new JsonObject().put("type", "send").put("id", "k" + i).put("room", room)
                                .put("clientMsgId", "k" + i).put("body", "burst " + i).encode());
                    }
                    for (int n = 0; n < window.size(); n++) {
                        JsonObject r = c.nextOfType("reply");
                        if (!record(r, after)) {
                            pending.add(Integer.parseInt(r.getString("id").substring(1)));
                        }
                    }
                }
                // THEN acknowledged ones keep their seq, and every message is stored exactly once, gap-free
                for (Map.Entry<String, Long> e : acked.entrySet()) {
                    assertThat(after.get(e.getKey())).isEqualTo(e.getValue());
                }
                Map<String, Long> finalStored = storedSeqs(db, room);
                assertThat(finalStored).hasSize(sent).isEqualTo(after);
                assertThat(finalStored.values().stream().mapToLong(Long::longValue).max().orElse(0)).isEqualTo(sent);
            }
        }
    }

    /** Records an acknowledged send's seq; false for unavailable (not acknowledged). Any other error fails the test. */
    static boolean record(JsonObject reply, Map<String, Long> acked) {
        if (reply.getBoolean("ok")) {
            acked.put(reply.getString("id"), reply.getJsonObject("data").getLong("seq"));
            return true;
        }
        assertThat(reply.getJsonObject("error").getString("code")).as("reply %s", reply).isEqualTo("unavailable");
        return false;
    }

    @Test
    void aResendAfterAGracefulRestartReturnsTheSameSeqAndShutdownClosesWith4000() {
        DatabaseTarget db = TestDatabase.fresh();
        String room;
        String token;
        long seq;
        try (ServerProcess node = ServerProcess.start(db, Map.of())) {
            Member m = Member.inNewRoom(node);
            room = m.room;
            token = m.token;
            WsClient c = m.connectJoined();
            sendMessage(c, room, "first", "een");
            seq = sendMessage(c, room, "restart-me", "twee").getJsonObject("data").getLong("seq");
            // WHEN the server gets SIGTERM
            long exitMs = node.terminate();
            // THEN the socket is closed with 4000 and the process is gone within 10 s
            assertThat(c.closeCode()).isEqualTo(4000);
            assertThat(exitMs).isLessThan(10_000);
        }
        try (ServerProcess node = ServerProcess.start(db, Map.of()); WsClient c = new ApiClient(node.port()).connect(token)) {
            JsonObject again = sendMessage(c, room, "restart-me", "twee");
            assertThat(again.getJsonObject("data").getLong("seq")).isEqualTo(seq);
            assertThat(sendMessage(c, room, "next", "drie").getJsonObject("data").getLong("seq")).isEqualTo(seq + 1);
        }
    }

    @Test
    void theEmbeddedDatabaseKeepsAcknowledgedMessagesAndRestartsAfterTheServerWasKilled() throws Exception {
        java.nio.file.Path data = ScratchDirs.create("kring-embedded");
        try {
            killedAndRestarted(data);
        } finally {
            ScratchDirs.delete(data);
        }
    }

    private static void killedAndRestarted(java.nio.file.Path data) throws Exception {
        String room;
        String token;
        try (ServerProcess node = ServerProcess.startEmbedded(data)) {
            Member m = Member.inNewRoom(node);
            room = m.room;
            token = m.token;
            try (WsClient c = m.api.connect(token)) {
                assertThat(sendMessage(c, room, "kept", "bewaard").getJsonObject("data").getLong("seq")).isEqualTo(1);
            }
            // WHEN the server is killed, its PostgreSQL is orphaned and still holds the data directory
            node.kill();
        }
        // THEN a new server on the same directory starts, and the message is still there
        try (ServerProcess node = ServerProcess.startEmbedded(data); WsClient c = new ApiClient(node.port()).connect(token)) {
            JsonObject history = c.request("history", new JsonObject().put("room", room)).getJsonObject("data");
            assertThat(history.getJsonArray("messages")).hasSize(1);
            assertThat(history.getJsonArray("messages").getJsonObject(0).getString("body")).isEqualTo("bewaard");
            assertThat(sendMessage(c, room, "kept", "bewaard").getJsonObject("data").getLong("seq")).isEqualTo(1);
            node.terminate();
        }
    }

    /** A member of a fresh community with one room, on a server process. */
    record Member(ApiClient api, String room, String token) {
        static Member inNewRoom(ServerProcess node) {
            ApiClient api = new ApiClient(node.port());
            String slug = api.community();
            return new Member(api, api.room(slug), api.member(slug));
        }

        WsClient connectJoined() {
            WsClient c = api.connect(token);
            join(c, room);
            return c;
        }
    }

    static Map<String, Long> storedSeqs(DatabaseTarget db, String room) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = TestDatabase.connect(db);
             PreparedStatement ps = c.prepareStatement("SELECT client_msg_id, seq FROM messages WHERE room_id = ?")) {
            ps.setLong(1, Long.parseLong(room));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }
}
