package nl.kring.server.peers;

import java.util.Locale;

/**
 * What one node tells the others, besides committed messages ({@link ClusterFanOut}): every piece
 * of node-local state that another node changed, or an event for people connected elsewhere. One
 * place for every kind, each with its own event-bus address (issue 9, docs/adr/0009-cluster-notices.md).
 */
public enum Notice {
    /** An auth session ended (logout, a device ended): forget its cached token and tickets, close its sockets (4500). */
    SESSION_ENDED,
    /** Every session of a user ended or their account changed: forget them; close their sockets with {@code code} if given. */
    USER_ENDED,
    /** A member was muted or the mute lifted. */
    MUTED,
    /** An event for every socket of one user. */
    TO_USER,
    /** An event for the staff of a community (queue items, imminent-risk alerts, consultation hours). */
    TO_STAFF,
    /** Which staff members have sockets on the sending node (soft state, repeated as a heartbeat). */
    STAFF_ONLINE,
    /**
     * Per room, the sending node's users online, places taken and consultation-hour staff present
     * (soft state: what changed every 200 ms, everything every 5 s as a heartbeat).
     */
    ROOM_PRESENCE,
    /** A user's sockets leave a room (a talk handed over), then get an event. */
    REMOVE_FROM_ROOM,
    /** A room's stored settings, participants or retention changed: reload them. */
    ROOM_CHANGED,
    /** A staff member went on or off duty in a community. */
    DUTY,
    /** A message was redacted. */
    REDACTED,
    /** A held message was shown again. */
    RESTORED,
    /** An event for a room's members (typing, coverage, consultation-hour state). */
    ROOM_EVENT,
    /** Redeem a WebSocket ticket at the node that issued it (request and reply, never published). */
    TICKET,
    /** A node's open connections, for the operators' status (request and reply, never published). */
    NODE_STATUS;

    /** The clustered event-bus address of this kind. */
    public String address() {
        return "kring.notice." + name().toLowerCase(Locale.ROOT);
    }

    /** The metrics tag. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
