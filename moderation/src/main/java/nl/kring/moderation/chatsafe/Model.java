package nl.kring.moderation.chatsafe;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import nl.kring.moderation.RiskCategory;
import nl.kring.moderation.Severity;
import opennlp.tools.ml.maxent.io.BinaryQNModelReader;
import opennlp.tools.ml.model.AbstractModel;
import opennlp.tools.ml.model.Context;

/**
 * The trained #chatsafe model beside the rules: a multinomial logistic regression (Apache
 * OpenNLP's maximum-entropy model, trained with L-BFGS and L2 regularisation by
 * {@link ModelTrainer}) over the {@link ModelFeatures} of a message. Its probabilities are
 * calibrated by one temperature fitted on the dev split. Thresholds chosen on the dev split
 * ({@code docs/safety.md}): per category, from {@code act} on it is sure (a finding with the
 * category's usual severity); below that, from {@code review} on it is uncertain (a finding of
 * severity {@code low} that the policy turns into a low-priority review). Immutable and
 * thread-safe.
 */
public final class Model {

    /** Where the built-in model and its settings live on the class path. */
    public static final String RESOURCE = "chatsafe/model/chatsafe-model.bin.gz";
    public static final String SETTINGS_RESOURCE = "chatsafe/model/chatsafe-model.properties";

    /** How many words an explanation names at most. */
    static final int WHY = 3;

    /**
     * A model's calibration and thresholds.
     *
     * @param temperature divides the log-probabilities before they are normalised again (1: as trained)
     * @param act         per category, the calibrated probability from which the model is sure
     * @param review      the probability that a message is not everyday (1 - p(none)) from which the model is
     *                    unsure: an uncertain finding in the most likely risk category (above 1: never)
     */
    public record Settings(double temperature, Map<RiskCategory, Double> act, double review) {

        public Settings {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be positive");
            }
            act = Map.copyOf(act);
        }

        public static Settings read(InputStream in) throws IOException {
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            Map<RiskCategory, Double> act = new EnumMap<>(RiskCategory.class);
            for (RiskCategory c : RiskCategory.values()) {
                String a = p.getProperty("act." + c.wireName());
                if (a != null) {
                    act.put(c, Double.parseDouble(a));
                }
            }
            return new Settings(Double.parseDouble(p.getProperty("temperature", "1")), act,
                    Double.parseDouble(p.getProperty("review", "2")));
        }

