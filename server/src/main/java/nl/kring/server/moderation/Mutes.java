package nl.kring.server.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import nl.kring.server.peers.Notice;
import nl.kring.server.peers.Peers;
import nl.kring.server.db.Database;

/**
 * Members who may not send for a while. The truth is {@code users.muted_until}; this node keeps
 * the active mutes in memory (loaded at start, updated by every mute), so a send checks without
 * a query and a mute holds on every socket, after a reconnect and after a restart. Thread-safe.
 */
public final class Mutes {

    static final String ACTIVE = "SELECT id, muted_until FROM users WHERE muted_until > now()";

    private final ConcurrentHashMap<Long, Instant> until = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Peers peers = Peers.ALONE;

    public Mutes(Clock clock) {
        this.clock = clock;
    }

    /** Reads the active mutes (at start). */
    public Future<Void> load(Database db) {
        return db.pool().query(ACTIVE).execute().map(rows -> {
            for (Row r : rows) {
                until.put(r.getLong("id"), r.getOffsetDateTime("muted_until").toInstant());
            }
            return null;
        });
    }

    /** Records a mute that was stored ({@code null}: lifted), here and on every other node of a cluster. */
    public void set(long userId, Instant mutedUntil) {
        setHere(userId, mutedUntil);
        peers.tell(Notice.MUTED, new JsonObject().put("user", userId)
                .put("until", mutedUntil == null ? null : mutedUntil.toEpochMilli()));
    }

    /** Hears the mutes set on other nodes. */
    public void joinCluster(Peers cluster) {
        this.peers = cluster;
        cluster.on(Notice.MUTED, n -> setHere(n.getLong("user"),
                n.getLong("until") == null ? null : Instant.ofEpochMilli(n.getLong("until"))));
    }

    private void setHere(long userId, Instant mutedUntil) {
        if (mutedUntil == null) {
            until.remove(userId);
        } else {
            until.put(userId, mutedUntil);
        }
    }

    /** Milliseconds until the user may send again; 0 when not muted. */
    public long remainingMs(long userId) {
        Instant end = until.get(userId);
        if (end == null) {
            return 0;
        }
        long ms = end.toEpochMilli() - clock.millis();
        if (ms <= 0) {
            until.remove(userId, end);
            return 0;
        }
        return ms;
    }
}
