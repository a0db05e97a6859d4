package io.speechsampler.djl.train;

import java.util.Objects;

/**
 * Audio of one batch, as a {@link BatchRenderer} makes it: all rows of an array have one length.
 * A batch of {@code B} draws has {@code B} rows, except a batch of {@code B} two-view draws
 * ({@link #twoViews}), which has {@code 2B}: rows {@code 0..B-1} are the draws' first views, rows
 * {@code B..2B-1} their second views, in draw order ({@link #views()} is 2).
 *
 * @param mixture   [B * views][T] model input: the mixture, or the waveform crop for classification
 *                  and contrastive training
 * @param sources   [B][S][T] references (separation: the sources; extraction: the target as
 *                  S=1; MixIT: the two reference mixtures as S=2), or null for classification
 * @param enrolment [B][Te] enrolment utterances for extraction, else null
 * @param views     rows per draw: 1, or 2 for two-view draws
 */
public record RenderedBatch(float[][] mixture, float[][][] sources, float[][] enrolment, int views) {

    /** One row per draw. */
    public RenderedBatch(float[][] mixture, float[][][] sources, float[][] enrolment) {
        this(mixture, sources, enrolment, 1);
    }

    public RenderedBatch {
        Objects.requireNonNull(mixture, "mixture");
        if (mixture.length == 0) {
            throw new IllegalArgumentException("a rendered batch needs at least one row");
        }
        if (views < 1 || mixture.length % views != 0) {
            throw new IllegalArgumentException("a rendered batch of " + mixture.length + " rows cannot hold " + views
                    + " views per draw");
        }
        if (views > 1 && (sources != null || enrolment != null)) {
            throw new IllegalArgumentException("a batch of several views per draw has no sources or enrolment");
        }
        int t = mixture[0].length;
        for (float[] row : mixture) {
            if (row.length != t) {
                throw new IllegalArgumentException("mixture rows differ in length: " + t + " and " + row.length);
            }
        }
        if (sources != null) {
            if (sources.length != mixture.length) {
                throw new IllegalArgumentException("sources has " + sources.length + " rows, mixture "
                        + mixture.length);
            }
            for (float[][] s : sources) {
                // a row may be null: a mixture without references, whose targets come from a teacher
                for (float[] row : s == null ? new float[0][] : s) {
                    if (row.length != t) {
                        throw new IllegalArgumentException("source length " + row.length + " is not the mixture length "
                                + t);
                    }
                }
            }
        }
        if (enrolment != null && enrolment.length != mixture.length) {
            throw new IllegalArgumentException("enrolment has " + enrolment.length + " rows, mixture " + mixture.length);
        }
    }

    /** Mixtures and their sources. */
    public static RenderedBatch separation(float[][] mixture, float[][][] sources) {
        return new RenderedBatch(mixture, Objects.requireNonNull(sources, "sources"), null);
    }

    /** Mixtures, targets [B][T] and enrolments. */
    public static RenderedBatch extraction(float[][] mixture, float[][] target, float[][] enrolment) {
        float[][][] s = new float[target.length][][];
        for (int i = 0; i < target.length; i++) {
            s[i] = new float[][] {target[i]};
        }
        return new RenderedBatch(mixture, s, Objects.requireNonNull(enrolment, "enrolment"));
    }

    /** Waveform crops for classification. */
    public static RenderedBatch waveforms(float[][] crops) {
        return new RenderedBatch(crops, null, null);
    }

    /**
     * Two views per draw: {@code first[i]} and {@code second[i]} are draw {@code i}'s; the rows are
     * all first views, then all second views.
     */
    public static RenderedBatch twoViews(float[][] first, float[][] second) {
        if (first.length != second.length) {
            throw new IllegalArgumentException("first views " + first.length + " and second views " + second.length
                    + " differ in number");
        }
        float[][] rows = new float[first.length * 2][];
        System.arraycopy(first, 0, rows, 0, first.length);
        System.arraycopy(second, 0, rows, first.length, second.length);
        return new RenderedBatch(rows, null, null, 2);
    }

    /** Rows: the number of draws times {@link #views()}. */
    public int size() {
        return mixture.length;
    }

    /** The number of draws the rows were rendered from. */
    public int draws() {
        return mixture.length / views;
    }

    public int length() {
        return mixture[0].length;
    }
}
