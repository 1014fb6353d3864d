package nl.kring.moderation.chatsafe;

import java.util.ArrayList;
import java.util.List;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * The #chatsafe classifier: normalises a message, masks figurative language (guards), runs
 * every rule whose concepts all occur, drops matches cancelled by a negation just before them,
 * applies recovery stories and worry about someone else, adds contact details found by the
 * {@link PiiScanner}, and returns the most serious finding with all the others. Thread-safe:
 * the rule set is immutable and each call works on its own arrays.
 *
 * <p>Cost: linear in the message for normalising and looking words up; per candidate rule
 * O(elements × words). Measured in {@code docs/benchmarks.md}.
 */
public final class Classifier {

    /** How far back a negation ("niet", "not", "don't") cancels a match, in words, within the clause. */
    static final int NEGATION_REACH = 2;

    private final Ruleset rules;
    private final Model model;

    /** Rules only, without the trained model. */
    public Classifier(Ruleset rules) {
        this(rules, null);
    }

    /** Rules and, when not null, the trained model beside them. */
    public Classifier(Ruleset rules, Model model) {
        this.rules = rules;
        this.model = model;
    }

    /** A classifier with the built-in Dutch and English rules and the built-in model. */
    public static Classifier builtIn() {
        return new Classifier(Ruleset.builtIn(), Model.builtIn());
    }

    /** The built-in rules alone (for comparison in evaluations). */
    public static Classifier rulesOnly() {
        return new Classifier(Ruleset.builtIn(), null);
    }

    public Ruleset rules() {
        return rules;
    }

    /** The model beside the rules, or null. */
    public Model model() {
        return model;
    }

    /**
     * Rules and model together: the rules' findings (each explainable by its rule id), the model's
     * sure findings for categories the rules did not find, and the model's uncertain findings for
     * categories that no sure finding has. When the model is sure the message is about someone
     * else's risk (a friend, a reply to a member at risk) and a rule found the author's own risk in
     * words that do not speak of the author ("ik las dat je pillen hebt gespaard"), that rule's
     * finding is dropped: the message is prompted as worry about someone else, not held.
     */
    public Classification classify(String text) {
        if (text == null || text.isEmpty()) {
            return Classification.NONE;
        }
        Tokens t = Normaliser.normalise(text);
        if (model == null) {
            return result(ruleFindings(t, text, null), List.of());
        }
        Model.Scores scores = model.score(t, text);
        java.util.Set<RiskCategory> modelSure = java.util.EnumSet.noneOf(RiskCategory.class);
        for (RiskCategory c : RiskCategory.values()) {
            if (scores.sure(c)) {
                modelSure.add(c);
            }
        }
        List<Finding> all = ruleFindings(t, text, modelSure.contains(RiskCategory.THIRD_PARTY_RISK) ? modelSure : null);
        for (RiskCategory c : modelSure) {
            if (!hasCategory(all, c)) {
                all.add(scores.finding(c)); // explained only when kept
            }
        }
        Finding unsure = modelSure.isEmpty() ? scores.uncertain() : null;
        return result(all, unsure == null || hasCategory(all, unsure.category()) ? List.of() : List.of(unsure));
    }

    /** The rules alone (the community's words included), without the model. */
    public Classification classifyRules(String text) {
        if (text == null || text.isEmpty()) {
            return Classification.NONE;
        }
        return result(ruleFindings(Normaliser.normalise(text), text, null), List.of());
    }

    /** The model alone (no rules, no contact-detail scanner); nothing when there is no model. */
    public Classification classifyModel(String text) {
        if (model == null || text == null || text.isEmpty()) {
            return Classification.NONE;
        }
        List<Finding> sure = new ArrayList<>(2);
        List<Finding> unsure = new ArrayList<>(2);
        model.findings(text, sure, unsure);
        return result(sure, unsure);
    }

    private static boolean hasCategory(List<Finding> findings, RiskCategory c) {
        for (Finding f : findings) {
            if (f.category() == c) {
                return true;
            }
        }
        return false;
    }

    private static Classification result(List<Finding> kept, List<Finding> uncertain) {
        if (kept.isEmpty()) {
            return uncertain.isEmpty() ? Classification.NONE
                    : new Classification(RiskCategory.NONE, Severity.NONE, null, List.of(), uncertain);
        }
        Finding top = kept.get(0);
        for (Finding f : kept) {
            if (outranks(f, top)) {
                top = f;
            }
        }
        return new Classification(top.category(), top.severity(), top.rule(), kept, uncertain);
    }

