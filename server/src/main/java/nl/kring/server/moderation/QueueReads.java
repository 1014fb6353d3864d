package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.access.Permissions;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.MessageRepository;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.StoredMessage;

/**
 * What the moderation console reads: the open items of a community, most urgent first; one item
 * with the messages around it, its reports and its author's history; a member's history. Each
 * read checks who may see it ({@link QueueAccess}). Thread-safe.
 */
final class QueueReads {

    static final String LIST = ItemSummary.SUMMARY + """
            WHERE i.community_id = $1 AND i.status = 'open' AND ($2 OR i.escalated)
            ORDER BY i.rank DESC, i.created_at, i.id LIMIT 200""";
    static final String CONTEXT_ANCHOR = """
            SELECT coalesce(max(seq), 0) AS seq FROM messages WHERE room_id = $1 AND created_at <= $2""";
    static final String REPORTS_OF = """
            SELECT category, reason, created_at FROM reports WHERE room_id = $1 AND seq = $2 ORDER BY created_at LIMIT 100""";
    static final String AUTHOR_ITEMS = """
            SELECT id, category, severity, status, resolution, created_at FROM mod_items
            WHERE author_id = $1 ORDER BY created_at DESC LIMIT 50""";
    static final String AUTHOR_AUDIT = """
            SELECT a.at, a.action, a.reason, u.pseudonym AS actor FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
            WHERE a.target_user_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT 100""";
    static final String MEMBER = """
            SELECT id, public_id, pseudonym, community_id, muted_until, banned_at FROM users WHERE public_id = $1 AND role = 'member'""";

    /** Messages shown on each side of the item's message. */
    static final int CONTEXT = 5;

    private final Database db;
    private final MessageRepository messages;

    QueueReads(Database db, MessageRepository messages) {
        this.db = db;
        this.messages = messages;
    }

