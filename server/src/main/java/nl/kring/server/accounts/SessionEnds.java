package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import nl.kring.server.db.Database;
import nl.kring.server.peers.Notice;
import nl.kring.server.peers.Peers;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.shared.Principal;

/**
 * The end of sessions: a logout, one session ended, every session of a user (ban, erasure,
 * revocation). The database first, then this node's token cache and tickets, then the sockets
 * ({@link AuthService.SocketCloser}); the other nodes of a cluster are told and do the same for
 * theirs, and find it in PostgreSQL within about a second when the notice is lost
 * ({@link RevocationWatch}). Thread-safe.
 */
final class SessionEnds {

    private static final AuthService.SocketCloser NO_SOCKETS = new AuthService.SocketCloser() {
        @Override
        public void closeSession(long sessionId) {
        }

        @Override
        public void closeUser(long userId, CloseCode code) {
        }
    };

    private final Database db;
    private final AccountRepository accounts;
    private final SessionTokens tokens;
    private final TicketStore tickets;
    private volatile Peers peers = Peers.ALONE;
    private volatile AuthService.SocketCloser sockets = NO_SOCKETS;

    SessionEnds(Database db, AccountRepository accounts, SessionTokens tokens, TicketStore tickets) {
        this.db = db;
        this.accounts = accounts;
        this.tokens = tokens;
        this.tickets = tickets;
    }

    void onSocketsToClose(AuthService.SocketCloser closer) {
        this.sockets = closer;
    }

    /** Ends the session behind this token: revoked in PostgreSQL, forgotten here, its tickets dropped and its sockets closed (4500). */
    Future<Void> logout(Principal principal, String token) {
        return revoke(principal.userId(), principal.sessionId(), "logout")
                .onSuccess(found -> {
                    tokens.forgetToken(token);
                    forgetSession(principal.sessionId());
                })
                .mapEmpty();
    }

    /**
     * Ends one session of a user (a device they no longer trust); false when it was not open.
     * The token is not known here, so the cache is searched for the session.
     */
    Future<Boolean> endSession(long userId, long sessionId, String reason) {
        return revoke(userId, sessionId, reason)
                .onSuccess(found -> {
                    tokens.forgetSession(sessionId);
                    forgetSession(sessionId);
                });
    }

    private Future<Boolean> revoke(long userId, long sessionId, String reason) {
        return accounts.revokeSession(sessionId, userId, reason).recover(t -> Future.failedFuture(db.failure(t)));
    }

    private void forgetSession(long sessionId) {
        tickets.revokeSession(sessionId);
        sockets.closeSession(sessionId);
        peers.tell(Notice.SESSION_ENDED, new JsonObject().put("session", sessionId));
    }

    /**
     * Another node ended a session (its notice, or {@link RevocationWatch} finding it in
     * PostgreSQL): forget it here too (cached token, tickets) and close its sockets here.
     */
    void sessionEndedElsewhere(long sessionId) {
        tokens.forgetSession(sessionId);
        tickets.revokeSession(sessionId);
        sockets.closeSession(sessionId);
    }

    /**
     * Ends every session of a user (ban: close 4503; erasure, revocation: 4500). The database
     * change comes first, so that no other node's cache can bring a session back for longer
     * than {@link SessionTokens#CACHE_TTL}; this node forgets them at once.
     */
    Future<List<Long>> endUser(long userId, String reason, CloseCode code) {
        return accounts.revokeUserSessions(userId, reason)
                .recover(t -> Future.failedFuture(db.failure(t)))
                .onSuccess(ids -> forgetUser(userId, code));
    }

    /**
     * After a user's own password change: the sessions {@code ended} (every other one, already
     * revoked in PostgreSQL) are forgotten and their sockets closed with 4500 here and on every
     * node; the session that stays is read again (its principal changed), its sockets stay open.
     */
    void endedOthers(long userId, List<Long> ended) {
        forgetUser(userId, null);
        for (long sessionId : ended) {
            forgetSession(sessionId);
        }
    }

    /** Drops a user's cached sessions and tickets here and closes their sockets (after a ban or a change of their account). */
    void forgetUser(long userId, CloseCode code) {
        forgetUserHere(userId, code);
        JsonObject notice = new JsonObject().put("user", userId);
        if (code != null) {
            notice.put("code", code.name());
        }
        peers.tell(Notice.USER_ENDED, notice);
    }

    /** Drops a user's cached sessions and tickets on this node only, and closes their sockets here unless {@code code} is null. */
    void forgetUserHere(long userId, CloseCode code) {
        tokens.forgetUser(userId);
        tickets.revokeUser(userId);
        if (code != null) {
            sockets.closeUser(userId, code);
        }
    }

    /**
     * Hears of sessions and users ended on other nodes (within the event bus's delay, not after
     * the cache's). A notice lost on the way is made up for by {@link RevocationWatch} within about a second.
     */
    void joinCluster(Peers cluster) {
        this.peers = cluster;
        cluster.on(Notice.SESSION_ENDED, n -> sessionEndedElsewhere(n.getLong("session")));
        cluster.on(Notice.USER_ENDED, n -> forgetUserHere(n.getLong("user"),
                n.containsKey("code") ? CloseCode.valueOf(n.getString("code")) : null));
    }
}