    /**
     * The rules' findings. Worry about someone else (a third-party rule, or {@code modelSure} when
     * the model is sure of it, with the categories the model is sure of) drops a finding of the
     * author's own risk whose words do not speak of the author ("ik", "me", "mijn"); the model's
     * worry keeps a finding of a category the model is sure of too.
     */
    private List<Finding> ruleFindings(Tokens t, String text, java.util.Set<RiskCategory> modelSure) {
        List<Finding> kept = new ArrayList<>(4);
        int n = t.count;
        long[][] concepts = new long[n][];
        long[] all = new long[rules.words];
        for (int i = 0; i < n; i++) {
            long[] c = rules.lexicon.concepts(t.buf, t.start[i], t.end[i], t.elongated[i]);
            concepts[i] = c;
            for (int k = 0; k < c.length; k++) {
                all[k] |= c[k];
            }
        }
        Matcher m = new Matcher(t, concepts, all);
        for (Rule g : rules.guards) {
            if (m.applicable(g)) {
                m.mask(g);
            }
        }
        List<Finding> findings = new ArrayList<>(4);
        List<int[]> spans = new ArrayList<>(4);
        List<int[]> thirdPartySpans = new ArrayList<>(2);
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean recovery = false;
        boolean thirdParty = false;
        for (Rule r : rules.rules) {
            if (!m.applicable(r)) {
                continue;
            }
            // another variant of a rule that already matched (optional elements) need not run
            if (r.kind() == Rule.Kind.RECOVERY ? recovery : seen.contains(r.id())) {
                continue;
            }
            int[] span = m.find(r);
            if (span == null) {
                continue;
            }
            if (r.kind() == Rule.Kind.RECOVERY) {
                recovery = true;
                continue;
            }
            if (!seen.add(r.id())) {
                continue;
            }
            if (r.category() == RiskCategory.THIRD_PARTY_RISK) {
                thirdParty = true;
                thirdPartySpans.add(span);
            }
            findings.add(new Finding(r.category(), r.severity(), r.id()));
            spans.add(span);
        }
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            boolean selfRisk = f.category() == RiskCategory.SUICIDAL_IDEATION || f.category() == RiskCategory.SELF_HARM;
            if (recovery && selfRisk) {
                continue;
            }
            boolean aboutSelf = selfRisk || f.category() == RiskCategory.IMMINENT_RISK || f.category() == RiskCategory.METHOD_DETAIL;
            boolean othersWords = aboutSelf && !m.hasSelf(spans.get(i));
            if (thirdParty && aboutSelf && (othersWords || overlaps(spans.get(i), thirdPartySpans))) {
                continue;
            }
            if (modelSure != null && othersWords && !modelSure.contains(f.category())) {
                continue;
            }
            kept.add(f);
        }
        Finding pii = PiiScanner.scan(text);
        if (pii != null) {
            kept.add(pii);
        }
        return kept;
    }

    private static boolean overlaps(int[] span, List<int[]> others) {
        for (int[] o : others) {
            if (span[0] <= o[1] && o[0] <= span[1]) {
                return true;
            }
        }
        return false;
    }

    /** Severity first; between equals, the category that calls for more care. */
    static boolean outranks(Finding a, Finding b) {
        int bySeverity = a.severity().compareTo(b.severity());
        if (bySeverity != 0) {
            return bySeverity > 0;
        }
        return rank(a.category()) > rank(b.category());
    }

    private static int rank(RiskCategory c) {
        return switch (c) {
            case IMMINENT_RISK -> 7;
            case METHOD_DETAIL -> 6;
            case SUICIDAL_IDEATION -> 5;
            case SELF_HARM -> 4;
            case THIRD_PARTY_RISK -> 3;
            case HARASSMENT -> 2;
            case PII -> 1;
            default -> 0;
        };
    }

    /** Matching over one message's words. */
    private final class Matcher {
        final Tokens t;
        final long[][] concepts;
        final long[] all;
        final int n;
        int[] bufA;
        int[] bufB;

        Matcher(Tokens t, long[][] concepts, long[] all) {
            this.t = t;
            this.concepts = concepts;
            this.all = all;
            this.n = t.count;
        }

        boolean has(int word, int concept) {
            long[] c = concepts[word];
            int k = concept >>> 6;
            return k < c.length && (c[k] & (1L << (concept & 63))) != 0;
        }

        boolean messageHas(int concept) {
            return (all[concept >>> 6] & (1L << (concept & 63))) != 0;
        }

        boolean applicable(Rule r) {
            int key = r.key();
            if (key >= 0 && (all[key >>> 6] & (1L << (key & 63))) == 0) {
                return false;
            }
            long[] req = r.required();
            for (int k = 0; k < req.length; k++) {
                if ((all[k] & req[k]) != req[k]) {
                    return false;
                }
            }
            return r.unlessConcept() < 0 || !messageHas(r.unlessConcept());
        }

        /** Masks the words of every match of a guard: they no longer count for other rules. */
        void mask(Rule g) {
            int from = 0;
            while (from < n) {
                int[] span = scan(g, from, false);
                if (span == null) {
                    return;
                }
                for (int i = span[0]; i <= span[1]; i++) {
                    concepts[i] = new long[0];
                }
                from = span[1] + 1;
            }
        }

        /** The first match of the rule that no negation cancels: {start, end} word indexes, or null. */
        int[] find(Rule r) {
            return scan(r, 0, r.checkNegation());
        }

        /**
         * Finds matches ending at or after {@code from}. For each end the latest start is kept
         * (the tightest match), found by one pass per element with a sliding window: reach[i] is
         * the start of a match of elements 0..k ending at word i, or -1.
         */
        int[] scan(Rule r, int from, boolean negation) {
            if (r.window() > 0) {
                return scanUnordered(r, from, negation);
            }
            int[] el = r.elements();
            int[] gaps = r.gaps();
            if (bufA == null) {
                bufA = new int[n];
                bufB = new int[n];
            }
            int[] cur = bufA;
            int[] next = bufB;
            for (int i = 0; i < n; i++) {
                cur[i] = has(i, el[0]) ? i : -1;
            }
            for (int k = 1; k < el.length; k++) {
                for (int i = 0; i < n; i++) {
                    int best = -1;
                    if (has(i, el[k])) {
                        for (int j = i - 1; j >= Math.max(0, i - 1 - gaps[k]); j--) {
                            if (t.sentenceBefore[j + 1]) {
                                break; // a sentence ends between j and i: a match does not reach across it
                            }
                            if (cur[j] > best) {
                                best = cur[j];
                            }
                        }
                    }
                    next[i] = best;
                }
                int[] swap = cur;
                cur = next;
                next = swap;
            }
            for (int end = from; end < n; end++) {
                int start = cur[end];
                if (start < from) {
                    continue;
                }
                if (r.clauseEnd() && end + 1 < n && !t.breakBefore[end + 1]) {
                    continue;
                }
                if (negation && negated(start, end)) {
                    continue;
                }
                return new int[] {start, end};
            }
            return null;
        }

        /**
         * All elements, in any order, within the rule's window and one sentence: for each end word
         * the latest position of every element so far gives the tightest span ending there.
         */
        int[] scanUnordered(Rule r, int from, boolean negation) {
            int[] el = r.elements();
            int[] last = new int[el.length];
            java.util.Arrays.fill(last, -1);
            for (int end = 0; end < n; end++) {
                if (t.sentenceBefore[end]) {
                    java.util.Arrays.fill(last, -1);
                }
                boolean touched = false;
                for (int k = 0; k < el.length; k++) {
                    if (has(end, el[k])) {
                        last[k] = end;
                        touched = true;
                    }
                }
                if (!touched || end < from) {
                    continue;
                }
                int start = end;
                for (int k = 0; k < el.length; k++) {
                    start = Math.min(start, last[k]);
                }
                if (start < 0 || end - start >= r.window() || start < from) {
                    continue;
                }
                if (negation && (negated(start, end) || anyNegated(last))) {
                    continue;
                }
                return new int[] {start, end};
            }
            return null;
        }

        /** Whether a negation stands up to three words before any of the words (within its clause): "don't want to die". */
        boolean anyNegated(int[] words) {
            for (int w : words) {
                for (int i = w - 1; i >= Math.max(0, w - 3); i--) {
                    if (t.breakBefore[i + 1] || has(i, rules.clause)) {
                        break;
                    }
                    if (has(i, rules.negation)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** A negation inside the match, or up to {@link #NEGATION_REACH} words before it within its clause. */
        boolean negated(int start, int end) {
            for (int i = start; i <= end; i++) {
                if (has(i, rules.negation)) {
                    return true;
                }
            }
            for (int i = start - 1; i >= Math.max(0, start - NEGATION_REACH); i--) {
                if (t.breakBefore[i + 1] || has(i, rules.clause)) {
                    return false;
                }
                if (has(i, rules.negation)) {
                    return true;
                }
            }
            return false;
        }

        boolean hasSelf(int[] span) {
            for (int i = span[0]; i <= span[1]; i++) {
                if (has(i, rules.self)) {
                    return true;
                }
            }
            return false;
        }
    }
}
