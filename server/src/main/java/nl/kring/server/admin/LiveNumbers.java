package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import nl.kring.server.access.Action;
import nl.kring.server.db.Database;
import nl.kring.server.shared.Principal;

/**
 * A community's live numbers for the back office (issue 27): members online, open moderation
 * queue items and the oldest one's creation. Numbers only, never content, so operators see them
 * too ("see live numbers"). Stateless.
 */
public final class LiveNumbers {

    static final String OPEN_ITEMS = "SELECT count(*) AS n, min(created_at) AS oldest FROM mod_items WHERE status = 'open' AND community_id = $1";

    /** Members (naasten included) with a socket open in a community: distinct users, on this node. */
    @FunctionalInterface
    public interface MembersOnline {
        int in(long communityId);
    }

    private final Database db;
    private final CommunityAdmin communities;
    private final MembersOnline online;

    public LiveNumbers(Database db, CommunityAdmin communities, MembersOnline online) {
        this.db = db;
        this.communities = communities;
        this.online = online;
    }

    public Future<JsonObject> of(Principal p, String slug) {
        return communities.community(p, slug, Action.SEE_LIVE_NUMBERS).compose(c -> db.pool().preparedQuery(OPEN_ITEMS)
                .execute(Tuple.of(c.id()))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    OffsetDateTime oldest = r.getOffsetDateTime("oldest");
                    return new JsonObject().put("membersOnline", online.in(c.id())).put("openQueueItems", r.getLong("n").intValue())
                            .put("oldestOpenItemAt", oldest == null ? null : oldest.toInstant().toString());
                }));
    }
}