    /** The item's row, if this user may see it ({@code not_found} otherwise, {@code forbidden} for a role that never may). */
    Future<Row> item(Principal p, String id) {
        if (!QueueAccess.mayModerate(p) && (p.isMember() || !Permissions.allows(p.actor(), Action.HANDLE_ESCALATIONS))) {
            return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "your role may not moderate"));
        }
        long itemId;
        try {
            itemId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Future.failedFuture(notFound());
        }
        return db.pool().preparedQuery(ItemSummary.ONE).execute(Tuple.of(itemId))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(notFound());
                    }
                    Row r = rows.iterator().next();
                    if (!p.mayEnter(r.getLong("community_id")) || !QueueAccess.mayHandle(p, r.getBoolean("escalated"))) {
                        return Future.failedFuture(notFound());
                    }
                    return Future.succeededFuture(r);
                });
    }

    /** The open items of a community, most urgent first (professionals: the escalated ones). */
    Future<JsonObject> list(Principal p, long communityId) {
        boolean all = QueueAccess.mayModerate(p);
        if (!all) {
            Access.checkCommunity(p, communityId, Action.HANDLE_ESCALATIONS);
        } else {
            Access.checkCommunity(p, communityId, Action.MODERATE);
        }
        return db.pool().preparedQuery(LIST).execute(Tuple.of(communityId, all))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    JsonArray items = new JsonArray();
                    for (Row r : rows) {
                        items.add(ItemSummary.summary(r));
                    }
                    return new JsonObject().put("items", items);
                });
    }

    /** One item with its message, the messages around it, its reports and the author's history. */
    Future<JsonObject> detail(Principal p, String id) {
        return item(p, id).compose(r -> {
            JsonObject item = ItemSummary.summary(r);
            if (r.getLong("room_id") == null) {
                // a VraagBaak question: no room around it, no reports; the asker's history
                return authorHistory(r.getLong("author_id")).map(h -> new JsonObject().put("item", item).put("context", new JsonArray())
                        .put("reportDetails", new JsonArray()).put("authorHistory", h));
            }
            long roomId = r.getLong("room_id");
            Long seq = r.getLong("seq");
            Future<Long> anchor = seq != null ? Future.succeededFuture(seq)
                    : db.pool().preparedQuery(CONTEXT_ANCHOR).execute(Tuple.of(roomId, r.getOffsetDateTime("created_at")))
                            .map(rows -> rows.iterator().next().getLong("seq"));
            Future<List<StoredMessage>> context = anchor.compose(a -> messages.range(roomId, Math.max(0, a - CONTEXT - 1),
                    seq != null ? a + CONTEXT : a));
            Future<RowSet<Row>> reports = seq == null ? Future.succeededFuture(null)
                    : db.pool().preparedQuery(REPORTS_OF).execute(Tuple.of(roomId, seq));
            Future<JsonObject> author = authorHistory(r.getLong("author_id"));
            return Future.all(context, reports, author).map(v -> {
                JsonArray around = new JsonArray();
                for (StoredMessage m : context.result()) {
                    around.add(m.toJson().put("self", seq != null && m.seq() == seq));
                }
                JsonArray reps = new JsonArray();
                if (reports.result() != null) {
                    for (Row x : reports.result()) {
                        JsonObject rep = new JsonObject().put("category", x.getString("category"))
                                .put("at", x.getOffsetDateTime("created_at").toInstant().toString());
                        if (x.getString("reason") != null) {
                            rep.put("reason", x.getString("reason"));
                        }
                        reps.add(rep);
                    }
                }
                return new JsonObject().put("item", item).put("context", around).put("reportDetails", reps)
                        .put("authorHistory", author.result());
            }).recover(t -> Future.failedFuture(t instanceof KringException ? t : db.failure(t)));
        });
    }

    /** A member's earlier queue items and the audit events about them (mutes, bans, warnings), newest first. */
    Future<JsonObject> memberHistory(Principal p, String publicId) {
        if (!QueueAccess.mayModerate(p)) {
            return Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "your role may not moderate"));
        }
        return db.pool().preparedQuery(MEMBER).execute(Tuple.of(publicId))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(rows -> {
                    if (rows.size() == 0 || !p.mayEnter(rows.iterator().next().getLong("community_id"))) {
                        return Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such member"));
                    }
                    Row m = rows.iterator().next();
                    JsonObject member = new JsonObject().put("id", m.getString("public_id")).put("pseudonym", m.getString("pseudonym"))
                            .put("banned", m.getOffsetDateTime("banned_at") != null);
                    if (m.getOffsetDateTime("muted_until") != null && m.getOffsetDateTime("muted_until").toInstant().isAfter(Instant.now())) {
                        member.put("mutedUntil", m.getOffsetDateTime("muted_until").toInstant().toString());
                    }
                    return authorHistory(m.getLong("id")).map(h -> h.put("member", member));
                });
    }

    private Future<JsonObject> authorHistory(long authorId) {
        Future<RowSet<Row>> items = db.pool().preparedQuery(AUTHOR_ITEMS).execute(Tuple.of(authorId));
        Future<RowSet<Row>> audit = db.pool().preparedQuery(AUTHOR_AUDIT).execute(Tuple.of(authorId));
        return Future.all(items, audit).map(v -> {
            JsonArray earlier = new JsonArray();
            for (Row r : items.result()) {
                JsonObject i = new JsonObject().put("id", Long.toString(r.getLong("id"))).put("category", r.getString("category"))
                        .put("severity", r.getString("severity")).put("status", r.getString("status"))
                        .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString());
                if (r.getString("resolution") != null) {
                    i.put("resolution", r.getString("resolution"));
                }
                earlier.add(i);
            }
            JsonArray actions = new JsonArray();
            for (Row r : audit.result()) {
                JsonObject a = new JsonObject().put("at", r.getOffsetDateTime("at").toInstant().toString())
                        .put("action", r.getString("action"));
                if (r.getString("reason") != null) {
                    a.put("reason", r.getString("reason"));
                }
                if (r.getString("actor") != null) {
                    a.put("by", r.getString("actor"));
                }
                actions.add(a);
            }
            return new JsonObject().put("items", earlier).put("actions", actions);
        }).recover(t -> Future.failedFuture(db.failure(t)));
    }

    private static KringException notFound() {
        return new KringException(ErrorCode.NOT_FOUND, "no such item");
    }
}
