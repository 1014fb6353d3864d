package nl.kring.moderation.chatsafe;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import nl.kring.moderation.RiskCategory;
import opennlp.tools.ml.EventTrainer;
import opennlp.tools.ml.TrainerFactory;
import opennlp.tools.ml.maxent.io.BinaryQNModelWriter;
import opennlp.tools.ml.maxent.quasinewton.QNTrainer;
import opennlp.tools.ml.model.AbstractModel;
import opennlp.tools.ml.model.Event;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;

/**
 * Trains the #chatsafe model from the corpus ({@code moderation/corpus/train.jsonl}), fits its
 * temperature and thresholds on the dev split ({@code dev.jsonl}) and writes both where
 * {@link Model#builtIn()} reads them. Deterministic: the same corpus gives the same bytes
 * ({@code ModelReproducibleTest} retrains and compares). The frozen test split is never read
 * here. {@code ./kring chatsafe train}.
 */
public final class ModelTrainer {

    /** The three categories where a miss costs most: they get twice the others' share of false alarms. */
    static final List<RiskCategory> MOST_DANGEROUS = List.of(RiskCategory.IMMINENT_RISK, RiskCategory.METHOD_DETAIL,
            RiskCategory.SUICIDAL_IDEATION);
    /**
     * The share of dev's everyday messages (those the rules leave alone) that the model may flag
     * for one of the most dangerous categories when it is sure; half of it for the others. Seven
     * categories together stay within 2.5 %.
     */
    static final double ACT_BUDGET = 0.005;
    /** The share of dev's everyday messages that may be sent to review (delivered, queued at low priority). */
    static final double REVIEW_BUDGET = 0.10;
    /** The model is never sure below this probability, and asks for review from no lower than this. */
    static final double LOWEST_ACT = 0.50;
    static final double LOWEST_REVIEW = 0.05;

    /**
     * The trainer's parameters.
     *
     * @param l1         L1 cost (OWL-QN; sparse weights)
     * @param l2         L2 cost
     * @param iterations at most this many L-BFGS iterations
     * @param cutoff     features seen fewer times than this are left out
     */
    public record Options(double l1, double l2, int iterations, int cutoff) {
        public static final Options DEFAULT = new Options(0.1, 3.0, 300, 1);
    }

    private ModelTrainer() {
    }

    public static AbstractModel train(List<Evaluation.Labelled> data, Options o) throws IOException {
        List<Event> events = new ArrayList<>(data.size());
        for (Evaluation.Labelled l : data) {
            events.add(new Event(l.category().wireName(), ModelFeatures.of(l.text()).names()));
        }
        TrainingParameters p = new TrainingParameters();
        p.put(TrainingParameters.ALGORITHM_PARAM, QNTrainer.MAXENT_QN_VALUE);
        p.put(TrainingParameters.ITERATIONS_PARAM, o.iterations());
        p.put(TrainingParameters.CUTOFF_PARAM, o.cutoff());
        p.put(TrainingParameters.THREADS_PARAM, 1);
        p.put(QNTrainer.L1COST_PARAM, o.l1());
        p.put(QNTrainer.L2COST_PARAM, o.l2());
        EventTrainer trainer = TrainerFactory.getEventTrainer(p, null);
        return (AbstractModel) trainer.train(ObjectStreamUtils.createObjectStream(events));
    }

