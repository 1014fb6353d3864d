package nl.kring.server.rooms;

import nl.kring.server.protocol.OutFrame;

/**
 * One socket's membership of one room. All methods are called on the event loop that owns the
 * socket (the shard's context), never concurrently.
 */
public interface RoomMember {

    /** A message event; the frame is encoded once for every member. */
    void deliver(long seq, OutFrame frame);

    /** A {@code redacted} event for a message with this seq. */
    void redacted(long seq, OutFrame frame);

    /** Any other room event (presence, typing). */
    void event(OutFrame frame);

    /** The user behind the socket, for presence and for not echoing typing. */
    long userId();

    /**
     * The room's settings changed (an admin's change, here or on another node): the member checks
     * whether its user may still be in the room and, if not, leaves it and tells the client. Called
     * on the member's event loop, after {@link Room#settings()} holds the new settings.
     */
    default void settingsChanged() {
    }

    /** Whether this user takes one of the room's places (members do; staff always get in and take none). */
    default boolean takesAPlace() {
        return true;
    }
}
