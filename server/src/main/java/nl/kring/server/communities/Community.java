package nl.kring.server.communities;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A community (tenant): its front door and its own settings. Immutable.
 *
 * @param ageBands the age bands it admits at sign-up, in ascending order
 * @param policy   settings read by the safety and moderation features (a JSON object)
 * @param logo     a {@code data:image/…;base64,…} URI, or {@code null}
 * @param logoVersion when the uploaded logo ({@code community_logos}) last changed, in epoch milliseconds; 0 when there is none
 */
public record Community(
        long id,
        String slug,
        String name,
        String primaryColour,
        String accentColour,
        String logo,
        String welcomeText,
        String houseRules,
        List<String> ageBands,
        JsonObject policy,
        long logoVersion) {

    public Community {
        ageBands = List.copyOf(ageBands);
        policy = policy.copy();
    }

    /** What the front door shows anyone, signed in or not: no ids, no policy. */
    public JsonObject frontDoor() {
        JsonObject json = new JsonObject().put("slug", slug).put("name", name)
                .put("branding", new JsonObject().put("primaryColour", primaryColour).put("accentColour", accentColour))
                .put("welcomeText", welcomeText).put("houseRules", houseRules).put("ageBands", new JsonArray(ageBands));
        if (logo != null) {
            json.getJsonObject("branding").put("logo", logo);
        }
        // the version in the address lets browsers keep the image and still see a new one at once
        json.getJsonObject("branding").put("logoUrl", logoVersion == 0 ? null : "/api/v1/communities/" + slug + "/logo?v=" + logoVersion);
        return json;
    }

    /** The admin view: the front door plus the policy settings. */
    public JsonObject toAdminJson() {
        return frontDoor().put("policy", policy.copy());
    }
}
