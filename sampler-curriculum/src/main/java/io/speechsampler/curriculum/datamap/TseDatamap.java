package io.speechsampler.curriculum.datamap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.MixtureFactors;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.Mergeable;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeBatch;
import io.speechsampler.api.spi.OutcomeObserver;
import io.speechsampler.api.spi.OutcomeObserverProvider;
import io.speechsampler.api.state.SampleColumns;
import java.util.List;
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
 *       metric is NaN (the loop computed none). The {@code datamap} provider maps the run's key
 *       corpus ({@link BuildContext#keyCorpus}): the training corpus, then the second corpus a
 *       curriculum draws its {@code real} mixtures' targets from ({@code real:ID}), so those
 *       targets have rows too.</li>
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
 *
 * <p>In memory the same 32 bytes per utterance are held as {@link DatamapRecords} (the epoch's sum
 * and counts side by side in one {@code long}, so an outcome touches one 8-byte slot), plus an id
 * table ({@link IdIndexTable}, 24 to 48 bytes per utterance) for outcomes that come without key
 * indexes. Cost per outcome (issue 12: at most 50 ns at N = 1e6; BENCHMARKS.md section 16): an
 * {@link OutcomeBatch} with key indexes (what the training loop sends) costs the score and one
 * random 8-byte update; other outcomes add the lookup of the key (the id string's hash, a read of
 * the id string itself, one slot of the id table). One rank's merge of its own summary is O(1).
 */
public final class TseDatamap implements OutcomeObserver, Mergeable<TseDatamap.Summary> {

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

    /** Outcomes resolved together by {@link #observe}. */
    private static final int CHUNK = 64;

    private final Corpus corpus;
    private final DatamapScore score;
    private final boolean raw;
    private final double tau;
    private final double kappa;
    private final double correctAbove;
    private final int n;
    private final IdIndexTable ids;
    private DatamapRecords records;
    /** The records at the last merge (epoch end, restore): what every rank holds alike. */
    private DatamapRecords atMerge;
    /** The last {@link #summary()}, and the records' {@code writes()} it was made at. */
    private Summary lastSummary;
    private long lastSummaryWrites;
    private final String[] chunkKeys = new String[CHUNK];
    private final int[] chunkHashes = new int[CHUNK];
    private final int[] chunkIndexes = new int[CHUNK];

    private TseDatamap(Corpus corpus, DatamapScore score, double correctAbove) {
        this.corpus = corpus;
        this.score = score;
        this.raw = score.isRaw();
        this.tau = score.tau();
        this.kappa = score.kappa();
        this.correctAbove = correctAbove;
        this.n = corpus.size();
        this.ids = IdIndexTable.of(corpus);
        this.records = DatamapRecords.empty(n);
        this.atMerge = records.snapshot();
    }

    static SampleColumns layout(int n) {
        return SampleColumns.builder(n).ints(EPOCH_SUM, 0).floats(MEAN, 0).floats(M2, 0).ints(COUNTS, 0)
                .ints(CORRECT_DRAWS, 0).ints(SNR_SUM, 0).ints(FACTORS_LO, 0).ints(FACTORS_HI, 0).build();
    }

    /**
     * @throws IllegalStateException when {@code c} does not hold {@code size} samples in the
     *                               datamap's columns; the message says what differs
     */
    static void requireLayout(SampleColumns c, int size) {
        if (c.size() != size) {
            throw new IllegalStateException("the columns hold " + c.size() + " samples; expected " + size
                    + " (one per utterance of this corpus)");
        }
        SampleColumns expected = layout(0);
        SampleColumns asGiven = c.size() == 0 ? c : restated(c);
        expected.requireLayout(asGiven);
    }

    /** An empty columns object with {@code c}'s names and types, to compare layouts without copying values. */
    private static SampleColumns restated(SampleColumns c) {
        SampleColumns.Builder b = SampleColumns.builder(0);
        for (int k = 0; k < c.names().size(); k++) {
            if (c.type(k) == SampleColumns.Type.FLOAT) {
                b.floats(c.names().get(k), 0);
            } else {
                b.ints(c.names().get(k), 0);
            }
        }
        return b.build();
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

    private static long unsigned(int v) {
        return v & 0xFFFFFFFFL;
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
     * Outcomes are taken {@value #CHUNK} at a time in three passes, each a run of independent
     * loads that the processor overlaps: the keys' hashes, then their corpus indexes, then the
     * updates of their records (at N = 1e6 each is a cache miss; one after another they would wait
     * for each other). The outcomes are applied in order, as one at a time would be. An
     * {@link OutcomeBatch} that carries key indexes of this observer's corpus
     * ({@link OutcomeBatch#hasKeyIndexesOf}, as the training loop sends) needs no lookup: its
     * outcomes go straight to their records.
     *
     * @throws IllegalArgumentException for a raw score that is not finite, an epoch sum beyond the
     *                                  fixed-point range (about 32,000 score units), or a counter
     *                                  beyond its range (see the class comment), naming the key
     */
    @Override
    public void observe(List<Outcome> outcomes) {
        int size = outcomes.size();
        if (size == 0) {
            return;
        }
        long[] pending = records.pendingForWrite();
        OutcomeBatch columns = outcomes instanceof OutcomeBatch b ? b : null;
        if (columns != null && columns.hasKeyIndexesOf(corpus)) {
            for (int j = 0; j < size; j++) {
                int k = columns.keyIndex(j);
                double metric = columns.metric(j);
                if (k >= 0 && !Double.isNaN(metric)) {
                    Draw draw = columns.draw(j);
                    apply(pending, k, draw, metric);
                }
            }
            return;
        }
        String[] keys = chunkKeys;
        int[] hashes = chunkHashes;
        int[] indexes = chunkIndexes;
        for (int from = 0; from < size; from += CHUNK) {
            int to = Math.min(size, from + CHUNK);
            for (int j = from; j < to; j++) {
                double metric = columns != null ? columns.metric(j) : outcomes.get(j).metric();
                String key = Double.isNaN(metric) ? null
                        : columns != null ? columns.draw(j).key() : outcomes.get(j).key();
                keys[j - from] = key;
                hashes[j - from] = key == null ? 0 : key.hashCode();
            }
            for (int j = 0; j < to - from; j++) {
                indexes[j] = keys[j] == null ? -1 : ids.indexOf(keys[j], hashes[j]);
            }
            for (int j = from; j < to; j++) {
                int k = indexes[j - from];
                if (k < 0) {
                    continue;
                }
                Draw draw = columns != null ? columns.draw(j) : outcomes.get(j).draw();
                double metric = columns != null ? columns.metric(j) : outcomes.get(j).metric();
                apply(pending, k, draw, metric);
            }
        }
        java.util.Arrays.fill(keys, null);
    }

    /** The score of a metric, as {@link DatamapScore#of}. */
    private double scoreOf(double metric) {
        return raw ? metric : 1 / (1 + Math.exp(-(metric - tau) / kappa));
    }

    private void apply(long[] pending, int k, Draw draw, double metric) {
        double s = scoreOf(metric);
        if (!Double.isFinite(s)) {
            throw new IllegalArgumentException("datamap: the raw score of '" + draw.key() + "' is not finite: " + s);
        }
        long q = Math.round(s * (1 << QUANTUM_BITS));
        long p = pending[k];
        long sum = DatamapRecords.high(p) + q;
        if (q != (int) q || sum != (int) sum) {
            throw new IllegalArgumentException("datamap: the epoch's score sum of '" + draw.key()
                    + "' is beyond the fixed-point range (+-" + (Integer.MAX_VALUE * QUANTUM) + "): score " + s);
        }
        int counts = DatamapRecords.low(p);
        if ((counts & MAX_COUNT) == MAX_COUNT) {
            add(EPOCH_N, unsigned(counts), 1, draw.key());
        }
        pending[k] = DatamapRecords.pack(counts + 1, (int) sum);
        if (draw instanceof MixtureDraw m && m.factors() != null && m.factors().statesSnr()
                && m.factors().statesOverlap()) {
            addFactors(k, m, m.key());
        }
    }

    private void addFactors(int k, MixtureDraw m, String key) {
        MixtureFactors f = m.factors();
        double snr = 0;
        for (double x : f.interfererSnrDb()) {
            snr += x;
        }
        snr /= f.interfererSnrDb().size();
        long t = records.tally(k);
        long cd = add(FACTOR_N, unsigned(DatamapRecords.low(t)), 1, key);
        long snrQ = Math.round(snr / FACTOR_QUANTUM);
        long snrSum = DatamapRecords.high(t) + snrQ;
        if (snrQ != (int) snrQ || snrSum != (int) snrSum) {
            throw new IllegalArgumentException("datamap: the SNR sum of '" + key + "' is beyond the fixed-point range");
        }
        long w = records.word(k);
        w = add(OVERLAP, w, Math.round(f.overlap() / FACTOR_QUANTUM), key);
        w = add(SPEAKERS, w, m.speakers(), key);
        w = add(REAL, w, "real".equals(f.domain()) ? 1 : 0, key);
        records.tallyForWrite()[k] = DatamapRecords.pack((int) cd, (int) snrSum);
        records.wordForWrite()[k] = w;
    }

    /**
     * A rank's records as they were at {@link #summary()}: immutable, O(1) to take (a copy-on-write
     * snapshot); what ranks exchange before a {@link #merge}.
     */
    public static final class Summary {
        private final DatamapRecords records;

        private Summary(DatamapRecords records) {
            this.records = records;
        }

        /** Samples (corpus utterances) it holds. */
        public int size() {
            return records.size();
        }
    }

    /** O(1): a snapshot of the records. */
    @Override
    public Summary summary() {
        if (lastSummary == null || lastSummaryWrites != records.writes()) {
            lastSummary = new Summary(records.snapshot());
            lastSummaryWrites = records.writes();
        }
        return lastSummary;
    }

    /**
     * Adds every rank's contributions since the last merge (this rank's included) to the records at
     * the last merge. O(N W); O(1) for one rank that merges its own summary of unchanged records.
     *
     * @throws IllegalStateException for a summary of another corpus size
     * @throws IllegalArgumentException when a sum or counter goes beyond its range
     */
    @Override
    public void merge(List<Summary> fromEveryRank) {
        if (fromEveryRank.size() == 1 && fromEveryRank.get(0) == lastSummary && lastSummaryWrites == records.writes()) {
            // one rank, merging its own unchanged summary: base + (records - base) is the records
            atMerge = records.snapshot();
            return;
        }
        for (Summary s : fromEveryRank) {
            if (s.size() != n) {
                throw new IllegalStateException("a datamap summary holds " + s.size() + " samples; expected " + n
                        + " (one per utterance of this corpus)");
            }
        }
        DatamapRecords base = atMerge;
        DatamapRecords merged = DatamapRecords.empty(n);
        long[] pending = merged.pendingForWrite();
        long[] tally = merged.tallyForWrite();
        long[] words = merged.wordForWrite();
        float[] means = merged.meanForWrite();
        float[] m2s = merged.m2ForWrite();
        for (int i = 0; i < n; i++) {
            long p0 = base.pending(i);
            long t0 = base.tally(i);
            long w0 = base.word(i);
            long sum0 = DatamapRecords.high(p0);
            long snr0 = DatamapRecords.high(t0);
            long c0 = unsigned(DatamapRecords.low(p0));
            long cd0 = unsigned(DatamapRecords.low(t0));
            long sum = sum0;
            long snr = snr0;
            long c = c0;
            long cd = cd0;
            long w = w0;
            for (Summary summary : fromEveryRank) {
                DatamapRecords s = summary.records;
                long sp = s.pending(i);
                long st = s.tally(i);
                long sc = unsigned(DatamapRecords.low(sp));
                long scd = unsigned(DatamapRecords.low(st));
                long sw = s.word(i);
                long ssum = DatamapRecords.high(sp);
                long ssnr = DatamapRecords.high(st);
                if (sc == c0 && scd == cd0 && sw == w0 && ssum == sum0 && ssnr == snr0) {
                    continue;
                }
                String key = corpus.get(i).id();
                sum += ssum - sum0;
                snr += ssnr - snr0;
                c = add(EPOCH_N, c, EPOCH_N.of(sc) - EPOCH_N.of(c0), key);
                cd = add(FACTOR_N, cd, FACTOR_N.of(scd) - FACTOR_N.of(cd0), key);
                w = add(OVERLAP, w, OVERLAP.of(sw) - OVERLAP.of(w0), key);
                w = add(SPEAKERS, w, SPEAKERS.of(sw) - SPEAKERS.of(w0), key);
                w = add(REAL, w, REAL.of(sw) - REAL.of(w0), key);
            }
            if (sum != (int) sum || snr != (int) snr) {
                throw new IllegalArgumentException("datamap: a merged sum of '" + corpus.get(i).id() + "' is beyond "
                        + "the fixed-point range");
            }
            pending[i] = DatamapRecords.pack((int) c, (int) sum);
            tally[i] = DatamapRecords.pack((int) cd, (int) snr);
            words[i] = w;
            means[i] = base.mean(i);
            m2s[i] = base.m2(i);
        }
        records = merged;
        lastSummary = null;
        atMerge = records.snapshot();
    }

    /**
     * Folds the epoch into each sample's statistics: its epoch score is the mean of its outcome
     * scores, then Welford's update and the correctness count.
     */
    @Override
    public void endEpoch(int epoch) {
        long[] pending = records.pendingForWrite();
        float[] means = records.meanForWrite();
        float[] m2s = records.m2ForWrite();
        for (int i = 0; i < n; i++) {
            long p = pending[i];
            long c = unsigned(DatamapRecords.low(p));
            long count = EPOCH_N.of(c);
            if (count == 0) {
                continue;
            }
            double x = DatamapRecords.high(p) * QUANTUM / count;
            long e = EPOCHS.of(c) + 1;
            if (e > EPOCHS.max()) {
                add(EPOCHS, c, 1, corpus.get(i).id());
            }
            boolean correct = x > correctAbove;
            if (correct && CORRECT.of(unsigned(DatamapRecords.low(records.tally(i)))) == CORRECT.max()) {
                add(CORRECT, CORRECT.max(), 1, corpus.get(i).id());
            }
            double m = means[i];
            double delta = x - m;
            m += delta / e;
            double s2 = m2s[i] + delta * (x - m);
            pending[i] = DatamapRecords.pack((int) EPOCH_N.with(EPOCHS.with(c, e), 0), 0);
            means[i] = (float) m;
            m2s[i] = (float) Math.max(0, s2);
            if (correct) {
                records.tallyForWrite()[i] += 1;
            }
        }
        atMerge = records.snapshot();
    }

    /** The finished epochs' statistics, as they are now. */
    public DatamapTable table() {
        return DatamapTable.of(records.toColumns().snapshot(), score, correctAbove);
    }

    @Override
    public JsonNode saveState() {
        return state(records.toColumns());
    }

    /** O(1): the records are shared until the next write; the supplier lays them out as columns. */
    @Override
    public Supplier<JsonNode> snapshot() {
        DatamapRecords now = records.snapshot();
        return () -> state(now.toColumns());
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
        requireLayout(c, n);
        records = DatamapRecords.fromColumns(c);
        lastSummary = null;
        atMerge = records.snapshot();
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
            // the key corpus: the training corpus's utterances, then those of a second corpus the
            // sampler draws targets from (a curriculum's real_corpus), so that every target is mapped
            return TseDatamap.of(ctx.keyCorpus(), score, above);
        }
    }
}
