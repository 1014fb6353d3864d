package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import nl.kring.moderation.help.Notices;
import nl.kring.server.shared.Principal;
import nl.kring.server.db.Database;

import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.safety.SafetyService;

/**
 * What a member is told about a moderation decision (their held message released or not, a
 * message removed or hidden, a warning, a mute): stored in the decision's transaction, sent at
 * once to every socket of the member as a {@code notice} event with the kind words of
 * {@link Notices} and the help that is open now, and sent again on each new connection until the
 * member marks it seen. Thread-safe.
 */
public final class MemberNotices {

    static final String INSERT = """
            INSERT INTO member_notices (user_id, kind, room_id, detail) VALUES ($1, $2, $3, $4) RETURNING id, created_at""";
    /** A member's unseen notices, oldest first ($1: the user id); also part of {@code gateway.ConnectReads}. */
    public static final String UNSEEN = """
            SELECT n.id, n.kind, n.room_id, n.detail, n.created_at FROM member_notices n
            WHERE n.user_id = $1 AND n.seen_at IS NULL ORDER BY n.id LIMIT 50""";
    static final String SEEN = "UPDATE member_notices SET seen_at = now() WHERE id = $1 AND user_id = $2 RETURNING id";

    private final Database db;
    private final SafetyService safety;
    private final Reach sessions;

    public MemberNotices(Database db, SafetyService safety, Reach sessions) {
        this.db = db;
        this.safety = safety;
        this.sessions = sessions;
    }

    /** A notice waiting to be sent after its transaction commits. */
    public record Pending(long userId, long communityId, JsonObject event) {
    }

    /** Stores a notice within the caller's transaction; send the result with {@link #send} after the commit. */
    public Future<Pending> store(SqlClient conn, long userId, long communityId, Notices kind, Long roomId, JsonObject detail) {
        return conn.preparedQuery(INSERT).execute(Tuple.of(userId, kind.wireName(), roomId, detail)).map(rows -> {
            Row r = rows.iterator().next();
            return new Pending(userId, communityId, event(r.getLong("id"), kind.wireName(), roomId, detail,
                    r.getOffsetDateTime("created_at").toInstant().toString()));
        });
    }

    /** Sends a stored notice, with the help that is open now, to every socket of its member. */
    public void send(Pending n) {
        withResources(n.communityId(), n.event()).onSuccess(json -> sessions.toUser(n.userId(), json.encode()));
    }

    /** The member's notices not yet marked seen, oldest first, as {@code notice} events. */
    public Future<JsonArray> unseen(Principal p) {
        if (!p.isMember()) {
            return Future.succeededFuture(new JsonArray());
        }
        return db.pool().preparedQuery(UNSEEN).execute(Tuple.of(p.userId()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    List<Row> list = new ArrayList<>(rows.size());
                    rows.forEach(list::add);
                    return events(p, list);
                });
    }

    /**
     * {@code notice} events, with the help that is open now, for rows with {@link #UNSEEN}'s columns
     * ({@code id, kind, room_id, detail, created_at}), oldest first: what {@link #unseen} returns,
     * for a caller that read the rows itself (a new connection reads them with its other state in
     * one statement, {@code gateway.ConnectReads}). Sorted here: a union keeps no order.
     */
    public Future<JsonArray> events(Principal p, List<Row> rows) {
        JsonArray out = new JsonArray();
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparingLong(r -> r.getLong("id")));
        for (Row r : sorted) {
            out.add(event(r.getLong("id"), r.getString("kind"), r.getLong("room_id"), (JsonObject) r.getJson("detail"),
                    r.getOffsetDateTime("created_at").toInstant().toString()));
        }
        if (out.isEmpty()) {
            return Future.succeededFuture(out);
        }
        return safety.forCommunity(p.communityId()).map(cs -> {
            JsonArray resources = safety.openNow(cs.help());
            out.forEach(o -> ((JsonObject) o).put("resources", resources.copy()));
            return out;
        });
    }

    /** Marks one of the member's notices seen. */
    public Future<Void> seen(Principal p, String id) {
        long noticeId;
        try {
            noticeId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such notice"));
        }
        return db.pool().preparedQuery(SEEN).execute(Tuple.of(noticeId, p.userId()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> rows.rowCount() == 0
                        ? Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such notice"))
                        : Future.succeededFuture());
    }

    private Future<JsonObject> withResources(long communityId, JsonObject event) {
        return safety.forCommunity(communityId).map(cs -> event.copy().put("resources", safety.openNow(cs.help())));
    }

    private static JsonObject event(long id, String kind, Long roomId, JsonObject detail, String ts) {
        JsonObject json = new JsonObject().put("type", "notice").put("id", Long.toString(id)).put("kind", kind)
                .put("text", Notices.valueOf(kind.toUpperCase(java.util.Locale.ROOT)).text()).put("ts", ts);
        if (roomId != null) {
            json.put("room", Long.toString(roomId));
        }
        if (detail != null) {
            detail.forEach(e -> json.put(e.getKey(), e.getValue()));
        }
        return json;
    }
}
