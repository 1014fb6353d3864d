package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import nl.kring.moderation.help.Notices;
import nl.kring.server.audit.AuditLog;
import nl.kring.server.rooms.RoomRegistry;

/**
 * Hiding pending review, as the report rules decide it: the reported message, or every message of
 * the author with an open item. Inside the report's transaction each hidden message is redacted,
 * its item marked {@code hidden}, an audit entry written and the author's notice stored; once the
 * transaction commits ({@link #tell}) the rooms get the redactions and the author the notice.
 * Thread-safe.
 */
final class ReportHiding {

    static final String HIDE_ONE = """
            UPDATE messages SET hidden_at = now(), redacted_at = now(), redaction_reason = 'moderation'
            WHERE room_id = $1 AND seq = $2 AND redacted_at IS NULL RETURNING room_id, seq""";
    static final String HIDE_AUTHORS_REPORTED = """
            UPDATE messages m SET hidden_at = now(), redacted_at = now(), redaction_reason = 'moderation'
            FROM mod_items i
            WHERE i.status = 'open' AND i.author_id = $1 AND i.seq IS NOT NULL AND i.reports > 0
              AND m.room_id = i.room_id AND m.seq = i.seq AND m.redacted_at IS NULL
            RETURNING m.room_id, m.seq""";
    static final String MARK_HIDDEN = """
            UPDATE mod_items SET hidden = true, sources = ARRAY(SELECT DISTINCT unnest(sources || '{rule}'::text[]) ORDER BY 1)
            WHERE status = 'open' AND room_id = $1 AND seq = $2 RETURNING id""";

    /** What one report's transaction hid (room_id, seq rows) and the notices it stored; told after the commit. Confined to the report. */
    static final class Hidden {
        private final List<Row> messages = new ArrayList<>();
        private final List<MemberNotices.Pending> notices = new ArrayList<>();
    }

    private final RoomRegistry rooms;
    private final MemberNotices notices;

    ReportHiding(RoomRegistry rooms, MemberNotices notices) {
        this.rooms = rooms;
        this.notices = notices;
    }

    /** Hides the reported message. */
    Future<Void> hideMessage(SqlConnection conn, long roomId, long seq, long authorId, long communityId, Hidden out) {
        return hide(conn, HIDE_ONE, Tuple.of(roomId, seq), authorId, communityId, out);
    }

    /** Hides every message of the author that has an open item. */
    Future<Void> hideAuthorsReported(SqlConnection conn, long authorId, long communityId, Hidden out) {
        return hide(conn, HIDE_AUTHORS_REPORTED, Tuple.of(authorId), authorId, communityId, out);
    }

    private Future<Void> hide(SqlConnection conn, String sql, Tuple args, long authorId, long communityId, Hidden out) {
        return conn.preparedQuery(sql).execute(args).compose(rows -> {
            List<Future<?>> marks = new ArrayList<>();
            for (Row r : rows) {
                out.messages.add(r);
                marks.add(conn.preparedQuery(MARK_HIDDEN).execute(Tuple.of(r.getLong("room_id"), r.getLong("seq"))));
                marks.add(AuditLog.record(conn, null, "moderation.hidden", communityId, authorId,
                        "message:" + r.getLong("room_id") + "/" + r.getLong("seq"), "hidden pending review by the report rules",
                        new JsonObject().put("visible", true), new JsonObject().put("visible", false)));
            }
            if (rows.size() == 0) {
                return Future.succeededFuture();
            }
            return Future.all(marks).compose(v -> notices.store(conn, authorId, communityId, Notices.HIDDEN,
                    rows.iterator().next().getLong("room_id"), new JsonObject().put("seq", rows.iterator().next().getLong("seq"))))
                    .map(n -> {
                        out.notices.add(n);
                        return null;
                    });
        });
    }

    /** After the commit: the rooms redact the hidden messages, the author gets the notice. */
    void tell(Hidden hidden) {
        for (Row h : hidden.messages) {
            rooms.redacted(h.getLong("room_id"), h.getLong("seq"), "moderation");
        }
        hidden.notices.forEach(notices::send);
    }
}
