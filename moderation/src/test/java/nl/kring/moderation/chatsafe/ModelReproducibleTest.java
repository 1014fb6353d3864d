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
 * give the same weights, byte for byte, and the same settings file. A change to the corpus, the
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
        assertThat(ModelTrainer.rawBytes(retrained)).as("the model's weights").isEqualTo(ModelTrainer.rawBytes(committed));
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
