package nl.kring.server.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.kring.server.shared.StoredMessage;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.rooms.RoomPublisher;
import nl.kring.server.rooms.RoomRegistry;

/**
 * Messages committed on one node reach the members on every other node (issue 9,
 * docs/adr/0008-cluster-fan-out.md). A room's seq comes from its counter row in PostgreSQL,
 * whichever node writes, so seqs stay gap-free across nodes. This listens to the node's
 * {@link RoomPublisher}: each batch committed here goes on the clustered event bus once (one
 * message per node, never one per member), and each node that has the room active hands it to
 * its own publisher, which delivers it above the room's lastSeq, reading any gap from PostgreSQL
 * first. Thin: the ordering rules are the publisher's.
 */
public final class ClusterFanOut {

    /** The event-bus address every node publishes its committed batches to. */
    public static final String ADDRESS = "kring.messages";

    private final Vertx vertx;
    private final RoomRegistry rooms;
    private final RoomPublisher publisher;
    private final KringMetrics metrics;
    private final String node = UUID.randomUUID().toString();

    public ClusterFanOut(Vertx vertx, RoomRegistry rooms, RoomPublisher publisher, KringMetrics metrics) {
        this.vertx = vertx;
        this.rooms = rooms;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** How often the active rooms are compared with PostgreSQL for a publish that never arrived. */
    static final long CATCH_UP_MS = 1_000;

    /**
     * Registers the consumer, subscribes to the publisher to send each committed batch to the other nodes, and
     * compares the active rooms' lastSeq with PostgreSQL every second (one statement), so that a
     * lost publish costs a quiet room at most about two seconds instead of waiting for its next message.
     */
    public void start() {
        vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> received(m.body()));
        publisher.onCommitted(this::publish);
        vertx.setPeriodic(CATCH_UP_MS, id -> rooms.behind().onSuccess(publisher::catchUp));
    }

    private void publish(List<StoredMessage> committed) {
        JsonArray list = new JsonArray();
        for (StoredMessage m : committed) {
            list.add(m.toJson());
        }
        metrics.clusterNotice("messages", true);
        vertx.eventBus().publish(ADDRESS, new JsonObject().put("node", node).put("at", System.currentTimeMillis())
                .put("messages", list));
    }

    private void received(JsonObject batch) {
        if (node.equals(batch.getString("node"))) {
            return; // published here already
        }
        metrics.clusterNotice("messages", false);
        metrics.crossNodeLatency(System.currentTimeMillis() - batch.getLong("at"));
        // only the rooms active here are decoded: with members on few nodes, most of a batch is for rooms elsewhere
        Map<Long, List<StoredMessage>> byRoom = new HashMap<>();
        for (Object o : batch.getJsonArray("messages")) {
            JsonObject json = (JsonObject) o;
            long roomId = Long.parseLong(json.getString("room"));
            if (byRoom.containsKey(roomId) || rooms.ifActive(roomId).isPresent()) {
                byRoom.computeIfAbsent(roomId, k -> new ArrayList<>()).add(StoredMessage.fromJson(json));
            }
        }
        byRoom.forEach((roomId, messages) -> rooms.ifActive(roomId).ifPresent(room -> publisher.publishRemote(room, messages)));
    }
}
