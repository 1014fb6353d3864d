package nl.kring.moderation.chatsafe;

import java.text.Normalizer;

/**
 * Turns a message into {@link Tokens}, undoing the usual ways of writing around a filter: case,
 * diacritics ("wéér"), leetspeak inside words ("su1cide", "z3lfm00rd"), stretched words
 * ("nieeeet", marked for squeezed lookup), apostrophes ("don't"), and words spelled out letter by
 * letter ("z e l f m o o r d", "z.e.l.f"). Laughing and ironic emoji become the word {@code lol}, so rules can tell a joke
 * from distress. One linear pass plus one over the words; no regular expressions. Thread-safe
 * (stateless).
 */
public final class Normaliser {

    /** Folded lower-case letter for each char below this bound, or 0 when it is not a letter. */
    private static final int TABLE = 0x0250;
    private static final char[] FOLD = new char[TABLE];

    static {
        for (int c = 0; c < TABLE; c++) {
            if (!Character.isLetter(c)) {
                continue;
            }
            String decomposed = Normalizer.normalize(String.valueOf((char) Character.toLowerCase(c)), Normalizer.Form.NFD);
            char base = decomposed.charAt(0);
            if (base < 0x80 && Character.isLetter(base)) {
                FOLD[c] = base;
            } else if (c == 'ø' || c == 'Ø') {
                FOLD[c] = 'o';
            } else if (c == 'ß') {
                FOLD[c] = 's';
            } else {
                FOLD[c] = (char) Character.toLowerCase(c);
            }
        }
    }

    private Normaliser() {
    }

