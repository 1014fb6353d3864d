package nl.kring.moderation.chatsafe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.kring.moderation.Action;
import nl.kring.moderation.Policy;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import nl.kring.moderation.queue.Fallback;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The trained model beside the rules: its scores, explanations, the review band and how the policy acts on them. */
class ModelTest {

    static final Model MODEL = Model.builtIn();
    static final Classifier BOTH = Classifier.builtIn();

    @Test
    void probabilitiesAreADistributionOverTheCategories() {
        for (String text : List.of("hoi allemaal", "ik wil er niet meer zijn", "", "💀💀💀", "a".repeat(4000))) {
            double[] p = MODEL.probabilities(text);
            assertThat(p).hasSize(RiskCategory.values().length);
            assertThat(Arrays.stream(p).sum()).as(text).isCloseTo(1.0, within(1e-9));
            assertThat(Arrays.stream(p).allMatch(x -> x >= 0 && x <= 1)).isTrue();
        }
    }

    @Test
    void theFastScorerGivesWhatTheLibraryGivesForEveryMessageOfTheCorpus() throws Exception {
        List<Evaluation.Labelled> all = new ArrayList<>(Evaluation.read(java.nio.file.Path.of("corpus", "dev.jsonl")));
        all.addAll(Evaluation.read(java.nio.file.Path.of("corpus", "train.jsonl")));
        all.add(new Evaluation.Labelled("z e l f m o o r d 🪦💊 nieeeeet!! " + "x".repeat(70), RiskCategory.NONE));
        for (Evaluation.Labelled l : all) {
            ModelFeatures f = ModelFeatures.of(l.text());
            long[] hashes = ModelFeatures.hashes(l.text());
            assertThat(hashes).as("hashes of %s", l.text()).hasSize(f.names().length);
            for (int i = 0; i < hashes.length; i++) {
                assertThat(hashes[i]).as("feature %s", f.names()[i]).isEqualTo(ModelFeatures.hash(f.names()[i]));
            }
            double[] library = MODEL.maxent().eval(f.names());
            double[] fast = MODEL.rawProbabilities(l.text());
            for (int o = 0; o < library.length; o++) {
                assertThat(fast[o]).as("outcome %d of %s", o, l.text()).isCloseTo(library[o], within(1e-9));
            }
        }
    }

    @Test
    void aFindingOfTheModelCarriesItsCategoryScoreAndTheWordsThatWeighedMost() {
        // a method question without a method word that no rule was written for (a dev-split message)
        String text = "hoeveel insuline is te veel?";
        assertThat(BOTH.classifyRules(text).findings()).isEmpty();
        Classification c = BOTH.classify(text);
        Finding f = c.findings().stream().filter(Finding::fromModel).findFirst().orElseThrow();
        assertThat(f.category()).isEqualTo(RiskCategory.METHOD_DETAIL);
        assertThat(f.score()).isBetween(MODEL.settings().act().get(RiskCategory.METHOD_DETAIL), 1.0);
        assertThat(f.why()).isNotEmpty().hasSizeLessThanOrEqualTo(Model.WHY);
        // the words named come from the message (normalised), most weight first
        List<String> words = Arrays.asList("hoeveel", "insuline", "is", "te", "veel");
        assertThat(words).containsAll(f.why());
        assertThat(f.why()).contains("insuline");
        assertThat(f.explain()).startsWith("model method_detail ").contains(f.why().get(0));
        // a rule's finding explains itself by its id
        Finding rule = BOTH.classify("ik denk aan zelfmoord").findings().get(0);
        assertThat(rule.fromModel()).isFalse();
        assertThat(rule.explain()).isEqualTo(rule.rule());
    }

    @Test
    void theRulesAloneTheModelAloneAndBothAreThreeViewsOfOneMessage() {
        String text = "hoeveel insuline is te veel?";
        assertThat(BOTH.classifyRules(text).findings()).noneMatch(Finding::fromModel);
        assertThat(BOTH.classifyModel(text).findings()).isNotEmpty();
        assertThat(BOTH.classifyModel(text).findings()).allMatch(Finding::fromModel);
        assertThat(Classifier.rulesOnly().classify(text).findings()).noneMatch(Finding::fromModel);
        // figurative language stays unflagged by both
        assertThat(BOTH.classify("ik ga echt dood van het lachen om die video 😂").category()).isEqualTo(RiskCategory.NONE);
    }

