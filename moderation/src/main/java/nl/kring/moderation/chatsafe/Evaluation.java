package nl.kring.moderation.chatsafe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nl.kring.moderation.RiskCategory;

/**
 * Precision and recall per category of a classifier on a labelled JSONL file (one object a line
 * with at least {@code text} and {@code category}, as in {@code shared/chatsafe/dev-set.jsonl}).
 */
public final class Evaluation {

    /** One labelled message and what the classifier said. */
    public record Case(String text, RiskCategory expected, RiskCategory actual, String rule, boolean review, String family) {

        public Case(String text, RiskCategory expected, RiskCategory actual, String rule) {
            this(text, expected, actual, rule, false, null);
        }
    }

    private final List<Case> cases;

    private Evaluation(List<Case> cases) {
        this.cases = List.copyOf(cases);
    }

    /** The combination of rules and model, as the server uses it. */
    public static Evaluation run(Classifier classifier, List<Labelled> labelled) {
        return run(classifier::classify, labelled);
    }

    public static Evaluation run(java.util.function.Function<String, Classification> classifier, List<Labelled> labelled) {
        List<Case> cases = new ArrayList<>();
        for (Labelled l : labelled) {
            Classification c = classifier.apply(l.text());
            cases.add(new Case(l.text(), l.category(), c.category(), c.rule(), !c.uncertain().isEmpty(), l.family()));
        }
        return new Evaluation(cases);
    }

    /**
     * A labelled message; {@code family} and {@code group} as in {@code moderation/corpus/LABELLING.md}
     * (null in the older sets).
     */
    public record Labelled(String text, RiskCategory category, String lang, String family, String group) {

        public Labelled(String text, RiskCategory category) {
            this(text, category, null, null, null);
        }
    }

    public static List<Labelled> read(Path file) throws IOException {
        JsonFactory json = new JsonFactory();
        List<Labelled> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String text = null;
                String category = null;
                String lang = null;
                String family = null;
                String group = null;
                try (JsonParser p = json.createParser(line)) {
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new IOException(file + ":" + number + ": not a JSON object");
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken value = p.nextToken();
                        if (field.equals("text") && value == JsonToken.VALUE_STRING) {
                            text = p.getText();
                        } else if (field.equals("category") && value == JsonToken.VALUE_STRING) {
                            category = p.getText();
                        } else if (field.equals("lang") && value == JsonToken.VALUE_STRING) {
                            lang = p.getText();
                        } else if (field.equals("family") && value == JsonToken.VALUE_STRING) {
                            family = p.getText();
                        } else if (field.equals("group") && value == JsonToken.VALUE_STRING) {
                            group = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                if (text == null || category == null) {
                    throw new IOException(file + ":" + number + ": needs text and category");
                }
                out.add(new Labelled(text, RiskCategory.fromWireName(category), lang, family, group));
            }
        }
        return out;
    }

    public List<Case> cases() {
        return cases;
    }

    public List<Case> mistakes() {
        return cases.stream().filter(c -> c.expected() != c.actual()).toList();
    }

    public double recall(RiskCategory c) {
        long relevant = cases.stream().filter(x -> x.expected() == c).count();
        long found = cases.stream().filter(x -> x.expected() == c && x.actual() == c).count();
        return relevant == 0 ? Double.NaN : (double) found / relevant;
    }

    public double precision(RiskCategory c) {
        long said = cases.stream().filter(x -> x.actual() == c).count();
        long right = cases.stream().filter(x -> x.expected() == c && x.actual() == c).count();
        return said == 0 ? Double.NaN : (double) right / said;
    }

    /** Share of messages labelled none that got any other category. */
    public double noneFlagged() {
        long none = cases.stream().filter(x -> x.expected() == RiskCategory.NONE).count();
        long flagged = cases.stream().filter(x -> x.expected() == RiskCategory.NONE && x.actual() != RiskCategory.NONE).count();
        return none == 0 ? Double.NaN : (double) flagged / none;
    }

    /** Share of messages labelled none that the combination would send to review (uncertain, not flagged). */
    public double noneReviewed() {
        long none = cases.stream().filter(x -> x.expected() == RiskCategory.NONE).count();
        long reviewed = cases.stream().filter(x -> x.expected() == RiskCategory.NONE && x.actual() == RiskCategory.NONE && x.review()).count();
        return none == 0 ? Double.NaN : (double) reviewed / none;
    }

    /**
     * Share of risky messages (labelled anything but none) that were missed entirely but are at
     * least sent to review: the safety net's catch.
     */
    public double missedButReviewed() {
        long missed = cases.stream().filter(x -> x.expected() != RiskCategory.NONE && x.actual() == RiskCategory.NONE).count();
        long reviewed = cases.stream().filter(x -> x.expected() != RiskCategory.NONE && x.actual() == RiskCategory.NONE && x.review()).count();
        return missed == 0 ? Double.NaN : (double) reviewed / missed;
    }

    /** Share of risky messages (labelled anything but none) that got any category but none: flagged, whatever the category. */
    public double riskyFlagged() {
        long risky = cases.stream().filter(x -> x.expected() != RiskCategory.NONE).count();
        long flagged = cases.stream().filter(x -> x.expected() != RiskCategory.NONE && x.actual() != RiskCategory.NONE).count();
        return risky == 0 ? Double.NaN : (double) flagged / risky;
    }

    /** Share of risky messages that were flagged or, at least, sent to a moderator's review. */
    public double riskyFlaggedOrReviewed() {
        long risky = cases.stream().filter(x -> x.expected() != RiskCategory.NONE).count();
        long seen = cases.stream().filter(x -> x.expected() != RiskCategory.NONE && (x.actual() != RiskCategory.NONE || x.review())).count();
        return risky == 0 ? Double.NaN : (double) seen / risky;
    }

    /** Recall of any flag (any category but none) per family, for the families of the corpus. */
    public Map<String, double[]> byFamily() {
        Map<String, double[]> out = new java.util.TreeMap<>();
        for (Case c : cases) {
            if (c.family() == null) {
                continue;
            }
            double[] v = out.computeIfAbsent(c.family(), k -> new double[2]);
            v[0]++;
            boolean right = c.expected() == RiskCategory.NONE ? c.actual() == RiskCategory.NONE : c.actual() == c.expected();
            if (right) {
                v[1]++;
            }
        }
        return out;
    }

    public Map<RiskCategory, Long> support() {
        Map<RiskCategory, Long> out = new EnumMap<>(RiskCategory.class);
        for (Case c : cases) {
            out.merge(c.expected(), 1L, Long::sum);
        }
        return out;
    }

    /** The table the command line prints. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-20s %8s %10s %8s%n", "category", "support", "precision", "recall"));
        Map<RiskCategory, Long> support = support();
        for (RiskCategory c : RiskCategory.values()) {
            sb.append(String.format(Locale.ROOT, "%-20s %8d %10.3f %8.3f%n", c.wireName(), support.getOrDefault(c, 0L),
                    precision(c), recall(c)));
        }
        long right = cases.stream().filter(x -> x.expected() == x.actual()).count();
        sb.append(String.format(Locale.ROOT, "%nmessages %d, right %d (%.1f %%), none flagged %.1f %%, none sent to review %.1f %%%n",
                cases.size(), right, 100.0 * right / Math.max(1, cases.size()), 100 * noneFlagged(), 100 * noneReviewed()));
        sb.append(String.format(Locale.ROOT, "risky messages flagged (any category) %.1f %%, flagged or sent to review %.1f %%%n",
                100 * riskyFlagged(), 100 * riskyFlaggedOrReviewed()));
        return sb.toString();
    }
}
