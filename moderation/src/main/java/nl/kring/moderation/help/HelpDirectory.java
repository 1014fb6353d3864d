package nl.kring.moderation.help;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where to get help, now. Two entries are always there: 113 Zelfmoordpreventie (call 113 or
 * 0800-0113 for free, chat via 113.nl, day and night) and 112 for acute danger. A community adds
 * its own (for example MIND Korrelatie). Immutable.
 */
public final class HelpDirectory {

    public static final HelpResource ZELFMOORDPREVENTIE = new HelpResource("113", "113 Zelfmoordpreventie",
            "Anoniem praten over zelfmoordgedachten. Bel 113 of gratis 0800-0113, of chat via 113.nl. Dag en nacht.",
            "0800-0113", "https://www.113.nl", OpeningHours.ALWAYS, true);
    public static final HelpResource ALARM = new HelpResource("112", "112", "Bij direct gevaar: bel 112.", "112", null,
            OpeningHours.ALWAYS, true);

    private final List<HelpResource> entries;

    public HelpDirectory(List<HelpResource> communityEntries) {
        List<HelpResource> all = new ArrayList<>();
        all.add(ZELFMOORDPREVENTIE);
        all.add(ALARM);
        all.addAll(communityEntries);
        this.entries = List.copyOf(all);
    }

    public static HelpDirectory builtIn() {
        return new HelpDirectory(List.of());
    }

    /** Every entry, open or not. */
    public List<HelpResource> all() {
        return entries;
    }

    /** The entries open at this moment, crisis lines first. */
    public List<HelpResource> openAt(Instant now) {
        List<HelpResource> out = new ArrayList<>();
        for (HelpResource r : entries) {
            if (r.crisis() && r.hours().isOpen(now)) {
                out.add(r);
            }
        }
        for (HelpResource r : entries) {
            if (!r.crisis() && r.hours().isOpen(now)) {
                out.add(r);
            }
        }
        return out;
    }
}
