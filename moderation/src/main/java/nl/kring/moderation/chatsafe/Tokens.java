package nl.kring.moderation.chatsafe;

/**
 * A message after normalisation: a character buffer and the spans of its words. Words are
 * lower case, without diacritics, leetspeak undone, and letters spaced out one by one joined
 * again; stretched words are marked so that they are looked up with letter runs squeezed. Not thread-safe; one per classification.
 */
public final class Tokens {

    final char[] buf;
    final int[] start;
    final int[] end;
    final int count;
    /** Whether a clause ends before word i (. , ; : ! ? or a line break): a negation does not reach across. */
    final boolean[] breakBefore;
    /** Whether a sentence ends before word i (. ! ? or a line break): a match does not reach across. */
    final boolean[] sentenceBefore;

    /** Whether word i is stretched ("nieeeet") or spelled out; such words are looked up with letter runs squeezed. */
    final boolean[] elongated;

    Tokens(char[] buf, int[] start, int[] end, int count, boolean[] breakBefore, boolean[] sentenceBefore, boolean[] elongated) {
        this.elongated = elongated;
        this.sentenceBefore = sentenceBefore;
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
