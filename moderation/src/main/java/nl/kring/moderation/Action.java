package nl.kring.moderation;

import java.util.Locale;

/** What the server does with a classified message. A decision is a set of these. */
public enum Action {
    /** Store and deliver it to the room. */
    DELIVER,
    /** Send the author a supportive prompt with the resources that are open now. */
    PROMPT,
    /** Deliver it behind a content warning that readers open themselves. */
    CONTENT_WARNING,
    /** Store it without a seq and put it in the moderation queue; nobody else sees it until released. */
    HOLD,
    /** Alert every on-duty moderator and professional of the community at once. */
    ALERT,
    /** Deliver it, and put a low-priority item in the moderation queue: the model is unsure, a human looks later. */
    REVIEW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Action fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
