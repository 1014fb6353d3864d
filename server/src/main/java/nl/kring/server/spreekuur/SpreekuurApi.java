package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import nl.kring.server.admin.Fields;
import nl.kring.server.shared.Principal;

/**
 * The consultation-hour calls of the HTTP API ({@code /api/v1/…/spreekuren}, {@code /api/v1/talks/…}):
 * parses the raw ids of the path and the request bodies into typed values and hands them to the
 * schedule ({@link ScheduleAdmin}), the queue ({@link TalkQueue}) and the talks ({@link Talks}).
 * An id that cannot be one is {@code not_found}, as an unknown one is. Where the domain refuses
 * before it reads the body (asking in a closed session, feedback from staff), that refusal is
 * asked for first, so a request wrong in two ways is answered as before. Thread-safe.
 */
public final class SpreekuurApi {

    static final int MAX_TOPIC = 500;
    static final int MAX_COMMENT = 1000;

    private final ScheduleAdmin schedule;
    private final TalkQueue queue;
    private final Talks talks;

    public SpreekuurApi(ScheduleAdmin schedule, TalkQueue queue) {
        this.schedule = schedule;
        this.queue = queue;
        this.talks = queue.talks();
    }

    public Future<JsonObject> list(Principal p, String slug) {
        return schedule.list(p, slug);
    }

    public Future<JsonObject> create(Principal p, String slug, JsonObject body) {
        return schedule.create(p, slug, body);
    }

    public Future<JsonObject> update(Principal p, String id, JsonObject body) {
        return schedule.update(p, spreekuurId(id), body);
    }

    public Future<JsonObject> queue(Principal p, String id) {
        return queue.view(p, spreekuurId(id));
    }

    /** Body: {@code topic} (optional, 1 to 500 characters, or null). */
    public Future<JsonObject> ask(Principal p, String id, JsonObject body) {
        long spreekuurId = spreekuurId(id);
        queue.askable(p, spreekuurId);
        String topic = body.containsKey("topic") && body.getValue("topic") != null
                ? Fields.string(body, "topic", 1, MAX_TOPIC) : null;
        return queue.request(p, spreekuurId, topic);
    }

    public Future<Void> leave(Principal p, String id) {
        return queue.leave(p, spreekuurId(id));
    }

    public Future<JsonObject> take(Principal p, String id) {
        return talks.take(p, spreekuurId(id));
    }

    public Future<JsonObject> talk(Principal p, String id) {
        return talks.talk(p, talkId(id));
    }

    /** Body: {@code to} (the new host's id), {@code reason} (optional, for the audit). */
    public Future<JsonObject> transfer(Principal p, String id, JsonObject body) {
        String to = Fields.string(body, "to", 1, 64);
        String reason = Fields.string(body, "reason", 0, 500, "");
        return talks.transfer(p, talkId(id), to, reason);
    }

    /** Body: {@code signpost} (a host's: group, resources, care or none; resources when absent). A member's body is not read. */
    public Future<JsonObject> end(Principal p, String id, JsonObject body) {
        Signpost signpost = p.isMember() ? Signpost.NONE : Signpost.of(Fields.oneOf(body, "signpost",
                List.of("group", "resources", "care", "none"), "resources"));
        return talks.end(p, talkId(id), signpost);
    }

    /** Body: {@code score} (0 to 10), {@code comment} (optional, up to 1000 characters). */
    public Future<Void> feedback(Principal p, String id, JsonObject body) {
        Talks.checkFeedbackGiver(p);
        int score = Fields.integer(body, "score", 0, 10, null);
        String comment = body.getValue("comment") == null ? null : Fields.string(body, "comment", 1, MAX_COMMENT);
        return talks.feedback(p, talkId(id), score, comment);
    }

    private static long spreekuurId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw Spreekuren.notFound();
        }
    }

    private static long talkId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw Talks.noTalk();
        }
    }
}
