package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import nl.kring.server.peers.Notice;
import nl.kring.server.peers.Peers;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

/**
 * WebSocket tickets across the cluster: a ticket starts with the tag of the node that issued it
 * ({@link TicketStore} keeps it there); redeemed on that node, or asked of it through the peers
 * (the load balancer may send the upgrade elsewhere). A ticket stands for the SHA-256 of its
 * session's token, never the token: that hash is all a redemption on another node is told, and the
 * redeeming node looks the session up in PostgreSQL by it, so no bearer token crosses the cluster
 * (issue 26, item 6). Redemption checks the session again. Thread-safe.
 */
final class WebSocketTickets {

    private final TicketStore store;
    private final SessionTokens tokens;
    private volatile Peers peers = Peers.ALONE;

    WebSocketTickets(TicketStore store, SessionTokens tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    /**
     * A ticket for the session behind {@code token}; {@code password_change_required} while an
     * admin's reset is not followed by a new password, {@code totp_required} while the second factor is missing.
     */
    String issue(String token, Principal principal) {
        if (principal.passwordChangeRequired()) {
            throw new KringException(ErrorCode.PASSWORD_CHANGE_REQUIRED, "choose a new password first");
        }
        if (principal.totpRequired()) {
            throw new KringException(ErrorCode.TOTP_REQUIRED, "enrol a second factor first");
        }
        return peers.node() + "." + store.issue(Secrets.sha256Hex(token), principal.sessionId(), principal.userId());
    }

    /**
     * Consumes a ticket and checks its session again (it may have ended since). A ticket starts
     * with the tag of the node that issued it; one issued by another node is redeemed there.
     */
    Future<Principal> redeem(String ticket) {
        int dot = ticket == null || ticket.length() > 100 ? -1 : ticket.indexOf('.');
        if (dot <= 0) {
            return Future.failedFuture(badTicket());
        }
        String node = ticket.substring(0, dot);
        String own = ticket.substring(dot + 1);
        if (node.equals(peers.node())) {
            return store.consume(own).map(tokens::authenticateHash).orElseGet(() -> Future.failedFuture(badTicket()));
        }
        return peers.ask(node, Notice.TICKET, new JsonObject().put("ticket", own))
                .recover(t -> Future.failedFuture(badTicket()))
                .compose(answer -> tokens.authenticateHash(answer.getString("session")));
    }

    /** Answers other nodes' requests for tickets this node issued. */
    void joinCluster(Peers cluster) {
        this.peers = cluster;
        cluster.answer(Notice.TICKET, n -> store.consume(n.getString("ticket"))
                .map(tokenHash -> Future.succeededFuture(new JsonObject().put("session", tokenHash)))
                .orElseGet(() -> Future.failedFuture("missing, expired or used ticket")));
    }

    private static KringException badTicket() {
        return new KringException(ErrorCode.UNAUTHORIZED, "missing, expired or used ticket");
    }
}
