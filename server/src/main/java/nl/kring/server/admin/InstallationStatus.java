package nl.kring.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.db.Database;
import nl.kring.server.peers.Notice;
import nl.kring.server.peers.Peers;
import nl.kring.server.shared.Principal;

/**
 * The operators' status of the whole installation ({@code GET /api/v1/ops/status}, issue 27):
 * every node of the cluster with its open connections, the database, the oldest open moderation
 * item of any community, and Alertmanager's firing alerts. Numbers only, never content. Each other
 * node is asked for its count ({@link Notice#NODE_STATUS}); one that does not answer within the
 * peers' ask timeout is listed with {@code connections: null}. Thread-safe.
 */
public final class InstallationStatus {

    static final String OLDEST_OPEN = "SELECT min(created_at) AS oldest FROM mod_items WHERE status = 'open'";

    /** Connections of a named pool in use now. */
    @FunctionalInterface
    public interface PoolInUse {
        int of(String poolName);
    }

    private final Database db;
    private final Peers peers;
    private final IntSupplier connections;
    private final PoolInUse poolInUse;
    /** {@code null} when KRING_ALERTMANAGER_URL is unset. */
    private final Alertmanager alertmanager;

    /**
     * @param connections  this node's open WebSocket sessions
     * @param alertmanager {@code null} when KRING_ALERTMANAGER_URL is unset
     */
    public InstallationStatus(Database db, Peers peers, IntSupplier connections, PoolInUse poolInUse, Alertmanager alertmanager) {
        this.db = db;
        this.peers = peers;
        this.connections = connections;
        this.poolInUse = poolInUse;
        this.alertmanager = alertmanager;
    }

    /** Answers the other nodes' question for this node's connections. */
    public void answerPeers() {
        peers.answer(Notice.NODE_STATUS, question -> Future.succeededFuture(new JsonObject().put("connections", connections.getAsInt())));
    }

    /** The status, for installation admins and operators; {@code forbidden} for anyone else. */
    public Future<JsonObject> of(Principal p) {
        Access.checkInstallation(p, Action.SEE_INSTALLATION_STATUS);
        Future<JsonArray> nodes = nodes();
        Future<String> oldest = db.pool().query(OLDEST_OPEN).execute()
                .map(rows -> {
                    OffsetDateTime at = rows.iterator().next().getOffsetDateTime("oldest");
                    return at == null ? null : at.toInstant().toString();
                })
                .recover(t -> Future.failedFuture(db.failure(t)));
        Future<JsonArray> alerts = alertmanager == null ? Future.succeededFuture() : alertmanager.firing();
        return Future.join(nodes, oldest, alerts).transform(done -> {
            if (oldest.failed()) {
                return Future.failedFuture(oldest.cause());
            }
            JsonObject status = new JsonObject().put("nodes", nodes.result())
                    .put("database", new JsonObject().put("up", db.isUp()).put("poolSize", db.poolSize())
                            .put("poolInUse", Math.min(db.poolSize(), poolInUse.of(Database.POOL_NAME))))
                    .put("oldestOpenItemAt", oldest.result())
                    .put("alerts", alerts.succeeded() ? alerts.result() : null);
            if (alerts.failed()) {
                status.put("alertsError", "unreachable");
            }
            return Future.succeededFuture(status);
        });
    }

    /** Every member of the cluster (this node first), each with its connections or {@code null} when it did not answer. */
    Future<JsonArray> nodes() {
        String self = peers.node();
        List<String> others = peers.nodes().stream().filter(n -> !n.equals(self)).sorted().toList();
        List<Future<Integer>> counts = new ArrayList<>();
        for (String node : others) {
            counts.add(peers.ask(node, Notice.NODE_STATUS, new JsonObject())
                    .map(answer -> answer.getInteger("connections")).otherwise((Integer) null));
        }
        return Future.all(counts).map(v -> {
            JsonArray out = new JsonArray().add(node(self, connections.getAsInt(), true));
            for (int i = 0; i < others.size(); i++) {
                out.add(node(others.get(i), counts.get(i).result(), false));
            }
            return out;
        });
    }

    private static JsonObject node(String id, Integer connections, boolean self) {
        return new JsonObject().put("id", id).put("connections", connections).put("self", self);
    }
}
