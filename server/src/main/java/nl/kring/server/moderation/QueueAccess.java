package nl.kring.server.moderation;

import nl.kring.server.access.Action;
import nl.kring.server.access.Permissions;
import nl.kring.server.access.Rule;
import nl.kring.server.shared.Principal;
import nl.kring.server.shared.RoomKind;

/**
 * Who works the moderation queue, by role: moderators and admins the whole queue, professionals
 * the items escalated to them ({@code access.Permissions}). Stateless.
 */
final class QueueAccess {

    private QueueAccess() {
    }

    /** Moderators and admins work the whole queue; professionals the items escalated to them. */
    static boolean mayModerate(Principal p) {
        return !p.isMember() && Permissions.rule(p.actor(), Action.MODERATE, RoomKind.COMMUNITY) == Rule.YES;
    }

    static boolean mayHandle(Principal p, boolean escalated) {
        return mayModerate(p) || (escalated && !p.isMember() && Permissions.allows(p.actor(), Action.HANDLE_ESCALATIONS));
    }
}
