package nl.kring.moderation.queue;

import java.util.Locale;

/** Where a moderation queue item came from; an item may have several. */
public enum Source {
    /** #chatsafe held the message. */
    CHATSAFE,
    /** #chatsafe found imminent risk and alerted staff. */
    ALERT,
    /** A member reported the message. */
    REPORT,
    /** An automatic rule (several reports) hid the message pending review. */
    RULE,
    /** A peer expert or professional escalated the message. */
    ESCALATION,
    /** #chatsafe's model was unsure: the message was delivered, a human looks at it when there is time. */
    REVIEW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
