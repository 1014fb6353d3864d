package nl.kring.server.rooms;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.kring.server.shared.StoredMessage;

/**
 * Reading committed messages (history, resume, {@link RoomPublisher}'s gap repair). Writing is the
 * message writer's; reports are the moderation queue's.
 */
public final class MessageRepository {

    static final String RANGE = """
            SELECT m.id, m.room_id, m.seq, m.client_msg_id, m.body, m.cw, m.care, m.created_at, m.redaction_reason,
                   u.public_id, u.pseudonym, u.role
            FROM messages m JOIN users u ON u.id = m.author_id
            WHERE m.room_id = $1 AND m.seq > $2 AND m.seq <= $3
            ORDER BY m.seq""";

    /** Everything above each given room's seq, for many rooms in one statement (the writer's gap repair). */
    static final String ABOVE = """
            SELECT m.id, m.room_id, m.seq, m.client_msg_id, m.body, m.cw, m.care, m.created_at, m.redaction_reason,
                   u.public_id, u.pseudonym, u.role
            FROM unnest($1::bigint[], $2::bigint[]) AS s(room_id, after)
            JOIN messages m ON m.room_id = s.room_id AND m.seq > s.after
            JOIN users u ON u.id = m.author_id
            ORDER BY m.room_id, m.seq""";

    static final String REDACTIONS = """
            SELECT seq, redaction_reason FROM messages
            WHERE room_id = $1 AND seq > $2 AND seq <= $3 AND redacted_at IS NOT NULL ORDER BY seq""";

    private final Pool pool;

    public MessageRepository(Pool pool) {
        this.pool = pool;
    }

    /** Messages with {@code afterSeq < seq <= upToSeq}, ascending. */
    public Future<List<StoredMessage>> range(long roomId, long afterSeq, long upToSeq) {
        return pool.preparedQuery(RANGE).execute(Tuple.of(roomId, afterSeq, upToSeq)).map(rows -> {
            List<StoredMessage> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(fromRow(r));
            }
            return out;
        });
    }

    /**
     * For each room id in {@code afterSeq}, its messages with a seq above the given one, ascending:
     * one statement however many rooms (a repair after a timed-out batch may cover hundreds).
     */
    public Future<Map<Long, List<StoredMessage>>> above(Map<Long, Long> afterSeq) {
        Long[] rooms = new Long[afterSeq.size()];
        Long[] after = new Long[afterSeq.size()];
        int i = 0;
        for (Map.Entry<Long, Long> e : afterSeq.entrySet()) {
            rooms[i] = e.getKey();
            after[i++] = e.getValue();
        }
        return pool.preparedQuery(ABOVE).execute(Tuple.tuple().addArrayOfLong(rooms).addArrayOfLong(after)).map(rows -> {
            Map<Long, List<StoredMessage>> out = new HashMap<>();
            for (Row r : rows) {
                out.computeIfAbsent(r.getLong("room_id"), k -> new ArrayList<>()).add(fromRow(r));
            }
            return out;
        });
    }

    /** {@code redacted} events for the redacted messages with {@code afterSeq < seq <= upToSeq}, ascending. */
    public Future<List<String>> redactions(long roomId, long afterSeq, long upToSeq) {
        return pool.preparedQuery(REDACTIONS).execute(Tuple.of(roomId, afterSeq, upToSeq)).map(rows -> {
            List<String> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(StoredMessage.redactedEvent(roomId, r.getLong("seq"), r.getString("redaction_reason")));
            }
            return out;
        });
    }

    static StoredMessage fromRow(Row r) {
        return new StoredMessage(
                r.getLong("room_id"),
                r.getLong("seq"),
                r.getLong("id"),
                r.getString("client_msg_id"),
                r.getString("public_id"),
                r.getString("pseudonym"),
                r.getString("role"),
                r.getString("body"),
                r.getBoolean("cw"),
                r.getBoolean("care"),
                r.getOffsetDateTime("created_at").toInstant(),
                r.getString("redaction_reason"));
    }
}