    @Test
    void anUncertainFindingIsDeliveredAndReviewedNeverHeldNotEvenInFallbackMode() {
        Finding unsure = new Finding(RiskCategory.IMMINENT_RISK, Severity.LOW, Finding.MODEL, 0.7, List.of("vanavond"));
        Classification c = new Classification(RiskCategory.NONE, Severity.NONE, null, List.of(), List.of(unsure));
        Set<Action> actions = Policy.defaults().decide(c);
        assertThat(actions).containsExactlyInAnyOrder(Action.DELIVER, Action.PROMPT, Action.REVIEW);
        assertThat(Fallback.DEFAULTS.apply(c, actions)).doesNotContain(Action.HOLD);
        assertThat(Policy.summary(actions)).isEqualTo("prompt");
        Classification method = new Classification(RiskCategory.NONE, Severity.NONE, null, List.of(),
                List.of(new Finding(RiskCategory.METHOD_DETAIL, Severity.LOW, Finding.MODEL, 0.4, List.of())));
        assertThat(Policy.defaults().decide(method)).containsExactlyInAnyOrder(Action.DELIVER, Action.REVIEW);
        assertThat(Policy.summary(Policy.defaults().decide(method))).isEqualTo("review");
        // a community that wants uncertain imminent risk held says so for severity low
        Policy strict = Policy.withOverrides(Map.of("imminent_risk.low", List.of("hold", "prompt")));
        assertThat(strict.decide(c)).contains(Action.HOLD).doesNotContain(Action.DELIVER);
    }

    @Test
    void theModelIsUncertainOnlyWhenNotSureAndNotClearlyFine() {
        List<Finding> sure = new ArrayList<>();
        List<Finding> unsure = new ArrayList<>();
        for (String text : List.of("hoi allemaal, hoe was jullie weekend?", "ik heb een vraag over mijn rooster")) {
            MODEL.findings(text, sure, unsure);
        }
        assertThat(sure).isEmpty();
        assertThat(unsure).isEmpty();
        // with a review threshold of 0 every message is at least uncertain; with 2 never
        Model eager = MODEL.withSettings(new Model.Settings(MODEL.settings().temperature(), Map.of(), 0));
        eager.findings("hoi allemaal", sure, unsure);
        assertThat(unsure).hasSize(1);
        assertThat(unsure.get(0).severity()).isEqualTo(Severity.LOW);
        assertThat(unsure.get(0).category()).isNotIn(RiskCategory.NONE, RiskCategory.PII, RiskCategory.HARASSMENT);
        unsure.clear();
        MODEL.withSettings(new Model.Settings(MODEL.settings().temperature(), Map.of(), 2)).findings("ik wil dood", sure, unsure);
        assertThat(unsure).isEmpty();
    }

    @Test
    void supportiveWordsAboutSomeoneElsesRiskArePromptedAsWorryNotHeldAsTheAuthorsOwn() {
        String text = "Hé, ik las wat je schreef over de pillen die je hebt gespaard. Ben je nu veilig? Bel alsjeblieft 113.";
        assertThat(Classifier.rulesOnly().classify(text).category()).as("the rules alone").isEqualTo(RiskCategory.IMMINENT_RISK);
        Classification both = BOTH.classify(text);
        assertThat(both.category()).isEqualTo(RiskCategory.THIRD_PARTY_RISK);
        assertThat(Policy.defaults().decide(both)).contains(Action.DELIVER, Action.PROMPT).doesNotContain(Action.HOLD);
        // the author's own saved pills stay imminent risk: the rule's words speak of the author
        assertThat(BOTH.classify("ik heb mijn pillen gespaard, ze liggen klaar").category()).isEqualTo(RiskCategory.IMMINENT_RISK);
    }

    @Test
    void theSettingsFileIsReadAsWritten() throws Exception {
        Model.Settings s = MODEL.settings();
        Model.Settings back = Model.Settings.read(new java.io.ByteArrayInputStream(
                s.write("test").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(back).isEqualTo(s);
        assertThat(s.temperature()).isPositive();
        assertThat(s.act()).containsOnlyKeys(Arrays.stream(RiskCategory.values()).filter(c -> c != RiskCategory.NONE).toList());
    }
}
