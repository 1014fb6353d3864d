package nl.kring.server.moderation;

import nl.kring.server.shared.Principal;
import nl.kring.server.shared.Role;

/**
 * Which of a community's staff an event is for. A name, not a predicate, so that it crosses to
 * other nodes of a cluster ({@code Notice.TO_STAFF}); decided by role alone.
 */
public enum StaffAudience {
    /** Every staff member (consultation-hour state, the one-to-one queue). */
    ALL,
    /** Who answers an imminent-risk alert: moderators, professionals and admins. */
    RISK_RESPONDERS,
    /** Who works the whole moderation queue. */
    MODERATORS,
    /** Who works escalated queue items: the moderators and the professionals who handle escalations. */
    ESCALATIONS;

    /** Whether staff with this principal's role are in the audience. */
    public boolean includes(Principal p) {
        return switch (this) {
            case ALL -> !p.isMember();
            case RISK_RESPONDERS -> p.role() == Role.MODERATOR || p.role() == Role.PROFESSIONAL || p.role() == Role.ADMIN;
            case MODERATORS -> QueueAccess.mayHandle(p, false);
            case ESCALATIONS -> QueueAccess.mayHandle(p, true);
        };
    }
}