    public static Tokens normalise(String text) {
        int n = text.length();
        Words w = new Words(n);
        int wordStart = -1;
        int letters = 0;
        boolean hasLetter = false;
        boolean hasLeet = false;
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            char folded = cp < TABLE ? FOLD[cp] : (Character.isLetter(cp) ? '?' : 0);
            boolean digit = cp >= '0' && cp <= '9';
            boolean inWordSymbol = (cp == '@' || cp == '$' || cp == '!') && wordStart >= 0 && hasLetter
                    && i + 1 < n && Character.isLetter(text.charAt(i + 1));
            boolean apostrophe = (cp == '\'' || cp == '\u2019') && wordStart >= 0 && i + 1 < n && Character.isLetter(text.charAt(i + 1));
            if (folded != 0 || digit || inWordSymbol) {
                if (wordStart < 0) {
                    wordStart = w.len;
                    hasLetter = false;
                    hasLeet = false;
                    letters = 0;
                }
                if (folded != 0) {
                    letters++;
                    hasLetter = true;
                    w.put(folded);
                } else {
                    hasLeet = true;
                    w.put((char) cp);
                }
            } else if (!apostrophe) { // "don't" -> "dont": an apostrophe inside a word joins
                if (wordStart >= 0) {
                    w.add(wordStart, finishWord(w.out, wordStart, w.len, hasLeet && letters >= 3));
                    wordStart = -1;
                }
                if (cp == '.' || cp == ',' || cp == ';' || cp == ':' || cp == '!' || cp == '?' || cp == '\n') {
                    w.pendingBreak = true;
                    w.pendingSentence |= cp == '.' || cp == '!' || cp == '?' || cp == '\n';
                }
                if (isLaughing(cp)) {
                    int s = w.len;
                    w.put('l');
                    w.put('o');
                    w.put('l');
                    w.add(s, false);
                }
            }
            i += width;
        }
        if (wordStart >= 0) {
            w.add(wordStart, finishWord(w.out, wordStart, w.len, hasLeet && letters >= 3));
        }
        int count = joinSpelledOut(w.out, w.start, w.end, w.breaks, w.sentences, w.elongated, w.count);
        return new Tokens(w.out, w.start, w.end, count, w.breaks, w.sentences, w.elongated);
    }

    /** The growing output of one normalisation: the character buffer and, per word, its span and marks. */
    private static final class Words {
        char[] out;
        int len;
        int[] start;
        int[] end;
        boolean[] breaks;
        boolean[] sentences;
        boolean[] elongated;
        int count;
        boolean pendingBreak;
        boolean pendingSentence;

        Words(int chars) {
            out = new char[chars + 8];
            int words = chars / 2 + 4;
            start = new int[words];
            end = new int[words];
            breaks = new boolean[words];
            sentences = new boolean[words];
            elongated = new boolean[words];
        }

        void put(char c) {
            if (len == out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2 + 8);
            }
            out[len++] = c;
        }

        /** Ends the word that began at {@code from}, with the clause and sentence marks seen before it. */
        void add(int from, boolean stretched) {
            if (count == start.length) {
                int more = start.length * 2 + 4;
                start = java.util.Arrays.copyOf(start, more);
                end = java.util.Arrays.copyOf(end, more);
                breaks = java.util.Arrays.copyOf(breaks, more);
                sentences = java.util.Arrays.copyOf(sentences, more);
                elongated = java.util.Arrays.copyOf(elongated, more);
            }
            start[count] = from;
            end[count] = len;
            breaks[count] = pendingBreak;
            sentences[count] = pendingSentence;
            elongated[count] = stretched;
            pendingBreak = false;
            pendingSentence = false;
            count++;
        }
    }

    /**
     * Undoes leetspeak (only in words with at least three letters, so "3b" and "06" stay) and
     * tells whether the word has a letter three or more times in a row ("nieeeet"): such words
     * are looked up squeezed, all others exactly (squeezing every word would make "zoon" and
     * "zo'n", or "feel" and "fell", the same word).
     */
    private static boolean finishWord(char[] out, int from, int to, boolean leet) {
        boolean elongated = false;
        int run = 0;
        char prev = 0;
        for (int r = from; r < to; r++) {
            char c = out[r];
            if (leet) {
                c = switch (c) {
                    case '0' -> 'o';
                    case '1', '!' -> 'i';
                    case '3' -> 'e';
                    case '4', '@' -> 'a';
                    case '5', '$' -> 's';
                    case '7' -> 't';
                    default -> c;
                };
                out[r] = c;
            }
            run = c == prev ? run + 1 : 1;
            if (run >= 3 && Character.isLetter(c)) {
                elongated = true;
            }
            prev = c;
        }
        return elongated;
    }

    /**
     * Joins runs of three or more one-letter words ("z e l f m o o r d") into one word, squeezed
     * like any other; returns the new word count. Works in place: a joined word is rewritten
     * over the letters it is made of.
     */
    private static int joinSpelledOut(char[] out, int[] start, int[] end, boolean[] breaks, boolean[] sentences,
                                      boolean[] elongated, int count) {
        int w = 0;
        for (int r = 0; r < count; ) {
            int run = r;
            while (run < count && end[run] - start[run] == 1 && Character.isLetter(out[start[run]])) {
                run++;
            }
            if (run - r >= 3) {
                int s = start[r];
                int p = s;
                for (int k = r; k < run; k++) {
                    out[p++] = out[start[k]];
                }
                start[w] = s;
                end[w] = p;
                breaks[w] = breaks[r];
                sentences[w] = sentences[r];
                elongated[w] = true;
                w++;
                r = run;
            } else {
                start[w] = start[r];
                end[w] = end[r];
                breaks[w] = breaks[r];
                sentences[w] = sentences[r];
                elongated[w] = elongated[r];
                w++;
                r++;
            }
        }
        return w;
    }

    /** Emoji that mark a joke or irony: tears of joy, rolling on the floor, skull, grinning squint, upside-down face, sweat smile. */
    static boolean isLaughing(int cp) {
        return cp == 0x1F602 || cp == 0x1F923 || cp == 0x1F480 || cp == 0x1F606 || cp == 0x1F643 || cp == 0x1F605 || cp == 0x1F639;
    }

}
