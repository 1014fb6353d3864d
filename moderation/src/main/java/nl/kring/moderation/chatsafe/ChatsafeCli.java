package nl.kring.moderation.chatsafe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import nl.kring.moderation.Policy;

/**
 * {@code ./kring chatsafe}: one message a line on standard input, one JSON object a line on
 * standard output ({@code category}, {@code severity}, {@code action}, {@code rule}, {@code why}) and
 * nothing else. {@code ./kring chatsafe eval FILE.jsonl}: precision and recall per category for the
 * rules alone, the model alone and both together, and the mistakes with {@code --mistakes}.
 * {@code ./kring chatsafe train}: the model from the corpus ({@link ModelTrainer}).
 */
public final class ChatsafeCli {

    private ChatsafeCli() {
    }

    /** The slowest of the files in a folder (the fastest of 50 runs each, after a warm-up): for fuzzing finds. */
    static void time(Classifier classifier, Path dir) throws java.io.IOException {
        java.util.List<Path> files;
        try (var list = java.nio.file.Files.list(dir)) {
            files = list.sorted().toList();
        }
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (Path f : files) {
            texts.add(java.nio.file.Files.readString(f, StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 2000; i++) {
            for (String t : texts) {
                classifier.classify(t);
            }
        }
        long worst = 0;
        int worstLength = 0;
        for (String t : texts) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 50; i++) {
                long s = System.nanoTime();
                classifier.classify(t);
                best = Math.min(best, System.nanoTime() - s);
            }
            if (best > worst) {
                worst = best;
                worstLength = t.length();
            }
        }
        System.out.printf("%d inputs; slowest %.1f µs (%d characters)%n", texts.size(), worst / 1000.0, worstLength);
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("train")) {
            ModelTrainer.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Classifier classifier = Classifier.builtIn();
        if (args.length >= 2 && args[0].equals("eval")) {
            java.util.List<Evaluation.Labelled> labelled = Evaluation.read(Path.of(args[1]));
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.println("== rules alone");
            out.print(Evaluation.run(classifier::classifyRules, labelled).report());
            out.println();
            out.println("== model alone");
            out.print(Evaluation.run(classifier::classifyModel, labelled).report());
            out.println();
            out.println("== rules and model (what the server does)");
            Evaluation e = Evaluation.run(classifier, labelled);
            out.print(e.report());
            out.printf(java.util.Locale.ROOT, "risky messages missed but sent to review: %.1f %%%n", 100 * e.missedButReviewed());
            if (!e.byFamily().isEmpty()) {
                out.println();
                out.printf("%-20s %8s %8s%n", "family", "messages", "right");
                e.byFamily().forEach((family, v) -> out.printf(java.util.Locale.ROOT, "%-20s %8d %8.3f%n", family, (long) v[0], v[1] / v[0]));
            }
            if (args.length >= 3 && args[2].equals("--mistakes")) {
                out.println();
                for (Evaluation.Case c : e.mistakes()) {
                    out.printf("%-18s -> %-18s %-28s %s%n", c.expected().wireName(), c.actual().wireName(),
                            c.rule() == null ? "-" : c.rule(), c.text());
                }
            }
            return;
        }
        if (args.length == 2 && args[0].equals("time")) {
            time(classifier, Path.of(args[1]));
            return;
        }
        if (args.length != 0) {
            System.err.println("usage: ./kring chatsafe [eval FILE.jsonl [--mistakes] | time DIR | train [CORPUS_DIR [OUT_DIR]]]");
            System.exit(64);
        }
        Policy policy = Policy.defaults();
        JsonFactory json = new JsonFactory();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null) {
            Classification c = classifier.classify(line);
            try (JsonGenerator g = json.createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeStringField("category", c.category().wireName());
                g.writeStringField("severity", c.severity().wireName());
                g.writeStringField("action", Policy.summary(policy.decide(c)));
                if (c.rule() == null) {
                    g.writeNullField("rule");
                } else {
                    g.writeStringField("rule", c.rule());
                }
                g.writeArrayFieldStart("why");
                for (String why : c.explanations()) {
                    g.writeString(why);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            out.write('\n');
            out.flush();
        }
    }
}
