package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import nl.kring.server.shared.Principal;

/**
 * The consultation-hour calls of the HTTP API ({@code /api/v1/…/spreekuren}, {@code /api/v1/talks/…}),
 * resolved to the schedule and the queue. Thread-safe.
 */
public final class SpreekuurApi {

    private final Spreekuren spreekuren;
    private final TalkQueue queue;

    public SpreekuurApi(Spreekuren spreekuren, TalkQueue queue) {
        this.spreekuren = spreekuren;
        this.queue = queue;
    }

    public Future<JsonObject> list(Principal p, String slug) {
        return spreekuren.list(p, slug);
    }

    public Future<JsonObject> create(Principal p, String slug, JsonObject body) {
        return spreekuren.create(p, slug, body);
    }

    public Future<JsonObject> update(Principal p, String id, JsonObject body) {
        return spreekuren.update(p, id, body);
    }

    public Future<JsonObject> queue(Principal p, String id) {
        return queue.view(p, id);
    }

    public Future<JsonObject> ask(Principal p, String id, JsonObject body) {
        return queue.request(p, id, body);
    }

    public Future<Void> leave(Principal p, String id) {
        return queue.leave(p, id);
    }

    public Future<JsonObject> take(Principal p, String id) {
        return queue.take(p, id);
    }

    public Future<JsonObject> talk(Principal p, String id) {
        return queue.talk(p, id);
    }

    public Future<JsonObject> transfer(Principal p, String id, JsonObject body) {
        return queue.transfer(p, id, body);
    }

    public Future<JsonObject> end(Principal p, String id, JsonObject body) {
        return queue.end(p, id, body);
    }

    public Future<Void> feedback(Principal p, String id, JsonObject body) {
        return queue.feedback(p, id, body);
    }
}
