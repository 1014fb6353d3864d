package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import nl.kring.server.db.Database;

/**
 * What the queue tells the consoles: every change of an item goes to the community's moderators
 * (and, for an escalated item, its professionals) as a {@code queue} event with the item as the
 * queue shows it ({@link ItemSummary}). Thread-safe.
 */
final class QueueEvents {

    private final Database db;
    private final Reach reach;

    QueueEvents(Database db, Reach reach) {
        this.db = db;
        this.reach = reach;
    }

    /**
     * Loads an item and sends a {@code queue} event to the staff who handle it; the item as
     * summarised there.
     */
    Future<JsonObject> announce(long itemId, String event) {
        return db.pool().preparedQuery(ItemSummary.ONE).execute(Tuple.of(itemId))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new JsonObject();
                    }
                    Row r = rows.iterator().next();
                    JsonObject item = ItemSummary.summary(r);
                    boolean escalated = r.getBoolean("escalated");
                    String json = new JsonObject().put("type", "queue").put("event", event).put("item", item).encode();
                    reach.toStaff(r.getLong("community_id"), escalated ? StaffAudience.ESCALATIONS : StaffAudience.MODERATORS, json);
                    return item;
                });
    }
}
