package nl.kring.loadtest.gen;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;

/**
 * Opens one session's socket as an outside client of the protocol: a ticket over HTTP when the session
 * has a token (Kring; the bare relay takes none), then the WebSocket upgrade from the session's source
 * address. {@link #reason} names a failed attempt for the stats. Holds no state of its own; called on
 * the session's event loop.
 */
final class Handshake {

    private final Plan plan;
    private final HttpClient http;
    private final List<WebSocketClient> clients;

    Handshake(Plan plan, HttpClient http, List<WebSocketClient> clients) {
        this.plan = plan;
        this.http = http;
        this.clients = clients;
    }

    /** The ticket (when {@code token} is not null), then the upgrade of session {@code index}. */
    Future<WebSocket> open(int index, String token) {
        return ticket(index, token).compose(ticket -> clients.get(index % clients.size()).connect(new WebSocketConnectOptions()
                .setHost(plan.host()).setPort(plan.port(index)).setURI(ticket == null ? "/ws" : "/ws?ticket=" + ticket)));
    }

    private Future<String> ticket(int index, String token) {
        if (token == null) {
            return Future.succeededFuture(null);
        }
        return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(plan.host()).setPort(plan.port(index))
                        .setURI("/api/v1/ws-ticket").putHeader("Authorization", "Bearer " + token))
                .compose(req -> req.send().compose(resp -> resp.body().compose(body -> resp.statusCode() == 200
                        ? Future.succeededFuture(Frames.stringAfter(body.toString(), "\"ticket\":\""))
                        : Future.failedFuture(new IllegalStateException("ticket-http-" + resp.statusCode())))));
    }

    /** The key a failed attempt is counted under: {@code http-503}, {@code ticket-http-429}, or the exception's name. */
    static String reason(Throwable t) {
        if (t instanceof UpgradeRejectedException u) {
            return "http-" + u.getStatus();
        }
        String m = t.getMessage();
        if (m != null && m.startsWith("ticket-http-")) {
            return m;
        }
        if (m != null && m.contains("getStatus: ")) {
            // Netty's handshake failure names the status the server answered with.
            return "http-" + m.substring(m.indexOf("getStatus: ") + 11).split(" ")[0];
        }
        return t.getClass().getSimpleName();
    }
}
