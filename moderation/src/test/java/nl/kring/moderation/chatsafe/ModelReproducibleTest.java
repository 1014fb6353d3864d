package nl.kring.moderation.chatsafe;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import opennlp.tools.ml.model.AbstractModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed model is what {@code ./kring chatsafe train} makes from the committed corpus:
 * retrained here from {@code corpus/train.jsonl} and tuned on {@code corpus/dev.jsonl}, it must
 * give the same features and weights (to 1e-9) and the same settings file. A change to the corpus, the
 * features or the trainer without retraining fails here.
 */
class ModelReproducibleTest {

    static final Path CORPUS = Path.of("corpus");

    @Test
    void theCommittedModelIsWhatTheTrainingCommandMakesFromTheCorpus() throws Exception {
        List<Evaluation.Labelled> train = Evaluation.read(CORPUS.resolve("train.jsonl"));
        List<Evaluation.Labelled> dev = Evaluation.read(CORPUS.resolve("dev.jsonl"));
        AbstractModel retrained = ModelTrainer.train(train, ModelTrainer.Options.DEFAULT);
        AbstractModel committed;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(Model.RESOURCE)) {
            committed = Model.read(in);
        }
        // the same features, outcomes and weights (to 1e-9: the same bytes on this machine; a floating-point
        // library of another CPU may differ in the last bit)
        assertThat(retrained.getDataStructures()[2]).as("the outcomes").isEqualTo(committed.getDataStructures()[2]);
        @SuppressWarnings("unchecked")
        java.util.Map<String, opennlp.tools.ml.model.Context> mine =
                (java.util.Map<String, opennlp.tools.ml.model.Context>) retrained.getDataStructures()[1];
        @SuppressWarnings("unchecked")
        java.util.Map<String, opennlp.tools.ml.model.Context> theirs =
                (java.util.Map<String, opennlp.tools.ml.model.Context>) committed.getDataStructures()[1];
        assertThat(mine.keySet()).as("the features").isEqualTo(theirs.keySet());
        for (java.util.Map.Entry<String, opennlp.tools.ml.model.Context> e : mine.entrySet()) {
            opennlp.tools.ml.model.Context other = theirs.get(e.getKey());
            assertThat(e.getValue().getOutcomes()).as(e.getKey()).isEqualTo(other.getOutcomes());
            double[] a = e.getValue().getParameters();
            double[] b = other.getParameters();
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).as("weight of %s", e.getKey()).isCloseTo(b[i], org.assertj.core.api.Assertions.within(1e-9));
            }
        }
        Model.Settings tuned = ModelTrainer.tune(retrained, Classifier.rulesOnly(), dev);
        String written;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(Model.SETTINGS_RESOURCE)) {
            written = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(written.substring(written.indexOf('\n') + 1)).as("the thresholds and temperature")
                .isEqualTo(tuned.write("").substring(tuned.write("").indexOf('\n') + 1));
        assertThat(Model.builtIn().settings()).isEqualTo(tuned);
    }
}
