package nl.kring.server.peers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The other nodes of the cluster, as the services see them: tell them something, hear what they
 * tell, ask one of them. Alone ({@link #ALONE}) there is nobody to tell and nothing to hear.
 * A service changes its own state first and then tells the others, whose handlers change only
 * their local state (never telling on), so a notice never echoes.
 */
public interface Peers {

    /** This node's tag (in tickets it issues, so that another node knows whom to ask). */
    String node();

    /** The tags of every node in the cluster as this node sees its membership, this one's included. */
    default java.util.List<String> nodes() {
        return java.util.List.of(node());
    }

    /** Tells every other node; at most once each (the event bus does not retry). */
    void tell(Notice notice, JsonObject body);

    /** Handles what other nodes tell (never what this node told). */
    void on(Notice notice, Consumer<JsonObject> handler);

    /** Asks one node (by its tag) and gets its answer; fails when it is gone or does not answer in time. */
    Future<JsonObject> ask(String node, Notice notice, JsonObject body);

    /** Answers what other nodes ask this one. */
    void answer(Notice notice, Function<JsonObject, Future<JsonObject>> handler);

    /** A node on its own. */
    Peers ALONE = new Peers() {
        private final String node = java.util.UUID.randomUUID().toString().substring(0, 8);

        @Override
        public String node() {
            return node;
        }

        @Override
        public void tell(Notice notice, JsonObject body) {
        }

        @Override
        public void on(Notice notice, Consumer<JsonObject> handler) {
        }

        @Override
        public Future<JsonObject> ask(String node, Notice notice, JsonObject body) {
            return Future.failedFuture("no node " + node + " (this node runs alone)");
        }

        @Override
        public void answer(Notice notice, Function<JsonObject, Future<JsonObject>> handler) {
        }
    };
}
