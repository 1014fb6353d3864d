package nl.kring.server.safety;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.kring.moderation.Policy;
import nl.kring.moderation.chatsafe.Classifier;
import nl.kring.moderation.chatsafe.Ruleset;
import nl.kring.moderation.queue.Fallback;

/**
 * Reads a community's #chatsafe settings from its policy JSON:
 * <pre>
 * {"chatsafe": {"actions": {"self_harm": ["deliver","prompt","content_warning"]},
 *               "rules": "version 1\n@purge = purgen kotsen\ned.purge self_harm medium : @self ~3 @purge"}}
 * </pre>
 * Both are optional, and so is what the rooms do while no moderator is on duty:
 * {@code "fallback": {"slowModeSeconds": 30, "holdFlagged": true, "notice": "…"}} (each field
 * optional; the defaults are {@link Fallback#DEFAULTS}). {@link #validate} names what is wrong so that an admin's bad setting is
 * refused when it is saved, never when a message is sent.
 */
public final class SafetySettings {

    private SafetySettings() {
    }

    public static Policy policy(JsonObject communityPolicy) {
        JsonObject chatsafe = communityPolicy.getJsonObject("chatsafe");
        Object raw = chatsafe == null ? null : chatsafe.getValue("actions");
        if (raw == null) {
            return Policy.defaults();
        }
        if (!(raw instanceof JsonObject actionsByCategory)) {
            throw new IllegalArgumentException("policy.chatsafe.actions must be an object");
        }
        Map<String, List<String>> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : actionsByCategory) {
            if (!(e.getValue() instanceof JsonArray list)) {
                throw new IllegalArgumentException("policy.chatsafe.actions." + e.getKey() + " must be a list of actions");
            }
            List<String> actions = new ArrayList<>();
            for (Object o : list) {
                actions.add(String.valueOf(o));
            }
            overrides.put(e.getKey(), actions);
        }
        return Policy.withOverrides(overrides);
    }

    public static Classifier classifier(Classifier builtIn, JsonObject communityPolicy, String communitySlug) {
        JsonObject chatsafe = communityPolicy.getJsonObject("chatsafe");
        Object rules = chatsafe == null ? null : chatsafe.getValue("rules");
        if (rules == null) {
            return builtIn;
        }
        if (!(rules instanceof String text)) {
            throw new IllegalArgumentException("policy.chatsafe.rules must be the text of a rule file");
        }
        // the community's own words beside the built-in rules, and the same trained model
        return new Classifier(Ruleset.builder().addResource("chatsafe/rules-nl.txt").addResource("chatsafe/rules-en.txt")
                .add("community:" + communitySlug, text).build(), builtIn.model());
    }

    public static Fallback fallback(JsonObject communityPolicy) {
        Object raw = communityPolicy.getValue("fallback");
        if (raw == null) {
            return Fallback.DEFAULTS;
        }
        if (!(raw instanceof JsonObject f)) {
            throw new IllegalArgumentException("policy.fallback must be an object");
        }
        Object slow = f.getValue("slowModeSeconds", Fallback.DEFAULTS.slowModeSeconds());
        Object hold = f.getValue("holdFlagged", Fallback.DEFAULTS.holdFlagged());
        Object notice = f.getValue("notice", Fallback.DEFAULTS.notice());
        if (!(slow instanceof Integer seconds)) {
            throw new IllegalArgumentException("policy.fallback.slowModeSeconds must be a whole number of 0 to 3600");
        }
        if (!(hold instanceof Boolean holdFlagged)) {
            throw new IllegalArgumentException("policy.fallback.holdFlagged must be true or false");
        }
        if (!(notice instanceof String text)) {
            throw new IllegalArgumentException("policy.fallback.notice must be a text of 1 to 1000 characters");
        }
        return new Fallback(seconds, holdFlagged, text);
    }

    /** Checks the settings; throws {@link IllegalArgumentException} with a message for the admin. */
    public static void validate(JsonObject communityPolicy, String communitySlug) {
        Object chatsafe = communityPolicy.getValue("chatsafe");
        if (chatsafe != null && !(chatsafe instanceof JsonObject)) {
            throw new IllegalArgumentException("policy.chatsafe must be an object");
        }
        policy(communityPolicy);
        fallback(communityPolicy);
        classifier(Classifier.builtIn(), communityPolicy, communitySlug);
    }
}
