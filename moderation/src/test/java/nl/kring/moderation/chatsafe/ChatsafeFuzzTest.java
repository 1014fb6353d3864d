package nl.kring.moderation.chatsafe;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the normaliser, the matcher and the contact-detail scanners with arbitrary text. In
 * {@code mvn test} it runs its stored inputs (regression mode, crashes found earlier included);
 * {@code JAZZER_FUZZ=1} fuzzes for real. Under the fuzzer's coverage instrumentation times mean
 * little, so a fuzzing run keeps the inputs that took longest in {@code target/chatsafe-slow/},
 * and {@code ./kring chatsafe time target/chatsafe-slow} measures them without instrumentation
 * (the 1 ms limit; figures in docs/safety.md).
 */
class ChatsafeFuzzTest {

    static final Classifier CLASSIFIER = Classifier.builtIn();
    static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null;
    static final Path SLOW = Path.of("target", "chatsafe-slow");
    static long calls;
    static long slowestNanos;

    @FuzzTest(maxDuration = "2m")
    void classifiesAnyTextWithoutFailing(FuzzedDataProvider data) throws IOException {
        String text = data.consumeRemainingAsString();
        long start = System.nanoTime();
        Classification c = CLASSIFIER.classify(text);
        long took = System.nanoTime() - start;
        assertThat(c).isNotNull();
        assertThat(c.category()).isNotNull();
        assertThat(c.findings().isEmpty()).isEqualTo(c.rule() == null);
        Tokens t = Normaliser.normalise(text);
        assertThat(t.count()).isLessThanOrEqualTo(text.length());
        if (FUZZING && ++calls > 10_000 && took > slowestNanos) {
            slowestNanos = took;
            Files.createDirectories(SLOW);
            Files.writeString(SLOW.resolve("slow-" + calls + ".txt"), text, StandardCharsets.UTF_8);
        }
    }
}
