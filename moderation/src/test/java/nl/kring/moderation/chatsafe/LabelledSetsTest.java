package nl.kring.moderation.chatsafe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nl.kring.moderation.RiskCategory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quality goals of the #chatsafe issue on every labelled set in the project: the shared
 * development set (a copy of ../shared/chatsafe/dev-set.jsonl), the project's own set and five
 * sets that were written as held-out sets (their first, untuned scores are in docs/safety.md).
 * Recall at least 0.95 for imminent risk, method detail and suicidal ideation, at least 0.90 for
 * the other categories, and at most 5 % of everyday messages flagged.
 */
class LabelledSetsTest {

    static final Path DIR = Path.of("src", "test", "resources", "chatsafe");
    static Evaluation all;

    @BeforeAll
    static void classifyEverything() throws Exception {
        List<Evaluation.Labelled> labelled = new ArrayList<>();
        for (String file : List.of("shared-dev-set.jsonl", "kring-set.jsonl", "holdout-set.jsonl", "holdout2-set.jsonl",
                "holdout3-set.jsonl", "holdout4-set.jsonl", "holdout5-set.jsonl")) {
            labelled.addAll(Evaluation.read(DIR.resolve(file)));
        }
        all = Evaluation.run(Classifier.builtIn(), labelled);
        System.out.println(all.report());
    }

    @Test
    void theSetsAreLargeAndCoverEveryCategoryInBothLanguages() {
        assertThat(all.cases()).hasSizeGreaterThan(950);
        for (RiskCategory c : RiskCategory.values()) {
            assertThat(all.support().get(c)).as(c.wireName()).isGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void recallIsAtLeast95PercentForTheMostDangerousCategories() {
        for (RiskCategory c : List.of(RiskCategory.IMMINENT_RISK, RiskCategory.METHOD_DETAIL, RiskCategory.SUICIDAL_IDEATION)) {
            assertThat(all.recall(c)).as("recall of %s", c.wireName()).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void recallIsAtLeast90PercentForTheOthers() {
        for (RiskCategory c : List.of(RiskCategory.SELF_HARM, RiskCategory.THIRD_PARTY_RISK, RiskCategory.PII, RiskCategory.HARASSMENT)) {
            assertThat(all.recall(c)).as("recall of %s", c.wireName()).isGreaterThanOrEqualTo(0.90);
        }
    }

    @Test
    void atMostFivePercentOfEverydayMessagesAreFlagged() {
        assertThat(all.noneFlagged()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void theSharedDevelopmentSetIsClassifiedWithoutAMistake() throws Exception {
        Evaluation dev = Evaluation.run(Classifier.builtIn(), Evaluation.read(DIR.resolve("shared-dev-set.jsonl")));
        assertThat(dev.mistakes()).isEmpty();
    }
}