        /** The properties file, lines in a fixed order, so that the same settings give the same bytes. */
        public String write(String comment) {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "temperature=%.4f", temperature));
            for (RiskCategory c : RiskCategory.values()) {
                if (act.containsKey(c)) {
                    lines.add(String.format(Locale.ROOT, "act.%s=%.4f", c.wireName(), act.get(c)));
                }
            }
            lines.add(String.format(Locale.ROOT, "review=%.4f", review));
            return "# " + comment + "\n" + String.join("\n", lines) + "\n";
        }
    }

    private final AbstractModel maxent;
    private final Map<String, Context> pmap;
    /** The model's outcome index for each category's ordinal, or -1. */
    private final int[] outcome;
    private final Settings settings;

    /**
     * The weights as the send path reads them: an open-addressing table from a feature's hash
     * ({@link ModelFeatures#hash}) to its row of weights per outcome, so that scoring a message
     * makes no string per feature. Built once from the model; rows that are all zero are left out.
     */
    private final long[] keys;
    private final int[] rows;
    private final double[] weights;
    private final int outcomes;

    @SuppressWarnings("unchecked")
    public Model(AbstractModel maxent, Settings settings) {
        this.maxent = maxent;
        this.settings = settings;
        this.pmap = (Map<String, Context>) maxent.getDataStructures()[1];
        this.outcome = new int[RiskCategory.values().length];
        for (RiskCategory c : RiskCategory.values()) {
            outcome[c.ordinal()] = maxent.getIndex(c.wireName());
        }
        this.outcomes = maxent.getNumOutcomes();
        int used = 0;
        for (Context ctx : pmap.values()) {
            if (nonZero(ctx)) {
                used++;
            }
        }
        int capacity = Integer.highestOneBit(Math.max(16, used * 2)) << 1;
        this.keys = new long[capacity];
        this.rows = new int[capacity];
        this.weights = new double[used * outcomes];
        int row = 0;
        for (Map.Entry<String, Context> e : pmap.entrySet()) {
            if (!nonZero(e.getValue())) {
                continue;
            }
            long key = ModelFeatures.hash(e.getKey());
            int slot = slot(key);
            while (keys[slot] != 0) {
                if (keys[slot] == key) {
                    throw new IllegalStateException("two features of the model share a hash: " + e.getKey());
                }
                slot = (slot + 1) & (capacity - 1);
            }
            keys[slot] = key;
            rows[slot] = row;
            int[] outs = e.getValue().getOutcomes();
            double[] params = e.getValue().getParameters();
            for (int k = 0; k < outs.length; k++) {
                weights[row * outcomes + outs[k]] = params[k];
            }
            row++;
        }
    }

    private static boolean nonZero(Context ctx) {
        for (double p : ctx.getParameters()) {
            if (p != 0) {
                return true;
            }
        }
        return false;
    }

    private int slot(long key) {
        return (int) (key ^ (key >>> 29)) & (keys.length - 1);
    }

    /**
     * The model's raw probabilities per outcome for a message, as {@code maxent.eval} gives them
     * for {@link ModelFeatures#of}'s names, from the hashes alone (tested to be the same).
     */
    double[] rawProbabilities(String text) {
        return rawProbabilities(ModelFeatures.hashed(text));
    }

    /** The row of weights of a feature's hash (its index times the outcomes), or -1 when the model has none. */
    private int row(long h) {
        int slot = slot(h);
        long k;
        while ((k = keys[slot]) != 0) {
            if (k == h) {
                return rows[slot] * outcomes;
            }
            slot = (slot + 1) & (keys.length - 1);
        }
        return -1;
    }

    private double[] rawProbabilities(ModelFeatures.Hashed f) {
        double[] sum = new double[outcomes];
        for (long h : f.hashes) {
            int base = row(h);
            if (base >= 0) {
                for (int o = 0; o < outcomes; o++) {
                    sum[o] += weights[base + o];
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : sum) {
            max = Math.max(max, v);
        }
        double total = 0;
        for (int o = 0; o < outcomes; o++) {
            sum[o] = Math.exp(sum[o] - max);
            total += sum[o];
        }
        for (int o = 0; o < outcomes; o++) {
            sum[o] /= total;
        }
        return sum;
    }

    private static final class BuiltIn {
        static final Model MODEL = load();

        private static Model load() {
            ClassLoader cl = Model.class.getClassLoader();
            try (InputStream m = cl.getResourceAsStream(RESOURCE); InputStream s = cl.getResourceAsStream(SETTINGS_RESOURCE)) {
                if (m == null || s == null) {
                    throw new IllegalStateException("the #chatsafe model is missing from the class path: " + RESOURCE);
                }
                return new Model(read(m), Settings.read(s));
            } catch (IOException e) {
                throw new UncheckedIOException("the #chatsafe model cannot be read", e);
            }
        }
    }

    /** The model shipped in this jar (read once). */
    public static Model builtIn() {
        return BuiltIn.MODEL;
    }

    /** Reads a model written by {@link ModelTrainer#write}. */
    public static AbstractModel read(InputStream in) throws IOException {
        return new BinaryQNModelReader(new DataInputStream(new GZIPInputStream(new BufferedInputStream(in)))).getModel();
    }

    public Settings settings() {
        return settings;
    }

    public Model withSettings(Settings s) {
        return new Model(maxent, s);
    }

    AbstractModel maxent() {
        return maxent;
    }

    /** The calibrated probability of each category (indexed by ordinal) for these features. */
    public double[] probabilities(ModelFeatures f) {
        return calibrate(maxent.eval(f.names()), settings.temperature());
    }

    /** The calibrated probabilities of a message, indexed by the category's ordinal (the fast path: no strings per feature). */
    public double[] probabilities(String text) {
        return calibrate(rawProbabilities(text), settings.temperature());
    }

    double[] calibrate(double[] raw, double temperature) {
        double[] out = new double[outcome.length];
        double sum = 0;
        for (int c = 0; c < outcome.length; c++) {
            int o = outcome[c];
            if (o >= 0) {
                out[c] = temperature == 1 ? raw[o] : Math.exp(Math.log(Math.max(raw[o], 1e-300)) / temperature);
                sum += out[c];
            }
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= sum;
        }
        return out;
    }

    /**
     * The model's findings: sure ones (a category at or above its {@code act} threshold), and when
     * there is none, an uncertain one in the most likely risk category when the message is likely
     * enough not to be everyday ({@code review}); the categories whose usual severity is already
     * low (contact details, harassment) are never uncertain, they are found or not.
     */
    public void findings(String text, List<Finding> sure, List<Finding> uncertain) {
        Scores s = score(Normaliser.normalise(text == null ? "" : text), text);
        int before = sure.size();
        for (RiskCategory c : RiskCategory.values()) {
            if (s.sure(c)) {
                sure.add(s.finding(c));
            }
        }
        Finding unsure = sure.size() > before ? null : s.uncertain();
        if (unsure != null) {
            uncertain.add(unsure);
        }
    }

    /** A message scored: its calibrated probabilities; findings (with their explanation) made on demand. */
    public Scores score(Tokens t, String text) {
        ModelFeatures.Hashed f = ModelFeatures.hashed(t, text);
        return new Scores(f, calibrate(rawProbabilities(f), settings.temperature()));
    }

    /** One message's scores. Findings are made, and explained, only for what the caller keeps. */
    public final class Scores {
        private final ModelFeatures.Hashed features;
        private final double[] p;

        private Scores(ModelFeatures.Hashed features, double[] p) {
            this.features = features;
            this.p = p;
        }

        /** Whether the model is sure of the category (at or above its threshold). */
        public boolean sure(RiskCategory c) {
            Double act = settings.act().get(c);
            return c != RiskCategory.NONE && act != null && p[c.ordinal()] >= act;
        }

        /** The sure finding of a category, with the words that weighed most. */
        public Finding finding(RiskCategory c) {
            return new Finding(c, severityOf(c), Finding.MODEL, p[c.ordinal()], why(features, c));
        }

        /**
         * The uncertain finding (severity low, the most likely risk category but contact details and
         * harassment) when the message is likely enough not to be everyday; null otherwise.
         */
        public Finding uncertain() {
            if (1 - p[RiskCategory.NONE.ordinal()] < settings.review()) {
                return null;
            }
            RiskCategory likely = null;
            for (RiskCategory c : RiskCategory.values()) {
                if (c != RiskCategory.NONE && c != RiskCategory.PII && c != RiskCategory.HARASSMENT
                        && (likely == null || p[c.ordinal()] > p[likely.ordinal()])) {
                    likely = c;
                }
            }
            return new Finding(likely, Severity.LOW, Finding.MODEL, p[likely.ordinal()], why(features, likely));
        }
    }

    /** The usual severity of a category's finding. */
    public static Severity severityOf(RiskCategory c) {
        return switch (c) {
            case IMMINENT_RISK -> Severity.IMMINENT;
            case METHOD_DETAIL -> Severity.HIGH;
            case SUICIDAL_IDEATION, SELF_HARM, THIRD_PARTY_RISK -> Severity.MEDIUM;
            case PII, HARASSMENT -> Severity.LOW;
            case NONE -> Severity.NONE;
        };
    }

    /**
     * The words (and emoji) that weighed most for the category against "none": each feature's
     * weight for the category minus its weight for none, summed over the word it came from (a
     * word pair's weight is shared by both words). Positive weights only, largest first.
     */
    List<String> why(ModelFeatures.Hashed f, RiskCategory c) {
        int oc = outcome[c.ordinal()];
        int on = outcome[RiskCategory.NONE.ordinal()];
        double[] weight = new double[f.units()];
        for (int i = 0; i < f.hashes.length; i++) {
            int base = row(f.hashes[i]);
            if (base < 0) {
                continue;
            }
            double w = weights[base + oc] - weights[base + on];
            int b = f.ownerB[i];
            if (f.ownerA[i] < 0) {
                continue; // the intercept belongs to no word
            }
            if (b < 0) {
                weight[f.ownerA[i]] += w;
            } else {
                weight[f.ownerA[i]] += w / 2;
                weight[b] += w / 2;
            }
        }
        Integer[] order = new Integer[weight.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(weight[y], weight[x]));
        List<String> out = new ArrayList<>(WHY);
        for (int i = 0; i < order.length && out.size() < WHY; i++) {
            if (weight[order[i]] <= 0) {
                break;
            }
            String u = f.unit(order[i]);
            if (!out.contains(u)) {
                out.add(u);
            }
        }
        return out;
    }
}
