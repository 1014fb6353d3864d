package nl.kring.server.config;

import java.time.ZoneId;

/**
 * Kring's days and hours are Dutch: consultation hours, the anonymised figures' days and the
 * days retention counts in. One zone for every package that needs it (none of them needs the
 * others for it).
 */
public final class Amsterdam {

    public static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    private Amsterdam() {
    }
}
