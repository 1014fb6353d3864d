package nl.kring.server.moderation;

/**
 * How moderation and the consultation hours reach people who are connected (implemented by the gateway's session
 * registry, so that this package does not depend on the gateway). Thread-safe.
 */
public interface Reach {

    /** Sends an event to every socket of the community's staff in the audience; how many sockets (or staff members elsewhere). */
    int toStaff(long communityId, StaffAudience who, String json);

    /** Sends an event to every socket of one user; how many sockets. */
    int toUser(long userId, String json);

    /** Whether the user has a socket open (on any node of a cluster, for staff). */
    boolean hasSocket(long userId);

    /**
     * Takes every socket of one user out of a room (a talk handed to another host: the first host
     * reads no further) and then sends them {@code json}; how many sockets.
     */
    int removeFromRoom(long userId, long roomId, String json);
}
