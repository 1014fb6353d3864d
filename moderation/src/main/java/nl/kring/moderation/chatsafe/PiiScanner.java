package nl.kring.moderation.chatsafe;

import java.util.List;
import java.util.Locale;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * Contact details that would take a conversation off the platform, found by hand-written
 * scanners over the raw text (numbers and addresses need the characters that normalisation
 * removes): phone numbers (Dutch mobile and landline, international), e-mail addresses, Dutch
 * postcodes, street addresses, social handles ({@code @naam}), school with class, and a full
 * name after "ik heet" or "my name is". Linear in the text; no regular expressions. Stateless.
 */
final class PiiScanner {

    private static final List<String> STREETS = List.of("straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk",
            "steeg", "hof", "pad", "street", "road", "avenue", "lane", "drive");
    private static final java.util.Set<String> ENGLISH_STREETS = java.util.Set.of("street", "road", "avenue", "lane", "drive");
    private static final List<String> SCHOOLS = List.of("college", "lyceum", "school", "gymnasium", "atheneum", "academie",
            "academy", "high", "mavo", "havo", "vwo", "scholengemeenschap");
    private static final List<String> CLASS_WORDS = List.of("klas", "class", "groep", "form");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");
    private static final java.util.Set<String> PARTICLES = java.util.Set.of("van", "de", "den", "der", "ter", "ten", "te", "het",
            "'t", "in", "op", "von", "da", "di", "la", "le", "el", "al", "bin");
    private static final List<String> NAME_INTROS = List.of("heet", "naam is", "name is", "mijn naam", "my name");

    private PiiScanner() {
    }

    /** The first contact detail found, or {@code null}. */
    static Finding scan(String text) {
        String rule = phoneOrEmailOrHandle(text);
        if (rule == null) {
            rule = words(text);
        }
        return rule == null ? null : new Finding(RiskCategory.PII, Severity.LOW, rule);
    }

