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
    public record Case(String text, RiskCategory expected, RiskCategory actual, String rule) {
    }

    private final List<Case> cases;

    private Evaluation(List<Case> cases) {
        this.cases = List.copyOf(cases);
    }

    public static Evaluation run(Classifier classifier, List<Labelled> labelled) {
        List<Case> cases = new ArrayList<>();
        for (Labelled l : labelled) {
            Classification c = classifier.classify(l.text());
            cases.add(new Case(l.text(), l.category(), c.category(), c.rule()));
        }
        return new Evaluation(cases);
    }

    /** A labelled message. */
    public record Labelled(String text, RiskCategory category) {
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
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                if (text == null || category == null) {
                    throw new IOException(file + ":" + number + ": needs text and category");
                }
                out.add(new Labelled(text, RiskCategory.fromWireName(category)));
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
        sb.append(String.format(Locale.ROOT, "%nmessages %d, right %d (%.1f %%), none flagged %.1f %%%n", cases.size(), right,
                100.0 * right / Math.max(1, cases.size()), 100 * noneFlagged()));
        return sb.toString();
    }
}
