package nl.kring.server.safety;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A community policy whose {@code chatsafe.actions} is not an object is refused with a message for
 * the admin (bad_request), not a {@link ClassCastException} (a 500). Found by BodyFuzzTest (issue 26
 * item 11); this test failed before the fix.
 */
class SafetySettingsTest {

    @Test
    void actionsThatAreNotAnObjectAreRefused() {
        JsonObject policy = new JsonObject().put("chatsafe", new JsonObject().put("actions", "hold"));
        assertThatThrownBy(() -> SafetySettings.validate(policy, "fuzz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy.chatsafe.actions");
    }
}
