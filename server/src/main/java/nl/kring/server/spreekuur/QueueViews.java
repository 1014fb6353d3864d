package nl.kring.server.spreekuur;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.OptionalLong;

/**
 * The one-to-one side as the API and the socket show it: a member's own place ({@code wait}),
 * the queue as hosts see it ({@code spreekuurQueue}), and a talk ({@code talk}) as its member or
 * its host sees it. Pure apart from reading the hosts present. Thread-safe.
 */
final class QueueViews {

    private final HostPresence presence;

    QueueViews(HostPresence presence) {
        this.presence = presence;
    }

    /** A member's own {@code wait} object: waiting with position and estimate, or not waiting. */
    JsonObject mine(Spreekuren.Info info, QueuePositions found, long userId) {
        for (QueuePositions.Waiting w : found.waiting()) {
            if (w.userId() == userId) {
                return waiting(info, found, w);
            }
        }
        return new JsonObject().put("spreekuur", Long.toString(info.id())).put("state", info.isOpen() ? "none" : "closed");
    }

    /** The {@code wait} object of one member in the queue. */
    JsonObject waiting(Spreekuren.Info info, QueuePositions found, QueuePositions.Waiting w) {
        int hosts = presence.hosts(info.roomId());
        JsonObject json = new JsonObject().put("spreekuur", Long.toString(info.id())).put("state", "waiting")
                .put("position", w.position()).put("queueLength", found.waiting().size()).put("hostsPresent", hosts)
                .put("since", w.queuedAt().toString());
        OptionalLong minutes = found.estimate().minutes(w.position(), hosts, found.running());
        if (minutes.isPresent()) {
            json.put("estimatedWaitMinutes", minutes.getAsLong());
        }
        return json;
    }

    /** The whole queue as hosts see it: who waits, at what risk, with their words. */
    JsonObject hostView(Spreekuren.Info info, QueuePositions found) {
        JsonArray list = new JsonArray();
        for (QueuePositions.Waiting w : found.waiting()) {
            JsonObject item = new JsonObject().put("id", Long.toString(w.requestId())).put("position", w.position())
                    .put("member", new JsonObject().put("id", w.publicId()).put("pseudonym", w.pseudonym()))
                    .put("severity", w.severity()).put("since", w.queuedAt().toString());
            if (w.topic() != null) {
                item.put("topic", w.topic());
            }
            list.add(item);
        }
        return new JsonObject().put("spreekuur", Long.toString(info.id())).put("waiting", list)
                .put("talksRunning", found.running()).put("hostsPresent", presence.hosts(info.roomId()))
                .put("typicalTalkMinutes", found.estimate().typical().toMinutes());
    }

    /** A {@code wait} event that ends a member's place ({@code left}, {@code closed}). */
    static JsonObject waitEnded(long spreekuurId, String state) {
        return new JsonObject().put("type", "wait").put("spreekuur", Long.toString(spreekuurId)).put("state", state);
    }

    /** A talk as the API shows it; the member sees their host, the host sees the member and their words. */
    static JsonObject talk(Talk t, boolean forMember) {
        JsonObject json = new JsonObject().put("id", Long.toString(t.id()))
                .put("spreekuur", Long.toString(t.spreekuurId())).put("room", Long.toString(t.roomId()))
                .put("state", t.ended() ? "ended" : "running")
                .put("startedAt", t.startedAt().toString())
                .put("host", new JsonObject().put("id", t.hostPublicId()).put("displayName", t.hostName()).put("role", t.hostRole()));
        if (t.ended()) {
            json.put("endedAt", t.endedAt().toString());
            if (t.signpost() != null) {
                json.put("signpost", t.signpost());
            }
        }
        if (forMember) {
            json.put("feedbackGiven", t.feedbackGiven());
        } else {
            json.put("member", new JsonObject().put("id", t.memberPublicId()).put("pseudonym", t.memberPseudonym()))
                    .put("waitedSeconds", t.waitedSeconds()).put("transfers", t.transfers());
            if (t.severity() != null) {
                json.put("severity", t.severity());
            }
            if (t.topic() != null) {
                json.put("topic", t.topic());
            }
        }
        return json;
    }

    /** The {@code talk} event: a talk in a state ({@code started}, {@code transferred}, {@code handed_over}, {@code ended}). */
    static JsonObject talkEvent(Talk t, String state, boolean forMember) {
        return new JsonObject().put("type", "talk").put("state", state).put("talk", talk(t, forMember));
    }
}
