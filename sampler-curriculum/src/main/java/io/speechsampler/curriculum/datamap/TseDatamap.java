package io.speechsampler.curriculum.datamap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.Mergeable;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.OutcomeObserverProvider;
import io.speechsampler.api.state.SampleColumns;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * TSE-Datamap (paper 000) after dataset cartography (Swayamdipta et al., "Dataset Cartography",
 * EMNLP 2020): per sample, the streamed mean (confidence) and population variance (ddof 0; its
 * square root is the variability) of a per-epoch score, and the number of epochs whose score was
 * above a correctness threshold. No random draws.
 *
 * <ul>
 *   <li><b>Sample</b>: the outcome's key ({@link Outcome#key()}): an item's utterance, a mixture's
 *       pivot, i.e. the target (first) source; under dynamic mixing each utterance is a pivot once
 *       per epoch. Keys that are not corpus utterances are ignored, and so are outcomes whose
 *       metric is NaN (the loop computed none).</li>
 *   <li><b>Score</b> of an outcome: {@code sigmoid((metric - tau) / kappa)} (metric: SI-SNRi in dB
 *       for separation and extraction), or the raw metric with {@code score: raw}.</li>
 *   <li><b>Epoch score</b>: the mean of the sample's outcome scores in that epoch (a sample drawn
 *       several times in an epoch counts once per epoch, at its average). Epoch sums are kept in
 *       fixed point ({@value #QUANTUM_BITS} fraction bits, an int), so that a rank's sum and the
 *       merge over ranks are exact and do not depend on the order of addition.</li>
 *   <li><b>Across epochs</b>, at each epoch end, Welford's update (Welford 1962) of count, mean and
 *       sum of squared deviations, in double arithmetic stored as floats; the epoch is correct when
 *       its score is above {@code correct_above}. Epochs where a sample had no outcome are not
 *       counted for it.</li>
 *   <li><b>Ranks</b> ({@link Mergeable}): the outcomes since the last merge are pending; a merge adds
 *       every rank's pending sums and counts to the epoch's merged ones, which makes every rank hold
 *       what one rank fed every outcome holds.</li>
 * </ul>
 *
 * <p>State: eight int/float columns, 32 bytes per corpus utterance, one binary part of the state
 * (a checkpoint's {@code state.bin}); O(1) snapshots (copy on write).
 */
public final class TseDatamap implements OutcomeObserver, Mergeable<SampleColumns> {

    /** The state's {@code type}, by which {@code sampler datamap} finds it in a checkpoint. */
    public static final String STATE_TYPE = "datamap";
    /** Fraction bits of the fixed-point epoch sums. */
    public static final int QUANTUM_BITS = 16;
    private static final double QUANTUM = 1.0 / (1 << QUANTUM_BITS);

    static final String EPOCH_SUM = "epoch_sum";
    static final String EPOCH_N = "epoch_n";
    static final String PENDING_SUM = "pending_sum";
    static final String PENDING_N = "pending_n";
    static final String EPOCHS = "epochs";
    static final String MEAN = "mean";
    static final String M2 = "m2";
    static final String CORRECT = "correct";

    private final Corpus corpus;
    private final DatamapScore score;
    private final double correctAbove;
    private final SampleColumns columns;
    private final int epochSum;
    private final int epochN;
    private final int pendingSum;
    private final int pendingN;
    private final int epochs;
    private final int mean;
    private final int m2;
    private final int correct;

    private TseDatamap(Corpus corpus, DatamapScore score, double correctAbove) {
        this.corpus = corpus;
        this.score = score;
        this.correctAbove = correctAbove;
        this.columns = SampleColumns.builder(corpus.size()).ints(EPOCH_SUM, 0).ints(EPOCH_N, 0)
                .ints(PENDING_SUM, 0).ints(PENDING_N, 0).ints(EPOCHS, 0).floats(MEAN, 0).floats(M2, 0)
                .ints(CORRECT, 0).build();
        this.epochSum = columns.column(EPOCH_SUM);
        this.epochN = columns.column(EPOCH_N);
        this.pendingSum = columns.column(PENDING_SUM);
        this.pendingN = columns.column(PENDING_N);
        this.epochs = columns.column(EPOCHS);
        this.mean = columns.column(MEAN);
        this.m2 = columns.column(M2);
        this.correct = columns.column(CORRECT);
    }

    /**
     * @param corpus       the corpus whose utterances are mapped
     * @param score        how an outcome's metric becomes a score
     * @param correctAbove an epoch is correct when its score is above this; finite
     * @throws IllegalArgumentException for a threshold that is not finite
     */
    public static TseDatamap of(Corpus corpus, DatamapScore score, double correctAbove) {
        if (!Double.isFinite(correctAbove)) {
            throw new IllegalArgumentException("correct_above is not finite: " + correctAbove);
        }
        return new TseDatamap(corpus, java.util.Objects.requireNonNull(score, "score"), correctAbove);
    }

    public DatamapScore score() {
        return score;
    }

    public double correctAbove() {
        return correctAbove;
    }

    /**
     * @throws IllegalArgumentException for a raw score that is not finite, or an epoch sum beyond the
     *                                  fixed-point range (about 32,000 score units), naming the key
     */
    @Override
    public void observe(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            if (Double.isNaN(o.metric())) {
                continue;
            }
            OptionalInt i = corpus.indexOf(o.key());
            if (i.isEmpty()) {
                continue;
            }
            double s = score.of(o.metric());
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("datamap: the raw score of '" + o.key() + "' is not finite: " + s);
            }
            int k = i.getAsInt();
            try {
                int q = Math.toIntExact(Math.round(s / QUANTUM));
                columns.setInt(pendingSum, k, Math.addExact(columns.getInt(pendingSum, k), q));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("datamap: the epoch's score sum of '" + o.key()
                        + "' is beyond the fixed-point range (+-" + (Integer.MAX_VALUE * QUANTUM) + "): score " + s);
            }
            columns.setInt(pendingN, k, columns.getInt(pendingN, k) + 1);
        }
    }

    @Override
    public SampleColumns summary() {
        return columns.snapshot();
    }

    /**
     * Adds every rank's pending sums and counts (this rank's included) to the epoch's merged ones
     * and clears the pending ones. O(N W).
     *
     * @throws IllegalStateException for a summary of another corpus size or layout
     */
    @Override
    public void merge(List<SampleColumns> fromEveryRank) {
        for (SampleColumns s : fromEveryRank) {
            columns.requireLayout(s);
        }
        int n = columns.size();
        for (int i = 0; i < n; i++) {
            int sum = columns.getInt(epochSum, i);
            int count = columns.getInt(epochN, i);
            boolean any = false;
            for (SampleColumns s : fromEveryRank) {
                int c = s.getInt(pendingN, i);
                if (c != 0) {
                    any = true;
                    sum = Math.addExact(sum, s.getInt(pendingSum, i));
                    count += c;
                }
            }
            if (any) {
                columns.setInt(epochSum, i, sum);
                columns.setInt(epochN, i, count);
            }
        }
        columns.fillInt(pendingSum, 0);
        columns.fillInt(pendingN, 0);
    }

    /**
     * Folds the epoch into each sample's statistics: its epoch score is the mean of its outcome
     * scores (merged and pending), then Welford's update and the correctness count.
     */
    @Override
    public void endEpoch(int epoch) {
        int n = columns.size();
        for (int i = 0; i < n; i++) {
            int count = columns.getInt(epochN, i) + columns.getInt(pendingN, i);
            if (count == 0) {
                continue;
            }
            long sum = (long) columns.getInt(epochSum, i) + columns.getInt(pendingSum, i);
            double x = sum * QUANTUM / count;
            int e = columns.getInt(epochs, i) + 1;
            double m = columns.getFloat(mean, i);
            double delta = x - m;
            m += delta / e;
            double s2 = columns.getFloat(m2, i) + delta * (x - m);
            columns.setInt(epochs, i, e);
            columns.setFloat(mean, i, (float) m);
            columns.setFloat(m2, i, (float) Math.max(0, s2));
            if (x > correctAbove) {
                columns.setInt(correct, i, columns.getInt(correct, i) + 1);
            }
        }
        columns.fillInt(epochSum, 0);
        columns.fillInt(epochN, 0);
        columns.fillInt(pendingSum, 0);
        columns.fillInt(pendingN, 0);
    }

    /** The finished epochs' statistics, as they are now. */
    public DatamapTable table() {
        return DatamapTable.of(columns.snapshot(), score, correctAbove);
    }

    @Override
    public JsonNode saveState() {
        return state(columns);
    }

    @Override
    public Supplier<JsonNode> snapshot() {
        SampleColumns now = columns.snapshot();
        return () -> state(now);
    }

    private ObjectNode state(SampleColumns c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", STATE_TYPE);
        o.put("utterances", c.size());
        o.put("score", score.name());
        o.put("tau", score.tau());
        o.put("kappa", score.kappa());
        o.put("correct_above", correctAbove);
        o.set("columns", c.toJson());
        return o;
    }

    @Override
    public void restoreState(JsonNode state) {
        if (state == null || !STATE_TYPE.equals(state.path("type").asText())) {
            throw new IllegalStateException("not a " + STATE_TYPE + " state: expected \"type\": \"" + STATE_TYPE + "\"");
        }
        DatamapScore saved = DatamapScore.fromState(state);
        if (!saved.equals(score) || state.path("correct_above").asDouble(Double.NaN) != correctAbove) {
            throw new IllegalStateException("the " + STATE_TYPE + " state was made with score " + saved + ", correct_above "
                    + state.path("correct_above") + "; this observer has score " + score + ", correct_above "
                    + correctAbove);
        }
        SampleColumns c = SampleColumns.fromJson(state.get("columns"), STATE_TYPE + " columns");
        columns.requireLayout(c);
        columns.restoreFrom(c);
    }

    @Override
    public String toString() {
        return "datamap(" + score + ", correct_above " + correctAbove + ")";
    }

    /** {@code datamap}: {@code score}, {@code tau}, {@code kappa}, {@code correct_above}. */
    public static final class Provider implements OutcomeObserverProvider {
        @Override
        public String name() {
            return "datamap";
        }

        @Override
        public String description() {
            return "TSE-Datamap (paper 000, after dataset cartography): per target utterance (a mixture's pivot), "
                    + "the mean (confidence) and ddof-0 std (variability) over epochs of the epoch's score "
                    + "sigmoid((SI-SNRi - tau) / kappa) or raw SI-SNRi, and the epochs above correct_above; "
                    + "read it with 'sampler datamap --run RUN'";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(
                    ParamSpec.choice("score", "the per-epoch score: sigmoid((metric - tau) / kappa) in (0, 1), or the "
                            + "raw metric (SI-SNRi in dB)", "sigmoid", "raw").defaultsTo("sigmoid"),
                    ParamSpec.real("tau", "sigmoid score: the metric (dB) that scores 0.5").defaultsTo(10.0),
                    ParamSpec.real("kappa", "sigmoid score: the metric's scale (dB), > 0").defaultsTo(3.0).min(0),
                    ParamSpec.real("correct_above", "an epoch is correct when its score is above this; default 0.5 "
                            + "(sigmoid: the metric above tau) or tau (raw)").defaultsTo(null));
        }

        @Override
        public OutcomeObserver create(Params p, BuildContext ctx) {
            double tau = p.getDouble("tau");
            double kappa = p.getDouble("kappa");
            if (!Double.isFinite(tau)) {
                throw p.error("tau", "'" + p.pathOf("tau") + "' is not finite: " + tau);
            }
            if (!(kappa > 0) || !Double.isFinite(kappa)) {
                throw p.error("kappa", "'" + p.pathOf("kappa") + "' is not a finite number > 0: " + kappa);
            }
            boolean raw = "raw".equals(p.getString("score"));
            DatamapScore score = raw ? DatamapScore.raw(tau, kappa) : DatamapScore.sigmoid(tau, kappa);
            double above = p.has("correct_above") ? p.getDouble("correct_above") : (raw ? tau : 0.5);
            if (!Double.isFinite(above)) {
                throw p.error("correct_above", "'" + p.pathOf("correct_above") + "' is not finite: " + above);
            }
            if (!raw && !(above >= 0 && above <= 1)) {
                throw p.error("correct_above", "'" + p.pathOf("correct_above") + "' is not in [0, 1] (a sigmoid score "
                        + "is): " + above);
            }
            return TseDatamap.of(ctx.corpus(), score, above);
        }
    }
}
