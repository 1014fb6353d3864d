package nl.kring.moderation.queue;

import java.util.EnumSet;
import java.util.Set;
import nl.kring.moderation.Action;
import nl.kring.moderation.chatsafe.Classification;

/**
 * What a community's rooms do while no moderator is on duty: a slow mode for members (the
 * stricter of this and the room's own), holding every message #chatsafe flags (not only those
 * its policy holds), and a notice shown in every room. The community sets it
 * ({@code policy.fallback}); the defaults keep the rooms open and point to 113.
 *
 * @param slowModeSeconds 0 to 3600
 * @param holdFlagged     hold every message with any #chatsafe finding
 * @param notice          1 to 1000 characters, shown at the top of every room
 */
public record Fallback(int slowModeSeconds, boolean holdFlagged, String notice) {

    public static final String DEFAULT_NOTICE = "Er is nu geen moderator. Berichten over zware onderwerpen worden eerst "
            + "bekeken voordat ze geplaatst worden. Bij nood: bel 113 (gratis: 0800-0113) of 112.";

    public static final Fallback DEFAULTS = new Fallback(0, true, DEFAULT_NOTICE);

    /**
     * What this fallback makes of a decision while nobody moderates: with {@code holdFlagged},
     * a message with any finding is held (and neither delivered nor only warned); the prompt
     * stays, so its author still gets the help. Otherwise the decision as it was.
     */
    public Set<Action> apply(Classification c, Set<Action> decided) {
        if (!holdFlagged || c.findings().isEmpty() || decided.contains(Action.HOLD)) {
            return decided;
        }
        Set<Action> held = EnumSet.copyOf(decided);
        held.add(Action.HOLD);
        held.remove(Action.DELIVER);
        held.remove(Action.CONTENT_WARNING);
        return held;
    }

    public Fallback {
        if (slowModeSeconds < 0 || slowModeSeconds > 3600) {
            throw new IllegalArgumentException("fallback.slowModeSeconds must be 0 to 3600");
        }
        if (notice == null || notice.isBlank() || notice.length() > 1000) {
            throw new IllegalArgumentException("fallback.notice must be 1 to 1000 characters");
        }
    }
}
