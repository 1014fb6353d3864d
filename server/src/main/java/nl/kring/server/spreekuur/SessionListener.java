package nl.kring.server.spreekuur;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * What the consultation-hour clock ({@link Spreekuren}) tells the one that keeps state per session
 * (the {@link TalkQueue}): that the clock started, that a session closes, that the staff present
 * in a group room changed. Spreekuren knows only this interface, so the clock and the queue do
 * not know each other both ways. Implementations are thread-safe.
 */
interface SessionListener {

    /** The clock made its first tick (the database is up). */
    void started();

    /**
     * Runs inside the transaction that closes a session and closes what hangs on it. The step it
     * answers runs after the commit, once the session is reloaded, with the closing words members
     * read; it does not run when the session is gone by then.
     */
    Future<AfterClose> closing(SqlConnection conn, long spreekuurId);

    /** The staff present in a session's group room on this node changed. */
    void hostsChanged(long spreekuurId);

    /** What a listener does once a session has closed. */
    interface AfterClose {
        void closed(Spreekuren.Info info, JsonObject closing);
    }

    /** Listens to nothing (until the queue registers). */
    SessionListener NONE = new SessionListener() {
        @Override
        public void started() {
        }

        @Override
        public Future<AfterClose> closing(SqlConnection conn, long spreekuurId) {
            return Future.succeededFuture((info, closing) -> {
            });
        }

        @Override
        public void hostsChanged(long spreekuurId) {
        }
    };
}
