package nl.kring.moderation.chatsafe;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import nl.kring.moderation.RiskCategory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The #chatsafe corpus (moderation/corpus, docs/safety.md): its size, languages and coverage; a
 * split that keeps a sentence and its variants together and never shows the model a test
 * message; and, on the frozen test split, what the model adds to the rules. The floors below are
 * the first figures of this model on the test split (docs/safety.md), minus a little: they guard
 * against a change that makes the classifier worse, they are not the goals (not met yet).
 */
class CorpusTest {

    static final Path CORPUS = Path.of("corpus");
    static List<Evaluation.Labelled> train;
    static List<Evaluation.Labelled> dev;
    static List<Evaluation.Labelled> test;

    @BeforeAll
    static void read() throws Exception {
        train = Evaluation.read(CORPUS.resolve("train.jsonl"));
        dev = Evaluation.read(CORPUS.resolve("dev.jsonl"));
        test = Evaluation.read(CORPUS.resolve("test.jsonl"));
    }

    static String key(String text) {
        return String.join(" ", text.toLowerCase(Locale.ROOT).trim().split("\\s+"));
    }

    @Test
    void theCorpusIsLargeMostlyDutchAndCoversEveryCategoryAndFamily() {
        List<Evaluation.Labelled> all = new java.util.ArrayList<>(train);
        all.addAll(dev);
        all.addAll(test);
        List<Evaluation.Labelled> written = all.stream().filter(l -> !"legacy".equals(l.family())).toList();
        assertThat(written).hasSizeGreaterThanOrEqualTo(5000);
        assertThat(written.stream().filter(l -> "nl".equals(l.lang())).count()).isGreaterThanOrEqualTo(written.size() * 6 / 10);
        for (List<Evaluation.Labelled> split : List.of(train, dev, test)) {
            for (RiskCategory c : RiskCategory.values()) {
                assertThat(split.stream().filter(l -> l.category() == c).count()).as(c.wireName()).isGreaterThanOrEqualTo(30);
            }
        }
        Set<String> families = new HashSet<>();
        written.forEach(l -> families.add(l.family()));
        assertThat(families).contains("preparations", "passive", "active", "method_question", "method_plain", "selfharm",
                "third_party", "supportive_other", "evasion", "typo_dialect", "figurative", "media", "recovery",
                "everyday_question", "everyday", "sadness", "negation", "harassment", "pii");
    }

    @Test
    void theSplitKeepsGroupsTogetherAndTheTestSplitIsNeverTrainedOn() {
        Set<String> trainGroups = new HashSet<>();
        train.forEach(l -> trainGroups.add(l.group()));
        assertThat(dev).noneMatch(l -> trainGroups.contains(l.group()));
        Set<String> seen = new HashSet<>();
        train.forEach(l -> seen.add(key(l.text())));
        dev.forEach(l -> seen.add(key(l.text())));
        assertThat(test).noneMatch(l -> seen.contains(key(l.text())));
        // the test split was written in its own pass (its own group prefixes)
        assertThat(test).allMatch(l -> l.group().startsWith("F-") || l.group().startsWith("G-"));
    }

    @Test
    void onTheFrozenTestSplitTheModelAddsRecallToTheRulesWithinABoundOfFalseAlarms() {
        Classifier classifier = Classifier.builtIn();
        Evaluation rules = Evaluation.run(classifier::classifyRules, test);
        Evaluation both = Evaluation.run(classifier, test);
        System.out.println("frozen test split, rules and model:\n" + both.report());
        for (RiskCategory c : List.of(RiskCategory.IMMINENT_RISK, RiskCategory.METHOD_DETAIL, RiskCategory.SELF_HARM,
                RiskCategory.HARASSMENT)) {
            assertThat(both.recall(c)).as("recall of %s with the model", c.wireName()).isGreaterThan(rules.recall(c) + 0.10);
        }
        for (RiskCategory c : RiskCategory.values()) {
            if (c != RiskCategory.NONE) {
                assertThat(both.recall(c)).as("recall of %s never below the rules'", c.wireName()).isGreaterThanOrEqualTo(rules.recall(c));
            }
        }
        assertThat(both.recall(RiskCategory.IMMINENT_RISK)).isGreaterThanOrEqualTo(0.50);
        assertThat(both.recall(RiskCategory.METHOD_DETAIL)).isGreaterThanOrEqualTo(0.70);
        assertThat(both.riskyFlaggedOrReviewed()).as("risky messages flagged or reviewed").isGreaterThanOrEqualTo(0.80);
        assertThat(both.noneFlagged()).as("everyday messages flagged").isLessThanOrEqualTo(0.10);
        assertThat(both.noneReviewed()).as("everyday messages sent to review").isLessThanOrEqualTo(0.08);
    }
}
