package nl.kring.moderation.chatsafe;

import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassifierTest {

    static final Classifier CLASSIFIER = Classifier.builtIn();

    static java.util.List<String> rules(String text) {
        return CLASSIFIER.classify(text).findings().stream().map(Finding::rule).toList();
    }

    static RiskCategory category(String text) {
        return CLASSIFIER.classify(text).category();
    }

    @Test
    void normalisationDefeatsTheUsualEvasions() {
        assertThat(Normaliser.normalise("Z E L F M O O R D").toString()).isEqualTo("zelfmoord");
        assertThat(Normaliser.normalise("z.e.l.f.m.o.o.r.d").toString()).isEqualTo("zelfmoord");
        assertThat(Normaliser.normalise("SU1C!DE").toString()).isEqualTo("suicide");
        assertThat(Normaliser.normalise("wéér").toString()).isEqualTo("weer");
        assertThat(Normaliser.normalise("don't").toString()).isEqualTo("dont");
        assertThat(Normaliser.normalise("klas 3b, 06-12345678").toString()).isEqualTo("klas 3b 06 12345678");
        // the same message written around a filter gets the same category as written plainly
        for (String evasive : new String[] {"ik denk aan ZELFMOORD", "ik denk aan z e l f m o o r d", "ik denk aan zelfm00rd",
                "ik denk aan zelfmoooooord", "ik dènk aan zélfmoord"}) {
            assertThat(category(evasive)).as(evasive).isEqualTo(RiskCategory.SUICIDAL_IDEATION);
        }
    }

    @Test
    void euphemismsAreUnderstood() {
        assertThat(category("i want to unalive myself")).isEqualTo(RiskCategory.SUICIDAL_IDEATION);
        assertThat(category("lowkey wanna kms")).isEqualTo(RiskCategory.SUICIDAL_IDEATION);
        assertThat(category("ik wil gewoon niet meer wakker worden")).isEqualTo(RiskCategory.SUICIDAL_IDEATION);
    }

    @Test
    void everydayFigurativeLanguagePassesUntouched() {
        for (String text : new String[] {"ik ga dood van het lachen", "dit examen is mijn dood", "I could kill for a pizza",
                "ik lach me dood om jou", "mijn telefoon is dood", "this essay is killing me", "i'm dying to see it",
                "ik sterf van de honger", "lmao i'm dead 💀"}) {
            assertThat(CLASSIFIER.classify(text)).as(text).isEqualTo(Classification.NONE);
        }
    }

    @Test
    void aNegationCancelsAndARecoveryStoryIsNotACrisis() {
        assertThat(category("ik wil niet dood, ik ben gewoon moe")).isEqualTo(RiskCategory.NONE);
        assertThat(category("i'm not suicidal, just tired of school")).isEqualTo(RiskCategory.NONE);
        assertThat(category("vorig jaar wilde ik dood, nu gaat het echt beter")).isEqualTo(RiskCategory.NONE);
        // but a relapse told with the recovery is current
        assertThat(category("na een jaar sh-vrij heb ik weer gesneden, terugval")).isEqualTo(RiskCategory.SELF_HARM);
    }

    @Test
    void worryAboutSomeoneElseIsNotTheAuthorsOwnRisk() {
        assertThat(category("mijn vriendin zegt dat ze dood wil")).isEqualTo(RiskCategory.THIRD_PARTY_RISK);
        assertThat(category("my brother posted a goodbye and isn't answering, what do i do")).isEqualTo(RiskCategory.THIRD_PARTY_RISK);
    }

    @Test
    void theMostSeriousFindingLeadsAndEveryFindingIsKept() {
        Classification c = CLASSIFIER.classify("ik wil niet meer, hoeveel pillen heb je nodig? app me op 0612345678");
        assertThat(c.category()).isEqualTo(RiskCategory.METHOD_DETAIL);
        assertThat(c.severity()).isEqualTo(Severity.HIGH);
        assertThat(c.rule()).startsWith("md.");
        assertThat(c.has(RiskCategory.PII)).isTrue();
        assertThat(CLASSIFIER.classify("vanavond ga ik het doen, ik heb alles geregeld").severity()).isEqualTo(Severity.IMMINENT);
    }

    @Test
    void contactDetailsAreFoundInTheirUsualForms() {
        assertThat(rules("bel me op 06-12345678")).contains("pii.phone");
        assertThat(rules("text me +31 6 11223344")).contains("pii.phone");
        assertThat(rules("mail naar a.b@example.nl")).contains("pii.email");
        assertThat(rules("ik woon op 1234 AB hier")).contains("pii.postcode");
        assertThat(rules("volg me @nep_naam")).contains("pii.handle");
        assertThat(rules("Dorpsstraat 8 is mijn huis")).contains("pii.address");
        assertThat(rules("ik zit in 3b op het Nepcollege")).contains("pii.school");
        assertThat(rules("mijn naam is Noor van den Berg")).contains("pii.name");
        // and not in numbers that are no contact detail
        assertThat(CLASSIFIER.classify("ik heb 12345 stappen gezet en het is 2026").has(RiskCategory.PII)).isFalse();
        assertThat(CLASSIFIER.classifyRules("ik heb 12345 stappen gezet en het is 2026").category()).isEqualTo(RiskCategory.NONE);
    }

    @Test
    void aCommunityCanExtendTheRules() {
        Ruleset extended = Ruleset.builder().addResource("chatsafe/rules-nl.txt").addResource("chatsafe/rules-en.txt")
                .add("community:eetstoornissen", """
                        version 1
                        @purge = purgen kotsen overgeven
                        ed.purge self_harm medium : @self ~3 @purge
                        """).build();
        assertThat(new Classifier(extended).classify("ik ga weer purgen na het eten").category()).isEqualTo(RiskCategory.SELF_HARM);
        assertThat(CLASSIFIER.classifyRules("ik ga weer purgen na het eten").category()).isEqualTo(RiskCategory.NONE);
        // with the model beside them, the community's rule still decides: a sure finding, not the model's doubt
        Classification both = new Classifier(extended, Model.builtIn()).classify("ik ga weer purgen na het eten");
        assertThat(both.category()).isEqualTo(RiskCategory.SELF_HARM);
        assertThat(both.rule()).isEqualTo("ed.purge");
        assertThat(extended.versions()).contains("community:eetstoornissen 1");
    }

    @Test
    void ruleFileErrorsNameTheFileAndLine() {
        assertThatThrownBy(() -> Ruleset.builder().addResource("chatsafe/rules-nl.txt")
                .add("bad", "version 1\nx.one unknown_category low : ik\nx.two suicidal_ideation medium : @nope\nx.three pii low : a ~99 b\n")
                .build())
                .hasMessageContaining("bad:2: unknown category unknown_category")
                .hasMessageContaining("bad:3: unknown concept @nope")
                .hasMessageContaining("bad:4: a gap is 0 to 12 words");
    }

    @Test
    void emptyAndHugeMessagesAreHandled() {
        assertThat(CLASSIFIER.classify("")).isEqualTo(Classification.NONE);
        assertThat(CLASSIFIER.classify("   \n\t ")).isEqualTo(Classification.NONE);
        String huge = "ik wil dood ".repeat(400);
        assertThat(CLASSIFIER.classify(huge).category()).isEqualTo(RiskCategory.SUICIDAL_IDEATION);
    }
}