    private static String phoneOrEmailOrHandle(String t) {
        int n = t.length();
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if ((c == '+' || isDigit(c)) && (i == 0 || !isWordChar(t.charAt(i - 1)))) {
                int digits = 0;
                int j = i;
                StringBuilder number = new StringBuilder(16);
                while (j < n && (isDigit(t.charAt(j)) || " -.()+/".indexOf(t.charAt(j)) >= 0) && j - i < 24) {
                    if (isDigit(t.charAt(j))) {
                        digits++;
                        number.append(t.charAt(j));
                    }
                    j++;
                }
                if (isPhone(c == '+', number)) {
                    return "pii.phone";
                }
                if (digits >= 4 && isPostcode(t, i)) {
                    return "pii.postcode";
                }
                i = Math.max(i, j - 1);
            } else if (c == '@') {
                int left = i;
                while (left > 0 && isLocalChar(t.charAt(left - 1))) {
                    left--;
                }
                int right = i + 1;
                while (right < n && isLocalChar(t.charAt(right))) {
                    right++;
                }
                String after = t.substring(i + 1, right);
                if (left < i && after.indexOf('.') > 0 && after.lastIndexOf('.') < after.length() - 2) {
                    return "pii.email";
                }
                if (left == i && after.length() >= 3 && Character.isLetterOrDigit(after.charAt(0))) {
                    return "pii.handle";
                }
            }
        }
        return null;
    }

    /** Dutch mobile (06…, +31 6…, 0031 6…), Dutch landline (0 + 9 digits), British mobile (07 + 9 digits), or any + number of 8 to 15 digits. */
    private static boolean isPhone(boolean plus, CharSequence d) {
        int len = d.length();
        String s = d.toString();
        if (plus) {
            return len >= 8 && len <= 15;
        }
        if (s.startsWith("0031")) {
            return len == 13;
        }
        if (s.startsWith("06")) {
            return len == 10;
        }
        if (s.startsWith("07") && len == 11) {
            return true; // a British mobile
        }
        return s.startsWith("0") && !s.startsWith("00") && len == 10;
    }

    /** Four digits (not starting with 0), an optional space, two letters (upper case when spaced), then no letter. */
    private static boolean isPostcode(String t, int i) {
        int n = t.length();
        if (i + 6 > n || t.charAt(i) == '0') {
            return false;
        }
        for (int k = 0; k < 4; k++) {
            if (!isDigit(t.charAt(i + k))) {
                return false;
            }
        }
        int p = i + 4;
        boolean spaced = t.charAt(p) == ' ';
        if (spaced) {
            p++;
        }
        if (p + 2 > n) {
            return false;
        }
        char a = t.charAt(p);
        char b = t.charAt(p + 1);
        if (!Character.isLetter(a) || !Character.isLetter(b) || (p + 2 < n && Character.isLetter(t.charAt(p + 2)))) {
            return false;
        }
        return !spaced || (Character.isUpperCase(a) && Character.isUpperCase(b));
    }

    /** Street addresses, Discord tags, school with class, and a full name after an introduction, over the raw words. */
    private static String words(String original) {
        String text = lowerSameLength(original);
        int n = text.length();
        int[] from = new int[n / 2 + 2];
        int[] to = new int[n / 2 + 2];
        int count = 0;
        for (int i = 0; i < n; ) {
            while (i < n && isBreak(text.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < n && !isBreak(text.charAt(i))) {
                i++;
            }
            if (i > s) {
                from[count] = s;
                to[count] = i;
                count++;
            }
        }
        boolean school = false;
        boolean classNumber = false;
        for (int i = 0; i < count; i++) {
            int s = from[i];
            int e = to[i];
            char last = text.charAt(e - 1);
            for (String street : STREETS) {
                int len = street.length();
                boolean named = e - s > len + 2 || (e - s == len && ENGLISH_STREETS.contains(street) && i > 0);
                if (last == street.charAt(len - 1) && named && text.regionMatches(e - len, street, 0, len)
                        && houseNumberNear(text, from, to, count, i)) {
                    return "pii.address";
                }
            }
            int hash = text.indexOf('#', s);
            if (hash > s + 1 && hash < e && e - hash == 5 && isDigit(text.charAt(hash + 1)) && isDigit(text.charAt(e - 1))) {
                return "pii.handle";
            }
            for (String school1 : SCHOOLS) {
                if (last == school1.charAt(school1.length() - 1) && e - s >= school1.length() && text.regionMatches(e - school1.length(), school1, 0, school1.length())
                        && (e - s > school1.length() || i > 0)) {
                    school = true;
                }
            }
            if (i + 1 < count && isClassWord(text, s, e) && isDigit(text.charAt(from[i + 1])) && to[i + 1] - from[i + 1] <= 4) {
                classNumber = true;
            }
            if (isClassCode(text, s, e)) {
                classNumber = true;
            }
        }
        if (school && classNumber) {
            return "pii.school";
        }
        for (String intro : NAME_INTROS) {
            int at = text.indexOf(intro);
            if (at >= 0 && fullNameAfter(original, at + intro.length())) {
                return "pii.name";
            }
        }
        return null;
    }

    /** Lower case char by char, so that every index stays valid in the original ("İ" would grow with String.toLowerCase). */
    private static String lowerSameLength(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Character.toLowerCase(s.charAt(i));
        }
        return new String(out);
    }

    private static boolean isBreak(char c) {
        return Character.isWhitespace(c) || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '(' || c == ')';
    }

    private static boolean isClassWord(String text, int s, int e) {
        for (String w : CLASS_WORDS) {
            if (e - s == w.length() && text.regionMatches(s, w, 0, w.length())) {
                return true;
            }
        }
        return false;
    }

    /** A house number (1 to 4 digits, maybe a letter) within four words of the street name. */
    private static boolean houseNumberNear(String text, int[] from, int[] to, int count, int street) {
        for (int k = Math.max(0, street - 4); k <= Math.min(count - 1, street + 4); k++) {
            int len = to[k] - from[k];
            if (k != street && len <= 5 && isDigit(text.charAt(from[k]))
                    && (len < 5 || Character.isLetter(text.charAt(from[k] + 4)))) {
                return true;
            }
        }
        return false;
    }

    /** A class code such as "3b", "2c", "4havo" or "10b": one or two digits, then letters. */
    private static boolean isClassCode(String text, int s, int e) {
        int len = e - s;
        if (len < 2 || len > 6 || text.charAt(s) < '1' || text.charAt(s) > '9') {
            return false;
        }
        int i = isDigit(text.charAt(s + 1)) ? s + 2 : s + 1;
        if (i >= e) {
            return false;
        }
        for (int k = i; k < e; k++) {
            if (!Character.isLetter(text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Two capitalised words within the next four words (a first name and a surname). */
    private static boolean fullNameAfter(String text, int from) {
        if (from >= text.length()) {
            return false;
        }
        String[] next = SPACES.split(text.substring(from).strip(), 6);
        int capitals = 0;
        for (int i = 0; i < Math.min(5, next.length); i++) {
            String word = next[i];
            if (capitals == 1 && PARTICLES.contains(word)) {
                continue; // "Noor van den Berg"
            }
            if (!word.isEmpty() && Character.isUpperCase(word.charAt(0)) && word.length() > 1) {
                capitals++;
                if (capitals == 2) {
                    return true;
                }
            } else if (capitals == 1) {
                return false;
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c);
    }

    private static boolean isLocalChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '%';
    }
}
