package nl.kring.moderation.chatsafe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Words and word beginnings, each belonging to concepts, in a trie over normalised letters (and
 * a second trie over the same words squeezed, for stretched words). A word's concepts are found
 * by walking its letters once: the concepts of every word beginning
 * ({@code snij*}) on the path plus those of the whole word. Built once, then read-only and
 * thread-safe. No allocation per lookup: the sets are precomputed per trie node.
 */
final class Lexicon {

    private static final long[] EMPTY = new long[0];

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>();
        long[] exact = EMPTY;
        long[] prefix = EMPTY;
        /** prefix sets of this node and all its ancestors */
        long[] prefixAccum = EMPTY;
        /** prefixAccum plus exact */
        long[] whole = EMPTY;
        char[] keys = new char[0];
        Node[] children = new Node[0];
    }

    private final Node root = new Node();
    private final Node squeezedRoot = new Node();
    private final int words;

    private Lexicon(int words) {
        this.words = words;
    }

    /** Builds the trie from normalised entries: a word, or a beginning when {@code prefix} is set. */
    static Lexicon build(List<Entry> entries, int concepts) {
        Lexicon lex = new Lexicon(concepts);
        for (Entry e : entries) {
            insert(lex.root, e.word(), e, concepts);
            insert(lex.squeezedRoot, squeeze(e.word()), e, concepts);
        }
        lex.finish(lex.root, EMPTY, concepts);
        lex.finish(lex.squeezedRoot, EMPTY, concepts);
        return lex;
    }

    private static void insert(Node root, String word, Entry e, int concepts) {
        Node n = root;
        for (int i = 0; i < word.length(); i++) {
            n = n.next.computeIfAbsent(word.charAt(i), k -> new Node());
        }
        if (e.prefix()) {
            n.prefix = set(n.prefix, e.concept(), concepts);
        } else {
            n.exact = set(n.exact, e.concept(), concepts);
        }
    }

    /** A word with every run of one letter shortened to that letter ("doooood" and "dood" are both "dod"). */
    static String squeeze(String word) {
        StringBuilder sb = new StringBuilder(word.length());
        char prev = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c != prev || !Character.isLetter(c)) {
                sb.append(c);
            }
            prev = c;
        }
        return sb.toString();
    }

    private void finish(Node n, long[] inherited, int concepts) {
        n.prefixAccum = or(inherited, n.prefix, concepts);
        n.whole = or(n.prefixAccum, n.exact, concepts);
        List<Character> keys = new ArrayList<>(n.next.keySet());
        keys.sort(null);
        n.keys = new char[keys.size()];
        n.children = new Node[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            n.keys[i] = keys.get(i);
            n.children[i] = n.next.get(keys.get(i));
            finish(n.children[i], n.prefixAccum, concepts);
        }
    }

    /**
     * The concepts of the word {@code buf[from, to)}; an empty array when none. A stretched word
     * is walked squeezed through the squeezed trie. Never modify the result.
     */
    long[] concepts(char[] buf, int from, int to, boolean stretched) {
        Node n = stretched ? squeezedRoot : root;
        char prev = 0;
        for (int i = from; i < to; i++) {
            char c = buf[i];
            if (stretched && c == prev && Character.isLetter(c)) {
                continue;
            }
            prev = c;
            Node child = child(n, c);
            if (child == null) {
                return n.prefixAccum;
            }
            n = child;
        }
        return n.whole;
    }

    private static Node child(Node n, char c) {
        char[] keys = n.keys;
        int lo = 0;
        int hi = keys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < c) {
                lo = mid + 1;
            } else if (keys[mid] > c) {
                hi = mid - 1;
            } else {
                return n.children[mid];
            }
        }
        return null;
    }

    int conceptCount() {
        return words;
    }

    private static long[] set(long[] bits, int concept, int concepts) {
        long[] out = bits.length == 0 ? new long[(concepts + 63) / 64] : bits;
        out[concept >>> 6] |= 1L << (concept & 63);
        return out;
    }

    private static long[] or(long[] a, long[] b, int concepts) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        long[] out = new long[(concepts + 63) / 64];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] | b[i];
        }
        return out;
    }

    /** One lexicon entry: a normalised word (or beginning) and its concept. */
    record Entry(String word, boolean prefix, int concept) {
    }
}
