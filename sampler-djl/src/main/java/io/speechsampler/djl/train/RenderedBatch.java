package io.speechsampler.djl.train;

import java.util.Objects;

/**
 * Audio of one batch, as a {@link BatchRenderer} makes it: all rows of an array have one length.
 *
 * @param mixture   [B][T] model input: the mixture, or the waveform crop for classification
 * @param sources   [B][S][T] references (separation: the sources; extraction: the target as
 *                  S=1; MixIT: the two reference mixtures as S=2), or null for classification
 * @param enrolment [B][Te] enrolment utterances for extraction, else null
 */
public record RenderedBatch(float[][] mixture, float[][][] sources, float[][] enrolment) {

    public RenderedBatch {
        Objects.requireNonNull(mixture, "mixture");
        if (mixture.length == 0) {
            throw new IllegalArgumentException("a rendered batch needs at least one row");
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
                for (float[] row : s) {
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

    public int size() {
        return mixture.length;
    }

    public int length() {
        return mixture[0].length;
    }
}
