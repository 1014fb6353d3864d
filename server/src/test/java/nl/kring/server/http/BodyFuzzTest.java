package nl.kring.server.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import nl.kring.moderation.queue.ModAction;
import nl.kring.server.accounts.PasswordPolicy;
import nl.kring.server.accounts.Pseudonyms;
import nl.kring.server.accounts.Regions;
import nl.kring.server.admin.CommunityAdmin;
import nl.kring.server.admin.Fields;
import nl.kring.server.communities.Community;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.AgeBand;
import nl.kring.server.shared.RoomKind;
import nl.kring.server.shared.RoomSettings;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the JSON bodies of the /api/v1 routes: the body parser every route shares
 * ({@link Endpoints#parseBody}), the field readers of the admin's bodies ({@link Fields}: invites,
 * staff, spreekuren, feedback, transfers), a community's and a room's change with the community
 * policy's checks ({@link CommunityAdmin#apply}, {@link CommunityAdmin#roomSettings}), a
 * moderation action ({@code ModerationActions#checkAction}) and the sign-up's pseudonym and the
 * staff password's checks. Whatever the body, the outcome is a value within the documented
 * limits or a {@code bad_request} (HTTP 400); never another exception (a 500). In {@code mvn test}
 * the stored inputs run (regression mode); {@code JAZZER_FUZZ=1} fuzzes (docs/safety.md, "Fuzzing").
 */
@Tag("fuzz")
class BodyFuzzTest {

    static final String[] FIELDS = {"name", "slug", "primaryColour", "accentColour", "logo", "welcomeText", "houseRules",
        "ageBands", "policy", "kind", "region", "capacity", "slowModeSeconds", "readOnly", "pinnedNotice", "archived",
        "count", "uses", "expiresInDays", "label", "audience", "reason", "code", "email", "password", "displayName",
        "realName", "role", "communities", "topic", "description", "durationMinutes", "weekly", "score", "comment",
        "to", "signpost", "action", "minutes", "message", "onDuty", "pseudonym", "ageBand", "inviteCode"};
    static final String[] POLICY = {"chatsafe", "actions", "rules", "fallback", "slowModeSeconds", "holdFlagged",
        "notice", "retention", "messageDays", "self_harm", "unsafe"};
    static final Community COMMUNITY = new Community(1, "fuzz", "Fuzz", "#2f6f73", "#e0a030", null, "", "",
            List.of("16-17", "18-21"), new JsonObject(), 0L);

    @FuzzTest(maxDuration = "5s")
    void checksEveryBody(FuzzedDataProvider data) {
        boolean required = data.consumeBoolean();
        Buffer raw;
        if (data.consumeProbabilityFloat() < 0.2f) {
            raw = Buffer.buffer(data.consumeBytes(data.consumeInt(0, 512)));
        } else {
            JsonObject built = new JsonObject();
            int n = data.consumeInt(0, 6);
            for (int i = 0; i < n; i++) {
                String field = data.pickValue(FIELDS);
                built.put(field, field.equals("policy") ? policy(data, 0) : value(data, 0));
            }
            raw = built.toBuffer();
        }
        JsonObject body;
        try {
            body = Endpoints.parseBody(raw, required);
        } catch (KringException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            return;
        }
        assertThat(body).isNotNull();
        if (raw.length() == 0) {
            assertThat(body.isEmpty()).isTrue();
        }
        int check = data.consumeInt(0, 6);
        try {
            switch (check) {
                case 0 -> fields(body);
                case 1 -> community(CommunityAdmin.apply(COMMUNITY, body), body);
                case 2 -> room(body, data.pickValue(RoomKind.values()));
                case 3 -> {
                    ModAction a = nl.kring.server.moderation.ModerationActions.checkAction(body);
                    assertThat(a.wireName()).isEqualTo(body.getValue("action"));
                    assertThat(body.getString("reason")).isNotBlank().hasSizeLessThanOrEqualTo(1000);
                }
                default -> signUpAndPassword(body);
            }
        } catch (KringException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** The field readers that invites, staff, spreekuren, transfers and feedback use. */
    private static void fields(JsonObject body) {
        String s = Fields.string(body, "name", 1, 100);
        assertThat(s.length()).isBetween(1, 100);
        assertThat(s).isEqualTo(s.trim());
        int count = Fields.integer(body, "count", 1, 1000, null);
        assertThat(count).isBetween(1, 1000);
        assertThat(((Number) body.getValue("count")).doubleValue()).isEqualTo(count);
        int uses = Fields.integer(body, "uses", 1, 10_000, 1);
        assertThat(uses).isBetween(1, 10_000);
        Fields.bool(body, "weekly", false);
        String audience = Fields.oneOf(body, "audience", List.of("member", "naaste"), "member");
        assertThat(audience).isIn("member", "naaste");
        Set<AgeBand> bands = Fields.ageBands(body, "ageBands", EnumSet.of(AgeBand.values()[0]));
        assertThat(bands).isNotEmpty();
        List<String> list = Fields.strings(body, "communities", 100);
        assertThat(list).hasSizeLessThanOrEqualTo(100);
        String pinned = Fields.nullableString(body, "pinnedNotice", 1, 1000, "x");
        assertThat(pinned == null || pinned.length() <= 1000).isTrue();
    }

    private static void community(Community c, JsonObject body) {
        assertThat(c.name().length()).isBetween(1, 100);
        assertThat(c.primaryColour()).matches("#[0-9a-f]{6}");
        assertThat(c.accentColour()).matches("#[0-9a-f]{6}");
        assertThat(c.logo() == null || c.logo().length() <= 49152).isTrue();
        assertThat(c.welcomeText().length()).isLessThanOrEqualTo(4000);
        assertThat(c.houseRules().length()).isLessThanOrEqualTo(8000);
        assertThat(c.ageBands()).isNotEmpty();
        assertThat(c.policy().encode().length()).isLessThanOrEqualTo(16_384);
    }

    private static void room(JsonObject body, RoomKind kind) {
        RoomSettings base = kind == RoomKind.AGE_BANDED
                ? new RoomSettings("Kamer", kind, EnumSet.of(AgeBand.values()[1]), null, 50, 0, false, null, false)
                : new RoomSettings("Kamer", kind, EnumSet.noneOf(AgeBand.class), null, 50, 0, false, null, false);
        RoomSettings r = CommunityAdmin.roomSettings(base, kind, body);
        assertThat(r.name().length()).isBetween(1, 100);
        assertThat(r.capacity()).isBetween(2, 100_000);
        assertThat(r.slowModeSeconds()).isBetween(0, 3600);
        assertThat(r.region() == null || Regions.isValid(r.region())).isTrue();
        assertThat(r.pinnedNotice() == null || r.pinnedNotice().length() <= 1000).isTrue();
        assertThat(kind == RoomKind.AGE_BANDED ? !r.ageBands().isEmpty() : r.ageBands().isEmpty()).isTrue();
    }

    /** What the sign-up and the password change check on their strings (the routes read them with {@code str}). */
    private static void signUpAndPassword(JsonObject body) {
        String pseudonym = Endpoints.str(body, "pseudonym");
        if (pseudonym != null && Pseudonyms.problem(pseudonym).isEmpty()) {
            assertThat(pseudonym).matches("[A-Za-z0-9_-]{3,24}");
        }
        AgeBand.fromWireName(Endpoints.str(body, "ageBand"));
        String region = Endpoints.str(body, "region");
        if (region != null) {
            Regions.isValid(region);
        }
        String password = Endpoints.str(body, "password");
        if (password != null && PasswordPolicy.problem(password) == null) {
            assertThat(password.length()).isBetween(PasswordPolicy.MIN_LENGTH, PasswordPolicy.MAX_LENGTH);
        }
    }

    /** A community policy: mostly the right shape, with fuzzed values. */
    static Object policy(FuzzedDataProvider data, int depth) {
        if (depth > 3 || data.consumeProbabilityFloat() < 0.15f) {
            return value(data, depth);
        }
        JsonObject o = new JsonObject();
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
            String key = data.pickValue(POLICY);
            o.put(key, key.equals("rules") ? data.consumeString(200) : policy(data, depth + 1));
        }
        return o;
    }

    static Object value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, 11)) {
            case 0:
                return null;
            case 1:
                return data.consumeBoolean();
            case 2:
                return data.consumeInt();
            case 3:
                return data.consumeInt(-2, 1100);
            case 4:
                return data.consumeDouble();
            case 5:
                return BigInteger.TWO.pow(data.consumeInt(62, 66)).add(BigInteger.valueOf(data.consumeLong(-3, 200)));
            case 6:
                return depth > 2 ? "x" : new JsonArray().add(value(data, depth + 1)).add(data.pickValue(
                        new String[] {"12-15", "16-17", "18-21", "22-25", "26+", "utrecht", "fuzz"}));
            case 7:
                return data.pickValue(new String[] {"#2F6F73", "#2f6f7", "member", "naaste", "mute", "warn", "ban",
                    "release", "12-15", "26+", "utrecht", "group", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==", "İİİİİİİ"});
            case 8:
                return " ".repeat(data.consumeInt(0, 3)) + "x".repeat(data.consumeInt(0, 1100));
            case 9:
                return depth > 2 ? "x" : new JsonObject().put(data.pickValue(FIELDS), value(data, depth + 1));
            default:
                return data.consumeString(data.consumeInt(0, 64));
        }
    }
}
