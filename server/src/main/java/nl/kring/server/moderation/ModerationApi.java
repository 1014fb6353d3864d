package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import nl.kring.server.shared.Principal;
import nl.kring.server.communities.CommunityRepository;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;

/**
 * The moderation calls of the HTTP API ({@code /api/v1/moderation/…} and a member's notices),
 * resolved to the services that do the work. Thread-safe.
 */
public final class ModerationApi {

    private final CommunityRepository communities;
    private final ModerationQueue queue;
    private final ModerationActions actions;
    private final Coverage coverage;
    private final MemberNotices notices;
    private final Database db;

    public ModerationApi(CommunityRepository communities, ModerationQueue queue, ModerationActions actions, Coverage coverage,
                         MemberNotices notices, Database db) {
        this.communities = communities;
        this.queue = queue;
        this.actions = actions;
        this.coverage = coverage;
        this.notices = notices;
        this.db = db;
    }

    public Future<JsonObject> queue(Principal p, String slug) {
        return communities.bySlug(slug)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(c -> c.isEmpty() || !p.mayEnter(c.get().id())
                        ? Future.failedFuture(new KringException(ErrorCode.NOT_FOUND, "no such community"))
                        : queue.list(p, c.get().id()));
    }

    public Future<JsonObject> item(Principal p, String id) {
        return queue.detail(p, id);
    }

    public Future<JsonObject> claim(Principal p, String id) {
        return queue.claim(p, id).map(item -> new JsonObject().put("item", item));
    }

    public Future<JsonObject> unclaim(Principal p, String id) {
        return queue.unclaim(p, id).map(item -> new JsonObject().put("item", item));
    }

    public Future<JsonObject> act(Principal p, String id, JsonObject body) {
        return actions.act(p, id, body).map(item -> new JsonObject().put("item", item));
    }

    public Future<JsonObject> duty(Principal p) {
        return coverage.duty(p);
    }

    public Future<JsonObject> setDuty(Principal p, JsonObject body) {
        return coverage.setDuty(p, body);
    }

    public Future<JsonObject> memberHistory(Principal p, String memberId) {
        return queue.memberHistory(p, memberId);
    }

    public Future<JsonObject> notices(Principal p) {
        return notices.unseen(p).map(list -> new JsonObject().put("notices", list));
    }

    public Future<Void> seen(Principal p, String id) {
        return notices.seen(p, id);
    }
}
