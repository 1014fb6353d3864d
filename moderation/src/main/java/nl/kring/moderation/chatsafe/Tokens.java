package nl.kring.moderation.chatsafe;

/**
 * A message after normalisation: a character buffer and the spans of its words. Words are
 * lower case, without diacritics, leetspeak undone, letter runs squeezed to one letter
 * ("nieeeet" and "niet" are both {@code niet}, "dood" is {@code dod}), and letters spaced out
 * one by one joined again. Not thread-safe; one per classification.
 */
public final class Tokens {

    final char[] buf;
    final int[] start;
    final int[] end;
    final int count;
    /** Whether a clause ends before word i (. , ; : ! ? or a line break). */
    final boolean[] breakBefore;

    Tokens(char[] buf, int[] start, int[] end, int count, boolean[] breakBefore) {
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.count = count;
        this.breakBefore = breakBefore;
    }

    public int count() {
        return count;
    }

    /** The normalised word at {@code i} (for tests and explanations; the matcher reads the buffer). */
    public String word(int i) {
        return new String(buf, start[i], end[i] - start[i]);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(buf, start[i], end[i] - start[i]);
        }
        return sb.toString();
    }
}
