package nl.kring.server.access;

import nl.kring.server.shared.Principal;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.RoomSettings;
import nl.kring.server.shared.RoomKind;

/**
 * Applies the {@link Permissions} table and the room's own conditions. Every request that
 * touches a room or a community's administration asks here, and only here. Stateless.
 *
 * <p>What a refusal says: a room of another community, an archived room or a private room one
 * is not part of does not exist for the asker ({@code not_found}, nothing leaks); a room of one's
 * own community that the table or a condition closes is {@code forbidden}, with the reason.
 */
public final class Access {

    private Access() {
    }

    /**
     * Checks a room action; throws {@link KringException} when refused.
     *
     * @param participant whether the user is one of a private room's participants
     */
    public static void check(Principal p, long roomCommunityId, RoomSettings room, Action action, boolean participant) {
        KringException refusal = refusal(p, roomCommunityId, room, action, participant);
        if (refusal != null) {
            throw refusal;
        }
    }

    /** Whether the room appears in this user's room list (they may join it). */
    public static boolean mayJoin(Principal p, long roomCommunityId, RoomSettings room, boolean participant) {
        return refusal(p, roomCommunityId, room, Action.JOIN, participant) == null;
    }

    /** The refusal for a room action, or {@code null} when allowed. */
    public static KringException refusal(Principal p, long roomCommunityId, RoomSettings room, Action action, boolean participant) {
        if (!p.mayEnter(roomCommunityId) || (room.archived() && action != Action.MANAGE_ROOMS)) {
            return noSuchRoom();
        }
        Rule rule = Permissions.rule(p.actor(), action, room.kind());
        if (rule == Rule.PARTICIPANT && !participant) {
            return noSuchRoom();
        }
        if (rule == Rule.NO) {
            return new KringException(ErrorCode.FORBIDDEN, "your role may not " + action.label() + " in a "
                    + room.kind().wireName() + " room");
        }
        if (action == Action.SEND && room.readOnly() && room.kind() == RoomKind.PRIVATE) {
            return new KringException(ErrorCode.FORBIDDEN, "this talk has ended");
        }
        if (!p.isMember()) {
            return null;
        }
        if (!room.ageBands().isEmpty() && !room.ageBands().contains(p.ageBand())) {
            return new KringException(ErrorCode.FORBIDDEN, "this room is for other ages");
        }
        if (room.region() != null && !room.region().equals(p.region())) {
            return new KringException(ErrorCode.FORBIDDEN, "this room is for members from " + room.region());
        }
        if (action == Action.SEND && room.readOnly()) {
            return new KringException(ErrorCode.FORBIDDEN, "this room is read-only");
        }
        return null;
    }

    /**
     * Checks a community-wide action (issue invites, manage staff, manage the community) or a
     * room-management action, for a community that exists; throws {@code forbidden} when refused.
     */
    public static void checkCommunity(Principal p, long communityId, Action action) {
        checkRole(p, action);
        if (!p.mayEnter(communityId)) {
            throw new KringException(ErrorCode.FORBIDDEN, "not a community you work in");
        }
    }

    /**
     * Checks that this role may do {@code action} at all (in an ordinary community room where it is
     * room-scoped), before the community it concerns is known; throws {@code forbidden} when refused.
     */
    public static void checkRole(Principal p, Action action) {
        boolean allowed = action.roomScoped()
                ? Permissions.rule(p.actor(), action, RoomKind.COMMUNITY) == Rule.YES
                : Permissions.allows(p.actor(), action);
        if (!allowed) {
            throw new KringException(ErrorCode.FORBIDDEN, "your role may not " + action.label());
        }
    }

    /**
     * Checks an installation-wide action (create communities, operators, admins): a role the table
     * allows it, working in every community (an operator, an installation admin).
     */
    public static void checkInstallation(Principal p, Action action) {
        if (action.roomScoped() || !Permissions.allows(p.actor(), action)) {
            throw new KringException(ErrorCode.FORBIDDEN, "your role may not " + action.label());
        }
        if (!p.allCommunities()) {
            throw new KringException(ErrorCode.FORBIDDEN, "only staff of the whole installation may do this");
        }
    }

    private static KringException noSuchRoom() {
        return new KringException(ErrorCode.NOT_FOUND, "no such room");
    }
}
