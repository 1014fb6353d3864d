package nl.kring.moderation.queue;

import java.util.Locale;

/**
 * What a moderator does with a queue item. Every action needs a reason and is audited.
 * Terminal actions resolve the item; warn and mute act on the author and leave the item with
 * the moderator, who then releases, removes or dismisses the message (or bans).
 */
public enum ModAction {
    /** A held message is delivered: it gets the room's next seq. */
    RELEASE(true),
    /** The message is removed for everyone ({@code redacted}, also for clients that resume later); a held one is never delivered. */
    REMOVE(true),
    /** The author gets a private warning. */
    WARN(false),
    /** The author may not send for a while (all sockets, survives reconnect). */
    MUTE(false),
    /** The author is banned from the community; the message is removed. */
    BAN(true),
    /** The item goes to the on-duty professionals of the community. */
    ESCALATE(false),
    /** Nothing wrong: a delivered message stays (and comes back if a rule hid it). */
    DISMISS(true);

    private final boolean terminal;

    ModAction(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether the action resolves the item. */
    public boolean terminal() {
        return terminal;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action by its wire name; throws {@link IllegalArgumentException} for an unknown one. */
    public static ModAction fromWireName(String name) {
        for (ModAction a : values()) {
            if (a.wireName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action: " + name);
    }
}
