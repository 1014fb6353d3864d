package nl.kring.server.accounts;

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
 * @param allCommunities   installation-wide staff (the bootstrap admin)
 * @param staffCommunities community ids and slugs a staff member works in
 * @param sessionId        the session row behind the token
 * @param expiresAt        when the token stops working
 */
public record Principal(
        long userId,
        String publicId,
        String name,
        Role role,
        Long communityId,
        String communitySlug,
        AgeBand ageBand,
        boolean allCommunities,
        Set<Long> staffCommunities,
        Set<String> staffCommunitySlugs,
        long sessionId,
        Instant expiresAt) {

    public Principal {
        staffCommunities = Set.copyOf(staffCommunities);
        staffCommunitySlugs = Set.copyOf(staffCommunitySlugs);
    }

    /** Whether this user may see and join the rooms of a community. */
    public boolean mayEnter(long community) {
        if (role == Role.MEMBER) {
            return communityId != null && communityId == community;
        }
        return allCommunities || staffCommunities.contains(community);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** The {@code user} object of the protocol (login replies and {@code welcome}). */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("id", publicId)
                .put("pseudonym", name)
                .put("role", role.wireName());
        if (role == Role.MEMBER) {
            json.put("community", communitySlug).put("ageBand", ageBand.wireName());
        } else {
            json.put("displayName", name)
                    .put("communities", new JsonArray(staffCommunitySlugs.stream().sorted().toList()));
            if (allCommunities) {
                json.put("allCommunities", true);
            }
        }
        return json;
    }
}
