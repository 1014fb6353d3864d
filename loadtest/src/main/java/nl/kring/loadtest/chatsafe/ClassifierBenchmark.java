package nl.kring.loadtest.chatsafe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.kring.moderation.chatsafe.Classification;
import nl.kring.moderation.chatsafe.Classifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The #chatsafe classifier's cost for one 200-character message on one thread. The messages
 * are the project's labelled set (risky and everyday, Dutch and English), each repeated up to
 * 200 characters, taken in turn. Run with {@code ./kring bench-chatsafe}; figures in
 * docs/benchmarks.md. Sample mode, so the report has the median (p0.50), not only the mean. Two
 * benchmarks in the same run: rules and model (what the server does), and the rules alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ClassifierBenchmark {

    private Classifier classifier;
    private Classifier rulesOnly;
    private String[] messages;
    private int next;

    @Setup
    public void setUp() throws IOException {
        classifier = Classifier.builtIn();
        rulesOnly = Classifier.rulesOnly();
        List<String> out = new ArrayList<>();
        try (InputStream in = ClassifierBenchmark.class.getClassLoader().getResourceAsStream("chatsafe/bench-messages.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                StringBuilder sb = new StringBuilder(line);
                while (sb.length() < 200) {
                    sb.append(' ').append(line);
                }
                out.add(sb.substring(0, 200));
            }
        }
        messages = out.toArray(new String[0]);
    }

    /** Rules and the trained model, as the server classifies a send. */
    @Benchmark
    public Classification classify200Chars() {
        String m = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return classifier.classify(m);
    }

    /** The rules alone (before the model), for the A/B in the same run. */
    @Benchmark
    public Classification rulesOnly200Chars() {
        String m = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return rulesOnly.classify(m);
    }
}
