package io.speechsampler.audio.pitch;

import java.util.Arrays;

/**
 * Utterance-level pitch summary, the feature the hard-sample-mining paper compares between
 * speakers (small median-f0 difference = hard pair).
 *
 * @param medianF0Hz median f0 over voiced frames (mean of the two middle values for an even
 *     count); {@code NaN} when no frame is voiced
 * @param voicedFraction fraction of frames that are voiced, in [0, 1]
 */
public record PitchStats(double medianF0Hz, double voicedFraction) {

    public PitchStats {
        if (!(voicedFraction >= 0 && voicedFraction <= 1)) {
            throw new IllegalArgumentException("voicedFraction is not in [0, 1]: " + voicedFraction);
        }
        if (voicedFraction == 0 != Double.isNaN(medianF0Hz)) {
            throw new IllegalArgumentException("medianF0Hz must be NaN exactly when no frame is voiced: medianF0Hz "
                    + medianF0Hz + ", voicedFraction " + voicedFraction);
        }
    }

    /**
     * Summarises per-frame f0 values, {@code NaN} marking unvoiced frames.
     *
     * @throws IllegalArgumentException if there are no frames
     */
    public static PitchStats of(double[] f0Hz) {
        if (f0Hz.length == 0) {
            throw new IllegalArgumentException("f0Hz is empty: 0 frames");
        }
        double[] voiced = Arrays.stream(f0Hz).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = voiced.length;
        double median = n == 0 ? Double.NaN
                : n % 2 == 1 ? voiced[n / 2] : (voiced[n / 2 - 1] + voiced[n / 2]) / 2;
        return new PitchStats(median, (double) n / f0Hz.length);
    }
}
