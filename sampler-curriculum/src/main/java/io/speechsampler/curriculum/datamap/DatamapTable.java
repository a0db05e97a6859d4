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
    private final int epochs;
    private final int mean;
    private final int m2;
    private final int correct;

    private DatamapTable(SampleColumns columns, DatamapScore score, double correctAbove) {
        this.columns = columns;
        this.score = score;
        this.correctAbove = correctAbove;
        this.epochs = columns.column(TseDatamap.EPOCHS);
        this.mean = columns.column(TseDatamap.MEAN);
        this.m2 = columns.column(TseDatamap.M2);
        this.correct = columns.column(TseDatamap.CORRECT);
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
        return columns.getInt(epochs, sample);
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
        return columns.getInt(correct, sample);
    }
}
