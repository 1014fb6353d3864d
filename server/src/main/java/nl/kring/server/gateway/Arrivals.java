package nl.kring.server.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.function.Consumer;
import nl.kring.server.db.Database;
import nl.kring.server.moderation.MemberNotices;
import nl.kring.server.shared.Principal;
import nl.kring.server.spreekuur.TalkQueue;

/**
 * A new connection's first frames: {@code welcome}, then for a member the moderation notices not
 * seen yet and their places in consultation hours' queues and running talks (one statement,
 * {@link ConnectReads}); for a host, their running talks. Node-wide.
 */
final class Arrivals {

    private final Database db;
    private final MemberNotices notices;
    private final TalkQueue talks;
    private final int heartbeatSeconds;

    Arrivals(Database db, MemberNotices notices, TalkQueue talks, int heartbeatSeconds) {
        this.db = db;
        this.notices = notices;
        this.talks = talks;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    int heartbeatSeconds() {
        return heartbeatSeconds;
    }

    void welcome(Session s) {
        Principal principal = s.principal();
        s.sendEvent(new JsonObject()
                .put("type", "welcome")
                .put("user", principal.toJson())
                .put("heartbeatSeconds", heartbeatSeconds)
                .put("serverTime", Instant.now().toString())
                .encode());
        Consumer<String> later = json -> s.context().runOnContext(v -> s.sendEvent(json));
        if (!principal.isMember()) {
            // a host's running talks: told again on every connection
            talks.connected(principal, later);
            return;
        }
        if (!db.isUp()) {
            return;
        }
        // moderation notices the member has not seen yet (a removed message, a warning, a mute), then a
        // place in a consultation hour's queue or a talk running: one statement for both
        s.then(ConnectReads.forMember(db, principal.userId()), ar -> {
            if (ar.failed()) {
                return; // the member sees them on the next connection
            }
            s.then(notices.events(principal, ar.result().notices()), events -> {
                if (events.succeeded()) {
                    events.result().forEach(n -> s.sendEvent(((JsonObject) n).encode()));
                }
                for (Row r : ar.result().pending()) {
                    talks.resume(principal, r.getString("what"), r.getLong("id"), later);
                }
            });
        });
    }
}