    /** The model's bytes as stored (the maximum-entropy model's binary format, compressed). */
    public static byte[] bytes(AbstractModel model) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(model, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(AbstractModel model, OutputStream out) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out);
        DataOutputStream data = new DataOutputStream(gz);
        new BinaryQNModelWriter(model, data).persist();
        gz.finish();
    }

    /**
     * The temperature (least log-loss on dev), per category the lowest threshold whose false
     * alarms on dev's everyday messages stay within {@link #ACT_BUDGET} (doubled for the most
     * dangerous categories), and the lowest review threshold that sends at most
     * {@link #REVIEW_BUDGET} of them to review. Only everyday messages that the rules leave alone
     * count: the rules' own false alarms are theirs.
     */
    public static Model.Settings tune(AbstractModel maxent, Classifier rules, List<Evaluation.Labelled> dev) {
        Model untuned = new Model(maxent, new Model.Settings(1.0, Map.of(), 2));
        // the raw probabilities per outcome of the model (calibrate maps them to categories)
        List<double[]> raw = new ArrayList<>(dev.size());
        for (Evaluation.Labelled l : dev) {
            raw.add(untuned.rawProbabilities(l.text()));
        }
        double bestT = 1;
        double bestLoss = Double.MAX_VALUE;
        for (int i = 50; i <= 300; i += 5) {
            double t = i / 100.0;
            double loss = 0;
            for (int k = 0; k < dev.size(); k++) {
                double[] p = untuned.calibrate(raw.get(k), t);
                loss -= Math.log(Math.max(p[dev.get(k).category().ordinal()], 1e-12));
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                bestT = t;
            }
        }
        List<double[]> everyday = new ArrayList<>();
        for (int k = 0; k < dev.size(); k++) {
            Evaluation.Labelled l = dev.get(k);
            if (l.category() == RiskCategory.NONE && rules.classifyRules(l.text()).category() == RiskCategory.NONE) {
                everyday.add(untuned.calibrate(raw.get(k), bestT));
            }
        }
        Map<RiskCategory, Double> act = new EnumMap<>(RiskCategory.class);
        for (RiskCategory c : RiskCategory.values()) {
            if (c != RiskCategory.NONE) {
                act.put(c, lowest(everyday, c.ordinal(), false, ACT_BUDGET * (MOST_DANGEROUS.contains(c) ? 2 : 1), LOWEST_ACT, 0.99));
            }
        }
        double review = lowest(everyday, RiskCategory.NONE.ordinal(), true, REVIEW_BUDGET, LOWEST_REVIEW, 0.99);
        return new Model.Settings(bestT, act, review);
    }

    /**
     * The lowest threshold in [floor, ceiling] (steps of 0.01) that at most {@code budget} of the
     * messages reach: with probability k, or with 1 minus it ({@code complement}).
     */
    static double lowest(List<double[]> everyday, int k, boolean complement, double budget, double floor, double ceiling) {
        double chosen = ceiling;
        for (int i = (int) Math.round(ceiling * 100); i >= (int) Math.round(floor * 100); i--) {
            double t = i / 100.0;
            long over = everyday.stream().filter(p -> (complement ? 1 - p[k] : p[k]) >= t).count();
            if (over > budget * everyday.size()) {
                break;
            }
            chosen = t;
        }
        return chosen;
    }

    public static void main(String[] args) throws IOException {
        Path corpus = Path.of(args.length > 0 ? args[0] : "moderation/corpus");
        Path out = Path.of(args.length > 1 ? args[1] : "moderation/src/main/resources/chatsafe/model");
        List<Evaluation.Labelled> train = Evaluation.read(corpus.resolve("train.jsonl"));
        List<Evaluation.Labelled> dev = Evaluation.read(corpus.resolve("dev.jsonl"));
        long started = System.nanoTime();
        AbstractModel maxent = train(train, Options.DEFAULT);
        Model.Settings settings = tune(maxent, Classifier.rulesOnly(), dev);
        Files.createDirectories(out);
        Files.write(out.resolve("chatsafe-model.bin.gz"), bytes(maxent));
        Files.writeString(out.resolve("chatsafe-model.properties"), settings.write("written by ./kring chatsafe train from "
                + train.size() + " training and " + dev.size() + " dev messages; do not edit"), StandardCharsets.UTF_8);
        System.err.printf(Locale.ROOT, "trained on %d messages in %.1f s; temperature %.2f; written to %s%n", train.size(),
                (System.nanoTime() - started) / 1e9, settings.temperature(), out);
    }
}
