package nl.kring.server.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.Consumer;
import java.util.function.Function;
import nl.kring.server.metrics.KringMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import nl.kring.server.peers.Peers;
import nl.kring.server.peers.Notice;

/**
 * {@link Peers} on Vert.x's clustered event bus: a notice is one publish to its kind's address
 * (each node gets it once, whatever it has to do with it); a question goes to the address of one
 * node ({@code address.tag}). Every body carries the sender's tag so that a node ignores its own.
 */
public final class EventBusPeers implements Peers {

    private static final Logger log = LoggerFactory.getLogger(EventBusPeers.class);
    static final long ASK_TIMEOUT_MS = 2_000;

    private final Vertx vertx;
    private final KringMetrics metrics;
    private final String node;
    private final Supplier<List<String>> members;

    /**
     * @param nodeId  this node's id in the cluster manager's membership
     * @param members the ids of every member, this one's included (the cluster manager's view)
     */
    public EventBusPeers(Vertx vertx, KringMetrics metrics, String nodeId, Supplier<List<String>> members) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.node = tag(nodeId);
        this.members = members;
    }

    /** A member's tag: 12 hex digits of its cluster node id (short, for tickets; unique enough among a few nodes). */
    static String tag(String nodeId) {
        String hex = nodeId.replace("-", "");
        return hex.length() >= 12 ? hex.substring(0, 12) : hex;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public List<String> nodes() {
        return members.get().stream().map(EventBusPeers::tag).toList();
    }

    @Override
    public void tell(Notice notice, JsonObject body) {
        metrics.clusterNotice(notice.tag(), true);
        vertx.eventBus().publish(notice.address(), body.copy().put("node", node));
    }

    @Override
    public void on(Notice notice, Consumer<JsonObject> handler) {
        vertx.eventBus().<JsonObject>consumer(notice.address(), m -> {
            if (node.equals(m.body().getString("node"))) {
                return;
            }
            metrics.clusterNotice(notice.tag(), false);
            try {
                handler.accept(m.body());
            } catch (RuntimeException e) {
                log.warn("cluster notice failed [kind: {}, error: {}]", notice.tag(), e.getClass().getSimpleName());
            }
        });
    }

    @Override
    public Future<JsonObject> ask(String to, Notice notice, JsonObject body) {
        metrics.clusterNotice(notice.tag(), true);
        return vertx.eventBus().<JsonObject>request(notice.address() + "." + to, body.copy().put("node", node),
                new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS)).map(m -> m.body());
    }

    @Override
    public void answer(Notice notice, Function<JsonObject, Future<JsonObject>> handler) {
        vertx.eventBus().<JsonObject>consumer(notice.address() + "." + node, m -> {
            metrics.clusterNotice(notice.tag(), false);
            handler.apply(m.body()).onComplete(ar -> {
                if (ar.succeeded()) {
                    m.reply(ar.result());
                } else {
                    m.fail(ar.cause() instanceof ReplyException r ? r.failureCode() : 1, String.valueOf(ar.cause().getMessage()));
                }
            });
        });
    }
}
