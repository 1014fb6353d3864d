package nl.kring.server.messages;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.Room;
import nl.kring.server.shared.StoredMessage;

/**
 * One batch as the group-commit statement (ADR 0001): the SQL, its parameters built from the
 * batch's sends, and its rows read back into each room's new messages and each sender's answer.
 * The statement locks the batch's room counter rows in id order (so concurrent batches cannot
 * deadlock), deduplicates on (author, clientMsgId), takes each room's seqs from its counter row
 * and inserts. Several sends with one idempotency key in one batch: the first is written, all
 * get its seq.
 *
 * <p>One per batch, confined to the writer's context.
 */
final class BatchInsert {

    static final String SQL = """
            WITH input AS (
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::boolean[], $6::int[], $7::boolean[])
                    AS t(room_id, author_id, client_msg_id, body, cw, ord, care)
            ), locked AS (
                -- counter rows locked in id order: concurrent batches queue instead of deadlocking
                SELECT id FROM rooms WHERE id IN (SELECT room_id FROM input) ORDER BY id FOR UPDATE
            ), existing AS (
                -- One probe of the unique (author_id, client_msg_id) index per input row. OFFSET 0 stops the
                -- planner from flattening the LATERAL subquery into a join: a generic plan cached while the
                -- table was small then hash-joined a full scan of messages on every batch (auto_explain,
                -- docs/benchmarks.md).
                SELECT i.ord, m.id, m.room_id, m.seq, m.created_at
                FROM input i CROSS JOIN LATERAL (
                    SELECT id, room_id, seq, created_at FROM messages
                    WHERE author_id = i.author_id AND client_msg_id = i.client_msg_id
                    OFFSET 0) m
            ), fresh AS (
                SELECT i.*, row_number() OVER (PARTITION BY i.room_id ORDER BY i.ord) AS rn
                FROM input i WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.ord = i.ord)
            ), counts AS (
                SELECT room_id, count(*) AS n FROM fresh GROUP BY room_id
            ), bumped AS (
                UPDATE rooms r SET last_seq = r.last_seq + c.n
                FROM counts c JOIN locked l ON l.id = c.room_id
                WHERE r.id = c.room_id
                RETURNING r.id AS room_id, r.last_seq - c.n AS base
            ), inserted AS (
                INSERT INTO messages (room_id, seq, author_id, client_msg_id, body, cw, care, created_at)
                SELECT f.room_id, b.base + f.rn, f.author_id, f.client_msg_id, f.body, f.cw, f.care, now()
                FROM fresh f JOIN bumped b ON b.room_id = f.room_id
                RETURNING id, room_id, seq, author_id, client_msg_id, created_at
            )
            SELECT i.ord, ins.id, ins.room_id, ins.seq, ins.created_at, false AS duplicate
            FROM inserted ins JOIN input i ON i.author_id = ins.author_id AND i.client_msg_id = ins.client_msg_id
            UNION ALL
            SELECT e.ord, e.id, e.room_id, e.seq, e.created_at, true FROM existing e""";

    /** The sends by ordinal: the sends that share the ordinal's idempotency key, the written one first. */
    private final List<List<PendingSend>> byOrd;
    private final Tuple params;
    private long[] seqs;
    private long[] storedRoom;
    private boolean[] duplicate;

    BatchInsert(List<PendingSend> batch) {
        Map<String, List<PendingSend>> byKey = new LinkedHashMap<>();
        for (PendingSend s : batch) {
            byKey.computeIfAbsent(s.key, k -> new ArrayList<>(1)).add(s);
        }
        int n = byKey.size();
        Long[] roomIds = new Long[n];
        Long[] authorIds = new Long[n];
        String[] clientIds = new String[n];
        String[] bodies = new String[n];
        Boolean[] cws = new Boolean[n];
        Boolean[] cares = new Boolean[n];
        Integer[] ords = new Integer[n];
        byOrd = new ArrayList<>(n);
        int i = 0;
        for (List<PendingSend> same : byKey.values()) {
            PendingSend s = same.get(0);
            roomIds[i] = s.room.id();
            authorIds[i] = s.author.userId();
            clientIds[i] = s.clientMsgId;
            bodies[i] = s.body;
            cws[i] = s.cw;
            cares[i] = s.care;
            ords[i] = i;
            byOrd.add(same);
            i++;
        }
        params = Tuple.of(roomIds, authorIds, clientIds, bodies, cws, ords, cares);
    }

    /** The statement's parameters: the batch as arrays, one element per idempotency key. */
    Tuple params() {
        return params;
    }

    /**
     * Reads the committed rows: remembers each key's stored seq, room and whether it was stored
     * before, and returns the messages this batch stored, by room, in the batch's order.
     */
    Map<Room, List<StoredMessage>> read(RowSet<Row> rows) {
        Map<Room, List<StoredMessage>> fresh = new LinkedHashMap<>();
        seqs = new long[byOrd.size()];
        storedRoom = new long[byOrd.size()];
        duplicate = new boolean[byOrd.size()];
        for (Row r : rows) {
            int ord = r.getInteger("ord");
            seqs[ord] = r.getLong("seq");
            storedRoom[ord] = r.getLong("room_id");
            duplicate[ord] = r.getBoolean("duplicate");
            if (!duplicate[ord]) {
                PendingSend s = byOrd.get(ord).get(0);
                fresh.computeIfAbsent(s.room, k -> new ArrayList<>()).add(new StoredMessage(
                        s.room.id(), seqs[ord], r.getLong("id"), s.clientMsgId, s.author.publicId(), s.author.name(),
                        s.author.role().wireName(), s.body, s.cw, s.care, r.getOffsetDateTime("created_at").toInstant(), null));
            }
        }
        return fresh;
    }

    /**
     * Answers every sender after {@link #read}: its seq (a duplicate gets the stored one), or
     * {@code conflict} where its key was already used in another room.
     */
    void answer() {
        for (int ord = 0; ord < byOrd.size(); ord++) {
            for (PendingSend s : byOrd.get(ord)) {
                if (storedRoom[ord] != s.room.id()) {
                    s.fail(new KringException(ErrorCode.CONFLICT, "this clientMsgId was already used for a message in another room"));
                } else {
                    s.succeed(seqs[ord], duplicate[ord] || s != byOrd.get(ord).get(0));
                }
            }
        }
    }
}
