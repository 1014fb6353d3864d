package nl.kring.moderation.chatsafe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;

/**
 * The compiled rules: a lexicon of concepts and the rules over them, from one or more rule
 * files (the built-in Dutch and English files, plus a community's own extension). Immutable
 * and thread-safe once built.
 *
 * <p>The file format (see {@code docs/safety.md}): one statement a line, {@code #} starts a
 * comment.
 * <pre>
 * version 2026.11.24
 * &#64;self = ik mij me mezelf
 * &#64;dead = dood dead sterv*          (a word ending in * is a word beginning)
 * si.want-dead  suicidal_ideation medium : &#64;self ~2 &#64;want ~2 &#64;dead
 * guard.laugh   guard - if=&#64;laugh : ik ~1 {ben,was} ~1 dood
 * </pre>
 * {@code ~N} allows up to N other words between two elements; {@code {a,b*,@c}} is a choice;
 * {@code x?} is an optional element; a pattern ending in {@code $} must end its clause; a
 * pattern starting with {@code [N]} matches its elements in any order within N words of one sentence;
 * flags: {@code neg=off} (the pattern itself contains a negation), {@code if=@c} and
 * {@code unless=@c} (the message does or does not contain a concept anywhere).
 */
public final class Ruleset {

    /** Concepts the engine itself needs; every rule set must define them. */
    static final String NEGATION = "neg";
    static final String SELF = "self";
    static final String CLAUSE = "clause";

    final Lexicon lexicon;
    final List<Rule> guards;
    final List<Rule> rules;
    final int negation;
    final int self;
    final int clause;
    final int words;
    final List<String> versions;

    private Ruleset(Lexicon lexicon, List<Rule> guards, List<Rule> rules, int negation, int self, int clause, int words,
                    List<String> versions) {
        this.lexicon = lexicon;
        this.guards = List.copyOf(guards);
        this.rules = List.copyOf(rules);
        this.negation = negation;
        this.self = self;
        this.clause = clause;
        this.words = words;
        this.versions = List.copyOf(versions);
    }

