package nl.kring.moderation.chatsafe;

import java.util.ArrayList;
import java.util.List;

/**
 * The features the trained model sees in a message: after the {@link Normaliser} (so evasions
 * are undone the same way as for the rules) every word ({@code w=}), every pair of neighbouring
 * words ({@code b=}), the letter 3-, 4- and 5-grams of each word with its edges ({@code c=<zel},
 * which carry typos, dialect and unseen compounds), and each emoji ({@code e=}). Each feature
 * remembers the word or emoji it came from, so that the model can say which words weighed most.
 * One per message; not thread-safe.
 */
public final class ModelFeatures {

    static final int MIN_GRAM = 3;
    static final int MAX_GRAM = 5;

    private final String[] names;
    /** For each feature: the unit (word, then emoji) it belongs to; a word pair belongs to both. */
    private final int[] ownerA;
    private final int[] ownerB;
    private final String[] units;

    private ModelFeatures(String[] names, int[] ownerA, int[] ownerB, String[] units) {
        this.names = names;
        this.ownerA = ownerA;
        this.ownerB = ownerB;
        this.units = units;
    }

    public static ModelFeatures of(String text) {
        Tokens t = Normaliser.normalise(text == null ? "" : text);
        List<String> emoji = emoji(text == null ? "" : text);
        int n = t.count;
        int capacity = n * 2 + emoji.size();
        for (int i = 0; i < n; i++) {
            int len = t.end[i] - t.start[i] + 2;
            for (int g = MIN_GRAM; g <= MAX_GRAM; g++) {
                capacity += Math.max(0, len - g + 1);
            }
        }
        String[] names = new String[capacity];
        int[] a = new int[capacity];
        int[] b = new int[capacity];
        String[] units = new String[n + emoji.size()];
        int k = 0;
        StringBuilder sb = new StringBuilder(32);
        char[] padded = new char[64];
        for (int i = 0; i < n; i++) {
            int len = t.end[i] - t.start[i];
            units[i] = new String(t.buf, t.start[i], len);
            sb.setLength(0);
            names[k] = sb.append("w=").append(units[i]).toString();
            a[k] = i;
            b[k++] = -1;
            if (i + 1 < n) {
                sb.setLength(0);
                names[k] = sb.append("b=").append(t.buf, t.start[i], len).append('_')
                        .append(t.buf, t.start[i + 1], t.end[i + 1] - t.start[i + 1]).toString();
                a[k] = i;
                b[k++] = i + 1;
            }
            int plen = len + 2;
            if (padded.length < plen) {
                padded = new char[plen * 2];
            }
            padded[0] = '<';
            System.arraycopy(t.buf, t.start[i], padded, 1, len);
            padded[plen - 1] = '>';
            for (int g = MIN_GRAM; g <= MAX_GRAM; g++) {
                for (int s = 0; s + g <= plen; s++) {
                    if (g >= plen) {
                        break; // the whole word with its edges is the word feature already
                    }
                    sb.setLength(0);
                    names[k] = sb.append("c=").append(padded, s, g).toString();
                    a[k] = i;
                    b[k++] = -1;
                }
            }
        }
        for (int e = 0; e < emoji.size(); e++) {
            units[n + e] = emoji.get(e);
            names[k] = "e=" + emoji.get(e);
            a[k] = n + e;
            b[k++] = -1;
        }
        if (k < capacity) {
            names = java.util.Arrays.copyOf(names, k);
            a = java.util.Arrays.copyOf(a, k);
            b = java.util.Arrays.copyOf(b, k);
        }
        return new ModelFeatures(names, a, b, units);
    }

    /** Pictographs and other symbols outside the letters (emoji stand-ins: 🪦 💊 🌉); skin tones and joiners left out. */
    static List<String> emoji(String text) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x2190 || cp == 0x200D || cp == 0xFE0F || (cp >= 0x1F3FB && cp <= 0x1F3FF)) {
                continue;
            }
            int type = Character.getType(cp);
            if (type == Character.OTHER_SYMBOL || type == Character.MATH_SYMBOL) {
                out.add(new String(Character.toChars(cp)));
            }
        }
        return out;
    }

    /** The feature names, as the model was trained on them. */
    public String[] names() {
        return names;
    }

    int ownerA(int feature) {
        return ownerA[feature];
    }

    int ownerB(int feature) {
        return ownerB[feature];
    }

    /** Words and emoji, in message order: what an explanation names. */
    String unit(int u) {
        return units[u];
    }

    int units() {
        return units.length;
    }
}
