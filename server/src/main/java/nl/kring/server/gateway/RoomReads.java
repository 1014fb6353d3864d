package nl.kring.server.gateway;

import io.vertx.core.Future;
import java.util.List;
import nl.kring.server.access.Access;
import nl.kring.server.access.Action;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.KringException;
import nl.kring.server.rooms.HistoryCache;
import nl.kring.server.rooms.MessageRepository;
import nl.kring.server.rooms.Room;
import nl.kring.server.rooms.RoomRegistry;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.StoredMessage;

/**
 * What the socket's requests read of a room: the room itself when the user may act there, and
 * a range of its messages (from the history cache when it holds them all, else PostgreSQL).
 * Node-wide and thread-safe.
 */
final class RoomReads {

    private final RoomRegistry rooms;
    private final HistoryCache history;
    private final MessageRepository messages;
    private final Database db;

    RoomReads(RoomRegistry rooms, HistoryCache history, MessageRepository messages, Database db) {
        this.rooms = rooms;
        this.history = history;
        this.messages = messages;
        this.db = db;
    }

    RoomRegistry rooms() {
        return rooms;
    }

    MessageRepository messages() {
        return messages;
    }

    /** The room, if it exists and this user may do {@code action} there ({@link Access}: not_found or forbidden otherwise). */
    Future<Room> enter(Principal principal, String roomId, Action action) {
        return rooms.get(roomId).compose(room -> {
            KringException refusal = Access.refusal(principal, room.communityId(), room.settings(), action,
                    room.isParticipant(principal.userId()));
            return refusal == null ? Future.succeededFuture(room) : Future.failedFuture(refusal);
        });
    }

    /** Messages {@code after < seq <= upTo}: from the history cache when it holds them all, else PostgreSQL. */
    Future<List<StoredMessage>> backlog(Room room, long after, long upTo) {
        if (upTo <= after) {
            return Future.succeededFuture(List.of());
        }
        return history.range(room.id(), after, upTo)
                .map(Future::succeededFuture)
                .orElseGet(() -> messages.range(room.id(), after, upTo)
                        .recover(t -> Future.failedFuture(db.failure(t))));
    }

    /** The database's typed failure for an error (unavailable with a retry time while it is away or busy). */
    KringException failure(Throwable t) {
        return db.failure(t);
    }
}
