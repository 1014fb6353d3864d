package nl.kring.moderation.chatsafe;

import java.util.ArrayList;
import java.util.List;

/**
 * The features the trained model sees in a message: a constant one (the intercept), and after the {@link Normaliser} (so evasions
 * are undone the same way as for the rules) every word ({@code w=}), every pair of neighbouring
 * words ({@code b=}), the letter 3-, 4- and 5-grams of each word with its edges ({@code c=<zel},
 * which carry typos, dialect and unseen compounds), and each emoji ({@code e=}): as names for
 * training ({@link #of}) and as hashes with the word or emoji each came from for scoring and
 * explaining ({@link #hashed}), both in the same order. Immutable.
 */
public final class ModelFeatures {

    /**
     * A feature every message has: the model's intercept (maximum entropy in OpenNLP has none of
     * its own), so that a message with few or unknown words gets the categories' base rates, not
     * a uniform guess.
     */
    static final String BIAS = "bias";
    static final int MIN_GRAM = 3;
    static final int MAX_GRAM = 5;

    private final String[] names;

    private ModelFeatures(String[] names) {
        this.names = names;
    }

    /** At most how many features a message has: the intercept, words, pairs, letter n-grams and emoji. */
    private static int capacity(Tokens t, int emoji) {
        int capacity = 1 + t.count * 2 + emoji;
        for (int i = 0; i < t.count; i++) {
            int len = t.end[i] - t.start[i] + 2;
            for (int g = MIN_GRAM; g <= MAX_GRAM; g++) {
                capacity += Math.max(0, len - g + 1);
            }
        }
        return capacity;
    }

    public static ModelFeatures of(String text) {
        Tokens t = Normaliser.normalise(text == null ? "" : text);
        List<String> emoji = emoji(text == null ? "" : text);
        int n = t.count;
        int capacity = capacity(t, emoji.size());
        String[] names = new String[capacity];
        int k = 0;
        names[k++] = BIAS;
        StringBuilder sb = new StringBuilder(32);
        char[] padded = new char[64];
        for (int i = 0; i < n; i++) {
            int len = t.end[i] - t.start[i];
            sb.setLength(0);
            names[k++] = sb.append("w=").append(t.buf, t.start[i], len).toString();
            if (i + 1 < n) {
                sb.setLength(0);
                names[k++] = sb.append("b=").append(t.buf, t.start[i], len).append('_')
                        .append(t.buf, t.start[i + 1], t.end[i + 1] - t.start[i + 1]).toString();
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
                    names[k++] = sb.append("c=").append(padded, s, g).toString();
                }
            }
        }
        for (String e : emoji) {
            names[k++] = "e=" + e;
        }
        return new ModelFeatures(k < capacity ? java.util.Arrays.copyOf(names, k) : names);
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** A feature name's 64-bit hash (FNV-1a over its UTF-16 chars; never 0): how the scorer finds its weights. */
    public static long hash(CharSequence name) {
        long h = FNV_OFFSET;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * FNV_PRIME;
        }
        return h == 0 ? 1 : h;
    }

    private static long mix(long h, char c) {
        return (h ^ c) * FNV_PRIME;
    }

    private static long mix(long h, char[] buf, int from, int len) {
        for (int i = from; i < from + len; i++) {
            h = (h ^ buf[i]) * FNV_PRIME;
        }
        return h;
    }

    private static final long BIAS_HASH = hash(BIAS);

    private static long done(long h) {
        return h == 0 ? 1 : h;
    }

    /**
     * A message's features as hashes, with the word or emoji each came from: what the model's
     * scorer and its explanation read on the send path (no string per feature).
     */
    static final class Hashed {
        final long[] hashes;
        final int[] ownerA;
        final int[] ownerB;
        private final Tokens tokens;
        private final List<String> emoji;

        Hashed(long[] hashes, int[] ownerA, int[] ownerB, Tokens tokens, List<String> emoji) {
            this.hashes = hashes;
            this.ownerA = ownerA;
            this.ownerB = ownerB;
            this.tokens = tokens;
            this.emoji = emoji;
        }

        int units() {
            return tokens.count + emoji.size();
        }

        String unit(int u) {
            return u < tokens.count ? tokens.word(u) : emoji.get(u - tokens.count);
        }
    }

    /** The hashes of exactly the features of {@link #of}, in the same order ({@code ModelTest} checks both agree on the corpus). */
    public static long[] hashes(String text) {
        return hashed(text).hashes;
    }

    static Hashed hashed(String text) {
        return hashed(Normaliser.normalise(text == null ? "" : text), text);
    }

    /** As {@link #hashed(String)}, over the message's words as the rules already normalised them. */
    static Hashed hashed(Tokens t, String text) {
        List<String> emoji = emoji(text == null ? "" : text);
        int n = t.count;
        int capacity = capacity(t, emoji.size());
        long[] out = new long[capacity];
        int[] a = new int[capacity];
        int[] b = new int[capacity];
        int k = 0;
        a[k] = -1;
        b[k] = -1;
        out[k++] = BIAS_HASH;
        long word = mix(mix(FNV_OFFSET, 'w'), '=');
        long pair = mix(mix(FNV_OFFSET, 'b'), '=');
        long gram = mix(mix(FNV_OFFSET, 'c'), '=');
        char[] padded = new char[64];
        for (int i = 0; i < n; i++) {
            int len = t.end[i] - t.start[i];
            a[k] = i;
            b[k] = -1;
            out[k++] = done(mix(word, t.buf, t.start[i], len));
            if (i + 1 < n) {
                long h = mix(mix(pair, t.buf, t.start[i], len), '_');
                a[k] = i;
                b[k] = i + 1;
                out[k++] = done(mix(h, t.buf, t.start[i + 1], t.end[i + 1] - t.start[i + 1]));
            }
            int plen = len + 2;
            if (padded.length < plen) {
                padded = new char[plen * 2];
            }
            padded[0] = '<';
            System.arraycopy(t.buf, t.start[i], padded, 1, len);
            padded[plen - 1] = '>';
            for (int g = MIN_GRAM; g <= MAX_GRAM && g < plen; g++) {
                for (int s = 0; s + g <= plen; s++) {
                    a[k] = i;
                    b[k] = -1;
                    out[k++] = done(mix(gram, padded, s, g));
                }
            }
        }
        for (int e = 0; e < emoji.size(); e++) {
            a[k] = n + e;
            b[k] = -1;
            out[k++] = hash("e=" + emoji.get(e));
        }
        if (k < capacity) {
            out = java.util.Arrays.copyOf(out, k);
        }
        return new Hashed(out, a, b, t, emoji);
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
}
