package nl.kring.server.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * An authenticated session: who is behind a token. Immutable and thread-safe.
 *
 * @param userId           internal id, never sent on the wire
 * @param publicId         pseudonymous id sent as {@code author.id}
 * @param name             a member's pseudonym or a staff member's display name
 * @param communityId      a member's community, {@code null} for staff
 * @param communitySlug    a member's community slug, {@code null} for staff
 * @param ageBand          a member's age band, {@code null} for staff
 * @param audience         a member's audience (member or naaste), {@code null} for staff
 * @param region           a member's province, or {@code null}
 * @param allCommunities   installation-wide staff (the bootstrap admin, operators)
 * @param staffCommunities community ids and slugs a staff member works in
 * @param sessionId        the session row behind the token
 * @param expiresAt        when the token stops working
 * @param totpRequired     a staff member who must enrol a second factor before doing anything else
 * @param passwordChangeRequired a staff member whose password an admin reset: they must choose a new
 *                         one before doing anything else (this gate comes before {@code totpRequired})
 */
public record Principal(
        long userId,
        String publicId,
        String name,
        Role role,
        Long communityId,
        String communitySlug,
        AgeBand ageBand,
        Audience audience,
        String region,
        boolean allCommunities,
        Set<Long> staffCommunities,
        Set<String> staffCommunitySlugs,
        long sessionId,
        Instant expiresAt,
        boolean totpRequired,
        boolean passwordChangeRequired) {

    public Principal {
        staffCommunities = Set.copyOf(staffCommunities);
        staffCommunitySlugs = Set.copyOf(staffCommunitySlugs);
    }

    /** A principal without a forced password change. */
    public Principal(long userId, String publicId, String name, Role role, Long communityId, String communitySlug,
                     AgeBand ageBand, Audience audience, String region, boolean allCommunities, Set<Long> staffCommunities,
                     Set<String> staffCommunitySlugs, long sessionId, Instant expiresAt, boolean totpRequired) {
        this(userId, publicId, name, role, communityId, communitySlug, ageBand, audience, region, allCommunities,
                staffCommunities, staffCommunitySlugs, sessionId, expiresAt, totpRequired, false);
    }

    /**
     * A user as an author or a name on a list, loaded from the database without a session (a
     * held message's author when a moderator releases it, a staff member on the duty list):
     * only the ids, the name and the role are real; it opens nothing.
     */
    public static Principal identity(long userId, String publicId, String name, Role role) {
        return new Principal(userId, publicId, name, role, null, null, null, null, null, false, Set.of(), Set.of(), 0, Instant.MAX, false);
    }

    /** Whether this user belongs to (a member) or works in (staff) the community. What they may do there is {@code Access}'s question. */
    public boolean mayEnter(long community) {
        if (role == Role.MEMBER) {
            return communityId != null && communityId == community;
        }
        return allCommunities || staffCommunities.contains(community);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean isMember() {
        return role == Role.MEMBER;
    }

    public Actor actor() {
        return Actor.of(role, audience);
    }

    /** The {@code user} object of the protocol (login replies and {@code welcome}). */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("id", publicId)
                .put("pseudonym", name)
                .put("role", role.wireName());
        if (role == Role.MEMBER) {
            json.put("community", communitySlug).put("ageBand", ageBand.wireName()).put("audience", audience.wireName());
            if (region != null) {
                json.put("region", region);
            }
        } else {
            json.put("displayName", name)
                    .put("verified", true)
                    .put("communities", new JsonArray(staffCommunitySlugs.stream().sorted().toList()));
            if (allCommunities) {
                json.put("allCommunities", true);
            }
            if (totpRequired) {
                json.put("totpEnrolmentRequired", true);
            }
            if (passwordChangeRequired) {
                json.put("passwordChangeRequired", true);
            }
        }
        return json;
    }
}
