package nl.kring.loadtest.gen;

/**
 * Reads the few fields the generator needs from a frame's text without parsing it: the
 * generator shares the machine's cores with the server, so it must cost little per frame.
 * The server's frames are compact JSON, written by one encoder, with known field names.
 */
public final class Frames {

    private Frames() {
    }

    /** The whole number right after {@code marker}, or -1 when the marker is absent. */
    public static long numberAfter(String text, String marker) {
        int i = text.indexOf(marker);
        if (i < 0) {
            return -1;
        }
        i += marker.length();
        long value = 0;
        boolean any = false;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i++) - '0');
            any = true;
        }
        return any ? value : -1;
    }

    /** The string value right after {@code marker} (which ends with the opening quote), or null. */
    static String stringAfter(String text, String marker) {
        int i = text.indexOf(marker);
        if (i < 0) {
            return null;
        }
        i += marker.length();
        int end = text.indexOf('"', i);
        return end < 0 ? null : text.substring(i, end);
    }
}
