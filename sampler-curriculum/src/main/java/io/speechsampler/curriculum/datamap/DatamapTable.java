package io.speechsampler.curriculum.datamap;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.state.SampleColumns;

/**
 * A datamap's per-sample statistics over the finished epochs, indexed by corpus utterance index:
 * read from a live {@link TseDatamap} or from its saved state (a checkpoint's).
 */
public final class DatamapTable {

    private final SampleColumns columns;
    private final DatamapScore score;
    private final double correctAbove;
    private final int counts;
    private final int mean;
    private final int m2;
    private final int correctDraws;
    private final int snrSum;
    private final int factorsLo;
    private final int factorsHi;

    private DatamapTable(SampleColumns columns, DatamapScore score, double correctAbove) {
        this.columns = columns;
        this.score = score;
        this.correctAbove = correctAbove;
        this.counts = columns.column(TseDatamap.COUNTS);
        this.mean = columns.column(TseDatamap.MEAN);
        this.m2 = columns.column(TseDatamap.M2);
        this.correctDraws = columns.column(TseDatamap.CORRECT_DRAWS);
        this.snrSum = columns.column(TseDatamap.SNR_SUM);
        this.factorsLo = columns.column(TseDatamap.FACTORS_LO);
        this.factorsHi = columns.column(TseDatamap.FACTORS_HI);
    }

    static DatamapTable of(SampleColumns columns, DatamapScore score, double correctAbove) {
        return new DatamapTable(columns, score, correctAbove);
    }

    /**
     * The table of a saved {@code datamap} state whose binary parts are internalised.
     *
     * @throws IllegalStateException when it is not a datamap state, or its columns are damaged
     */
    public static DatamapTable fromState(JsonNode state) {
        if (state == null || !TseDatamap.STATE_TYPE.equals(state.path("type").asText())) {
            throw new IllegalStateException("not a " + TseDatamap.STATE_TYPE + " state");
        }
        SampleColumns c = SampleColumns.fromJson(state.get("columns"), TseDatamap.STATE_TYPE + " columns");
        TseDatamap.requireLayout(c, c.size());
        return new DatamapTable(c, DatamapScore.fromState(state), state.path("correct_above").asDouble());
    }

    public int size() {
        return columns.size();
    }

    public DatamapScore score() {
        return score;
    }

    public double correctAbove() {
        return correctAbove;
    }

    /** Epochs in which the sample had at least one outcome. */
    public int epochsSeen(int sample) {
        return (int) TseDatamap.EPOCHS.of(columns.getInt(counts, sample) & 0xFFFFFFFFL);
    }

    /** Mean of the epoch scores, NaN for a sample never seen. */
    public double confidence(int sample) {
        return epochsSeen(sample) == 0 ? Double.NaN : columns.getFloat(mean, sample);
    }

    /** Population (ddof 0) standard deviation of the epoch scores, NaN for a sample never seen. */
    public double variability(int sample) {
        int e = epochsSeen(sample);
        return e == 0 ? Double.NaN : Math.sqrt(columns.getFloat(m2, sample) / e);
    }

    /** Epochs whose score was above {@link #correctAbove()}. */
    public int correct(int sample) {
        return (int) TseDatamap.CORRECT.of(columns.getInt(correctDraws, sample) & 0xFFFFFFFFL);
    }

    /** Scored draws whose mixture stated its factors (SNRs and overlap), over the whole run. */
    public int factorDraws(int sample) {
        return (int) TseDatamap.FACTOR_N.of(columns.getInt(correctDraws, sample) & 0xFFFFFFFFL);
    }

    /** Mean over the draws with factors of the mean target-to-interferer SNR in dB; NaN without any. */
    public double snrDb(int sample) {
        int n = factorDraws(sample);
        return n == 0 ? Double.NaN : columns.getInt(snrSum, sample) * TseDatamap.FACTOR_QUANTUM / n;
    }

    /** Mean speaker count (sources of the mixture) over the draws with factors; NaN without any. */
    public double speakers(int sample) {
        int n = factorDraws(sample);
        return n == 0 ? Double.NaN : (double) TseDatamap.SPEAKERS.of(word(sample)) / n;
    }

    /** Mean overlap ratio over the draws with factors; NaN without any. */
    public double overlap(int sample) {
        int n = factorDraws(sample);
        return n == 0 ? Double.NaN : TseDatamap.OVERLAP.of(word(sample)) * TseDatamap.FACTOR_QUANTUM / n;
    }

    /** Share of the draws with factors whose domain is {@code real}; NaN without any. */
    public double realShare(int sample) {
        int n = factorDraws(sample);
        return n == 0 ? Double.NaN : (double) TseDatamap.REAL.of(word(sample)) / n;
    }

    /** True when some sample was drawn with factors. */
    public boolean hasFactors() {
        for (int i = 0; i < size(); i++) {
            if (factorDraws(i) > 0) {
                return true;
            }
        }
        return false;
    }

    private long word(int sample) {
        return TseDatamap.word(columns, factorsLo, factorsHi, sample);
    }
}
