package io.speechsampler.curriculum.datamap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.MixtureFactors;
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
 * square root is the variability) of a per-epoch score, the number of epochs whose score was
 * above a correctness threshold, and the mean of each factor the sample was drawn with. No random
 * draws.
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
 *   <li><b>Factors</b> ({@link MixtureFactors}): over every scored outcome whose mixture states its
 *       SNRs and overlap (the run's draws, not per epoch), the sums of the mean target-to-interferer
 *       SNR (fixed point, 1/256 dB), the speaker count (the recipe's sources), the overlap (fixed
 *       point, 1/256) and the draws of domain {@code real}, and their count; the table's means are
 *       sum / count. Outcomes without factors (plain dynamic mixing) add nothing: the means are
 *       NaN.</li>
 *   <li><b>Ranks</b> ({@link Mergeable}): every column is a sum of outcomes' contributions except
 *       the Welford ones (changed only at epoch ends, after the merge). A merge adds every rank's
 *       contributions since the last merge (its columns minus the columns at the last merge, which
 *       all ranks share) to those, which makes every rank hold what one rank fed every outcome
 *       holds. The columns at the last merge are an O(1) copy-on-write snapshot in memory, not part
 *       of the state: a state is saved after a merge (several ranks) or by the only rank.</li>
 * </ul>
 *
 * <p>State: eight int/float columns, 32 bytes per corpus utterance, one binary part of the state
 * (a checkpoint's {@code state.bin}); O(1) snapshots (copy on write). Packed counters: the epoch's
 * outcomes and the epochs seen (16 bits each, one int), the correct epochs and the factor draws (16
 * bits each), and the factor word of two ints: the overlap sum (24 bits), the speaker-count sum (23
 * bits), the {@code real} draws (16 bits). So a sample may have at most 65,535 outcomes in one
 * epoch, 65,535 epochs and 65,535 draws with factors; beyond, {@code observe} fails naming the key.
 */
public final class TseDatamap implements OutcomeObserver, Mergeable<SampleColumns> {

    /** The state's {@code type}, by which {@code sampler datamap} finds it in a checkpoint. */
    public static final String STATE_TYPE = "datamap";
    /** Fraction bits of the fixed-point epoch sums. */
    public static final int QUANTUM_BITS = 16;
    private static final double QUANTUM = 1.0 / (1 << QUANTUM_BITS);
    /** Fixed-point step of the SNR (dB) and overlap sums. */
    static final double FACTOR_QUANTUM = 1.0 / 256;
    /** The largest count a 16-bit counter holds. */
    static final int MAX_COUNT = 0xFFFF;

    static final String EPOCH_SUM = "epoch_sum";
    static final String MEAN = "mean";
    static final String M2 = "m2";
    /** Low 16 bits: the epoch's outcomes; high 16: the epochs seen. */
    static final String COUNTS = "epoch_n_epochs";
    /** Low 16 bits: the correct epochs; high 16: the draws with factors. */
    static final String CORRECT_DRAWS = "correct_factor_n";
    static final String SNR_SUM = "snr_sum";
    /** The factor word's low int. */
    static final String FACTORS_LO = "factors_lo";
    /** The factor word's high int. */
    static final String FACTORS_HI = "factors_hi";

    /** A bit field of an int column, or of the 64-bit factor word (lo | hi << 32). */
    record Field(String name, int shift, int bits) {
        long max() {
            return (1L << bits) - 1;
        }

        long of(long word) {
            return (word >>> shift) & max();
        }

        long with(long word, long value) {
            return (word & ~(max() << shift)) | (value << shift);
        }
    }

    static final Field EPOCH_N = new Field("outcomes in one epoch", 0, 16);
    static final Field EPOCHS = new Field("epochs seen", 16, 16);
    static final Field CORRECT = new Field("correct epochs", 0, 16);
    static final Field FACTOR_N = new Field("draws with factors", 16, 16);
    static final Field OVERLAP = new Field("overlap sum", 0, 24);
    static final Field SPEAKERS = new Field("speaker-count sum", 24, 23);
    static final Field REAL = new Field("real draws", 47, 16);

    private final Corpus corpus;
    private final DatamapScore score;
    private final double correctAbove;
    private final SampleColumns columns;
    private final int epochSum;
    private final int mean;
    private final int m2;
    private final int counts;
    private final int correctDraws;
    private final int snrSum;
    private final int factorsLo;
    private final int factorsHi;
    /** The columns at the last merge (epoch end, restore): what every rank holds alike. */
    private SampleColumns atMerge;

    private TseDatamap(Corpus corpus, DatamapScore score, double correctAbove) {
        this.corpus = corpus;
        this.score = score;
        this.correctAbove = correctAbove;
        this.columns = layout(corpus.size());
        this.epochSum = columns.column(EPOCH_SUM);
        this.mean = columns.column(MEAN);
        this.m2 = columns.column(M2);
        this.counts = columns.column(COUNTS);
        this.correctDraws = columns.column(CORRECT_DRAWS);
        this.snrSum = columns.column(SNR_SUM);
        this.factorsLo = columns.column(FACTORS_LO);
        this.factorsHi = columns.column(FACTORS_HI);
        this.atMerge = columns.snapshot();
    }

    static SampleColumns layout(int n) {
        return SampleColumns.builder(n).ints(EPOCH_SUM, 0).floats(MEAN, 0).floats(M2, 0).ints(COUNTS, 0)
                .ints(CORRECT_DRAWS, 0).ints(SNR_SUM, 0).ints(FACTORS_LO, 0).ints(FACTORS_HI, 0).build();
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

    /** The corpus whose utterances are mapped. */
    public Corpus corpus() {
        return corpus;
    }

    static long word(SampleColumns c, int lo, int hi, int i) {
        return (c.getInt(lo, i) & 0xFFFFFFFFL) | ((long) c.getInt(hi, i) << 32);
    }

    private void setWord(int i, long w) {
        columns.setInt(factorsLo, i, (int) w);
        columns.setInt(factorsHi, i, (int) (w >>> 32));
    }

    private static long add(Field f, long word, long delta, String key) {
        long v = f.of(word) + delta;
        if (v > f.max()) {
            throw new IllegalArgumentException("datamap: the " + f.name() + " of '" + key + "' is beyond the "
                    + f.bits() + "-bit counter of its compact state (" + f.max() + ")");
        }
        return f.with(word, v);
    }

    /**
     * @throws IllegalArgumentException for a raw score that is not finite, an epoch sum beyond the
     *                                  fixed-point range (about 32,000 score units), or a counter
     *                                  beyond its range (see the class comment), naming the key
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
                columns.setInt(epochSum, k, Math.addExact(columns.getInt(epochSum, k), q));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("datamap: the epoch's score sum of '" + o.key()
                        + "' is beyond the fixed-point range (+-" + (Integer.MAX_VALUE * QUANTUM) + "): score " + s);
            }
            columns.setInt(counts, k, (int) add(EPOCH_N, columns.getInt(counts, k) & 0xFFFFFFFFL, 1, o.key()));
            if (o.draw() instanceof MixtureDraw m && m.factors() != null && m.factors().statesSnr()
                    && m.factors().statesOverlap()) {
                addFactors(k, m, o.key());
            }
        }
    }

    private void addFactors(int k, MixtureDraw m, String key) {
        MixtureFactors f = m.factors();
        double snr = 0;
        for (double x : f.interfererSnrDb()) {
            snr += x;
        }
        snr /= f.interfererSnrDb().size();
        columns.setInt(correctDraws, k, (int) add(FACTOR_N, columns.getInt(correctDraws, k) & 0xFFFFFFFFL, 1, key));
        try {
            columns.setInt(snrSum, k, Math.addExact(columns.getInt(snrSum, k),
                    Math.toIntExact(Math.round(snr / FACTOR_QUANTUM))));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("datamap: the SNR sum of '" + key + "' is beyond the fixed-point range");
        }
        long w = word(columns, factorsLo, factorsHi, k);
        w = add(OVERLAP, w, Math.round(f.overlap() / FACTOR_QUANTUM), key);
        w = add(SPEAKERS, w, m.speakers(), key);
        w = add(REAL, w, "real".equals(f.domain()) ? 1 : 0, key);
        setWord(k, w);
    }

    @Override
    public SampleColumns summary() {
        return columns.snapshot();
    }

    /**
     * Adds every rank's contributions since the last merge (this rank's included) to the columns at
     * the last merge. O(N W).
     *
     * @throws IllegalStateException for a summary of another corpus size or layout
     * @throws IllegalArgumentException when a sum or counter goes beyond its range
     */
    @Override
    public void merge(List<SampleColumns> fromEveryRank) {
        for (SampleColumns s : fromEveryRank) {
            columns.requireLayout(s);
        }
        SampleColumns base = atMerge;
        int n = columns.size();
        for (int i = 0; i < n; i++) {
            long sum = base.getInt(epochSum, i);
            long snr = base.getInt(snrSum, i);
            long c = base.getInt(counts, i) & 0xFFFFFFFFL;
            long cd = base.getInt(correctDraws, i) & 0xFFFFFFFFL;
            long w = word(base, factorsLo, factorsHi, i);
            long c0 = c;
            long cd0 = cd;
            long w0 = w;
            String key = corpus.get(i).id();
            for (SampleColumns s : fromEveryRank) {
                sum += s.getInt(epochSum, i) - (long) base.getInt(epochSum, i);
                snr += s.getInt(snrSum, i) - (long) base.getInt(snrSum, i);
                long sc = s.getInt(counts, i) & 0xFFFFFFFFL;
                c = add(EPOCH_N, c, EPOCH_N.of(sc) - EPOCH_N.of(c0), key);
                long scd = s.getInt(correctDraws, i) & 0xFFFFFFFFL;
                cd = add(FACTOR_N, cd, FACTOR_N.of(scd) - FACTOR_N.of(cd0), key);
                long sw = word(s, factorsLo, factorsHi, i);
                w = add(OVERLAP, w, OVERLAP.of(sw) - OVERLAP.of(w0), key);
                w = add(SPEAKERS, w, SPEAKERS.of(sw) - SPEAKERS.of(w0), key);
                w = add(REAL, w, REAL.of(sw) - REAL.of(w0), key);
            }
            if (sum != (int) sum || snr != (int) snr) {
                throw new IllegalArgumentException("datamap: a merged sum of '" + key + "' is beyond the fixed-point "
                        + "range");
            }
            set(epochSum, i, (int) sum);
            set(snrSum, i, (int) snr);
            set(counts, i, (int) c);
            set(correctDraws, i, (int) cd);
            set(factorsLo, i, (int) w);
            set(factorsHi, i, (int) (w >>> 32));
        }
        atMerge = columns.snapshot();
    }

    /** Writes only a changed value, so that a merge that changes nothing copies no column. */
    private void set(int column, int i, int v) {
        if (columns.getInt(column, i) != v) {
            columns.setInt(column, i, v);
        }
    }

    /**
     * Folds the epoch into each sample's statistics: its epoch score is the mean of its outcome
     * scores, then Welford's update and the correctness count.
     */
    @Override
    public void endEpoch(int epoch) {
        int n = columns.size();
        for (int i = 0; i < n; i++) {
            long c = columns.getInt(counts, i) & 0xFFFFFFFFL;
            long count = EPOCH_N.of(c);
            if (count == 0) {
                continue;
            }
            double x = columns.getInt(epochSum, i) * QUANTUM / count;
            String key = corpus.get(i).id();
            c = EPOCH_N.with(add(EPOCHS, c, 1, key), 0);
            long e = EPOCHS.of(c);
            double m = columns.getFloat(mean, i);
            double delta = x - m;
            m += delta / e;
            double s2 = columns.getFloat(m2, i) + delta * (x - m);
            columns.setInt(counts, i, (int) c);
            columns.setFloat(mean, i, (float) m);
            columns.setFloat(m2, i, (float) Math.max(0, s2));
            columns.setInt(epochSum, i, 0);
            if (x > correctAbove) {
                columns.setInt(correctDraws, i, (int) add(CORRECT, columns.getInt(correctDraws, i) & 0xFFFFFFFFL, 1,
                        key));
            }
        }
        atMerge = columns.snapshot();
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
        atMerge = columns.snapshot();
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