    /** The built-in rule files (Dutch and English), from the classpath. */
    public static Ruleset builtIn() {
        return builder().addResource("chatsafe/rules-nl.txt").addResource("chatsafe/rules-en.txt").build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of rules and guards, for explanations and tests. */
    public int size() {
        return rules.size() + guards.size();
    }

    /** The version line of each file, in load order. */
    public List<String> versions() {
        return versions;
    }

    /** Reads rule files; {@link #build} fails with a message naming the file and line of every error. */
    public static final class Builder {

        private record Line(String source, String text) {
        }

        private final List<Line> lines = new ArrayList<>();
        private final List<String> versions = new ArrayList<>();

        public Builder addResource(String path) {
            try (InputStream in = Ruleset.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalArgumentException("no rule file on the classpath: " + path);
                }
                return add(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
        }

        /** Adds a file's text (a community's extension, for example); {@code name} appears in errors. */
        public Builder add(String name, String text) {
            String[] split = text.split("\n", -1);
            for (int i = 0; i < split.length; i++) {
                String line = split[i];
                int hash = line.indexOf('#');
                if (hash >= 0) {
                    line = line.substring(0, hash);
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("version ")) {
                    versions.add(name + " " + line.substring(8).strip());
                    continue;
                }
                lines.add(new Line(name + ":" + (i + 1), line));
            }
            return this;
        }

        public Ruleset build() {
            List<String> errors = new ArrayList<>();
            Map<String, Set<String>> definitions = new LinkedHashMap<>();
            List<Line> ruleLines = new ArrayList<>();
            for (Line l : lines) {
                if (l.text.startsWith("@")) {
                    int eq = l.text.indexOf('=');
                    if (eq < 0) {
                        errors.add(l.source + ": a concept needs '=': " + l.text);
                        continue;
                    }
                    String name = l.text.substring(1, eq).strip();
                    Set<String> items = definitions.computeIfAbsent(name, k -> new LinkedHashSet<>());
                    for (String item : l.text.substring(eq + 1).strip().split("\\s+")) {
                        if (!item.isEmpty()) {
                            items.add(item);
                        }
                    }
                } else {
                    ruleLines.add(l);
                }
            }
            Compiler c = new Compiler(definitions, errors);
            for (String required : List.of(NEGATION, SELF, CLAUSE)) {
                if (!definitions.containsKey(required)) {
                    errors.add("the rules must define @" + required);
                }
            }
            List<Rule> guards = new ArrayList<>();
            List<Rule> rules = new ArrayList<>();
            Set<String> ids = new LinkedHashSet<>();
            for (Line l : ruleLines) {
                List<Rule> variants = c.rule(l.source, l.text);
                if (variants.isEmpty()) {
                    continue;
                }
                if (!ids.add(variants.get(0).id())) {
                    errors.add(l.source + ": rule id used twice: " + variants.get(0).id());
                }
                for (Rule r : variants) {
                    (r.kind() == Rule.Kind.GUARD ? guards : rules).add(r);
                }
            }
            int negation = c.concept("@" + NEGATION, "built-in");
            int self = c.concept("@" + SELF, "built-in");
            int clause = c.concept("@" + CLAUSE, "built-in");
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("rule files have errors:\n  " + String.join("\n  ", errors));
            }
            int words = (c.count + 63) / 64;
            List<Rule> sized = new ArrayList<>();
            for (Rule r : rules) {
                sized.add(c.sized(r));
            }
            List<Rule> sizedGuards = new ArrayList<>();
            for (Rule r : guards) {
                sizedGuards.add(c.sized(r));
            }
            return new Ruleset(Lexicon.build(c.entries, c.count), sizedGuards, sized, negation, self, clause, words, versions);
        }
    }

    /** Turns concept names, words and rule lines into ids and compiled rules. */
    private static final class Compiler {
        final Map<String, Set<String>> definitions;
        final List<String> errors;
        final Map<String, Integer> ids = new LinkedHashMap<>();
        final List<Lexicon.Entry> entries = new ArrayList<>();
        final Map<Integer, Integer> wordsPerConcept = new java.util.HashMap<>();
        int count;

        Compiler(Map<String, Set<String>> definitions, List<String> errors) {
            this.definitions = definitions;
            this.errors = errors;
        }

        /** The id of an element: a concept, a word, a word beginning or a choice; -1 after an error. */
        int concept(String element, String source) {
            Integer known = ids.get(element);
            if (known != null) {
                return known;
            }
            Set<String> words = new LinkedHashSet<>();
            if (element.startsWith("@")) {
                if (!expand(element.substring(1), words, new LinkedHashSet<>(), source)) {
                    return -1;
                }
            } else if (element.startsWith("{") && element.endsWith("}")) {
                for (String alt : element.substring(1, element.length() - 1).split(",")) {
                    String a = alt.strip();
                    if (a.startsWith("@")) {
                        if (!expand(a.substring(1), words, new LinkedHashSet<>(), source)) {
                            return -1;
                        }
                    } else if (!a.isEmpty()) {
                        words.add(a);
                    }
                }
            } else {
                words.add(element);
            }
            int id = count++;
            ids.put(element, id);
            for (String w : words) {
                boolean prefix = w.endsWith("*");
                String raw = prefix ? w.substring(0, w.length() - 1) : w;
                Tokens t = Normaliser.normalise(raw);
                if (t.count() != 1) {
                    errors.add(source + ": '" + w + "' is not one word after normalisation");
                    continue;
                }
                entries.add(new Lexicon.Entry(t.word(0), prefix, id));
                wordsPerConcept.merge(id, prefix ? 8 : 1, Integer::sum);
            }
            return id;
        }

        private boolean expand(String name, Set<String> out, Set<String> seen, String source) {
            Set<String> items = definitions.get(name);
            if (items == null) {
                errors.add(source + ": unknown concept @" + name);
                return false;
            }
            if (!seen.add(name)) {
                errors.add(source + ": concept @" + name + " includes itself");
                return false;
            }
            for (String item : items) {
                if (item.startsWith("@")) {
                    if (!expand(item.substring(1), out, seen, source)) {
                        return false;
                    }
                } else {
                    out.add(item);
                }
            }
            return true;
        }

        /**
         * The compiled forms of one rule line: one per combination of its optional elements
         * ({@code x?}); an element left out widens the gap around it by one word.
         */
        List<Rule> rule(String source, String text) {
            int colon = text.indexOf(" : ");
            if (colon < 0) {
                errors.add(source + ": a rule needs ' : ' between its head and its pattern");
                return List.of();
            }
            String[] head = text.substring(0, colon).strip().split("\\s+");
            String[] pattern = text.substring(colon + 3).strip().split("\\s+");
            if (head.length < 3) {
                errors.add(source + ": a rule head is: id category severity [flags]");
                return List.of();
            }
            String id = head[0];
            Rule.Kind kind;
            RiskCategory category = RiskCategory.NONE;
            switch (head[1]) {
                case "guard" -> kind = Rule.Kind.GUARD;
                case "recovery" -> kind = Rule.Kind.RECOVERY;
                default -> {
                    kind = Rule.Kind.FINDING;
                    try {
                        category = RiskCategory.fromWireName(head[1]);
                    } catch (IllegalArgumentException e) {
                        errors.add(source + ": unknown category " + head[1]);
                        return List.of();
                    }
                }
            }
            Severity severity = Severity.NONE;
            if (!head[2].equals("-")) {
                try {
                    severity = Severity.fromWireName(head[2]);
                } catch (IllegalArgumentException e) {
                    errors.add(source + ": unknown severity " + head[2]);
                    return List.of();
                }
            }
            boolean negation = kind == Rule.Kind.FINDING;
            int ifConcept = -1;
            int unlessConcept = -1;
            for (int i = 3; i < head.length; i++) {
                String flag = head[i];
                if (flag.equals("neg=off")) {
                    negation = false;
                } else if (flag.equals("neg=on")) {
                    negation = true;
                } else if (flag.startsWith("if=")) {
                    ifConcept = concept(flag.substring(3), source);
                } else if (flag.startsWith("unless=")) {
                    unlessConcept = concept(flag.substring(7), source);
                } else {
                    errors.add(source + ": unknown flag " + flag);
                }
            }
            List<Integer> elements = new ArrayList<>();
            List<Integer> gaps = new ArrayList<>();
            List<Boolean> optional = new ArrayList<>();
            int window = 0;
            if (pattern.length > 1 && pattern[0].startsWith("[") && pattern[0].endsWith("]")) {
                try {
                    window = Integer.parseInt(pattern[0].substring(1, pattern[0].length() - 1));
                } catch (NumberFormatException e) {
                    errors.add(source + ": bad window " + pattern[0]);
                }
                if (window < 2 || window > 16) {
                    errors.add(source + ": a window is 2 to 16 words: " + pattern[0]);
                }
                pattern = java.util.Arrays.copyOfRange(pattern, 1, pattern.length);
            }
            boolean clauseEnd = pattern.length > 1 && pattern[pattern.length - 1].equals("$");
            if (clauseEnd) {
                pattern = java.util.Arrays.copyOf(pattern, pattern.length - 1);
            }
            int gap = 0;
            for (String p : pattern) {
                if (p.startsWith("~")) {
                    try {
                        gap = Integer.parseInt(p.substring(1));
                    } catch (NumberFormatException e) {
                        errors.add(source + ": bad gap " + p);
                    }
                    if (gap < 0 || gap > 12) {
                        errors.add(source + ": a gap is 0 to 12 words: " + p);
                    }
                    continue;
                }
                boolean opt = p.endsWith("?") && p.length() > 1;
                elements.add(concept(opt ? p.substring(0, p.length() - 1) : p, source));
                gaps.add(gap);
                optional.add(opt);
                gap = 0;
            }
            if (elements.isEmpty()) {
                errors.add(source + ": empty pattern");
                return List.of();
            }
            int optionals = (int) optional.stream().filter(b -> b).count();
            if (optionals > 4) {
                errors.add(source + ": at most 4 optional elements");
                return List.of();
            }
            List<Rule> variants = new ArrayList<>();
            for (int mask = 0; mask < (1 << optionals); mask++) {
                List<Integer> el = new ArrayList<>();
                List<Integer> gp = new ArrayList<>();
                int bit = 0;
                int carry = 0;
                for (int i = 0; i < elements.size(); i++) {
                    boolean leaveOut = optional.get(i) && (mask & (1 << bit++)) != 0;
                    if (leaveOut) {
                        carry += gaps.get(i) + 1;
                        continue;
                    }
                    el.add(elements.get(i));
                    gp.add(el.size() == 1 ? 0 : Math.min(12, gaps.get(i) + carry));
                    carry = 0;
                }
                if (el.isEmpty()) {
                    continue;
                }
                variants.add(new Rule(id, kind, category, severity, el.stream().mapToInt(Integer::intValue).toArray(),
                        gp.stream().mapToInt(Integer::intValue).toArray(), null, negation, ifConcept, unlessConcept, clauseEnd, window,
                        -1, source));
            }
            return variants;
        }

        /** The rule with its required-concepts set, once the number of concepts is known. */
        Rule sized(Rule r) {
            int key = r.elements()[0];
            for (int e : r.elements()) {
                if (e >= 0 && wordsPerConcept.getOrDefault(e, 0) < wordsPerConcept.getOrDefault(key, Integer.MAX_VALUE)) {
                    key = e;
                }
            }
            long[] required = new long[(count + 63) / 64];
            for (int e : r.elements()) {
                if (e >= 0) {
                    required[e >>> 6] |= 1L << (e & 63);
                }
            }
            if (r.ifConcept() >= 0) {
                required[r.ifConcept() >>> 6] |= 1L << (r.ifConcept() & 63);
            }
            return new Rule(r.id(), r.kind(), r.category(), r.severity(), r.elements(), r.gaps(), required,
                    r.checkNegation(), r.ifConcept(), r.unlessConcept(), r.clauseEnd(), r.window(), key, r.source());
        }
    }
}
