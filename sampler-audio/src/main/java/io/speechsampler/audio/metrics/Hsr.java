package io.speechsampler.audio.metrics;

/**
 * Hard sample rate: the percentage of test mixtures whose SI-SNR improvement is below a
 * threshold in dB, as reported (HSR5, HSR10) for hard-sample-mining separation training on
 * WSJ0-2mix. The comparison is strict: a mixture at exactly {@code t} dB is not hard.
 */
public final class Hsr {

    private Hsr() {
    }

    /**
     * The percentage in [0, 100] of {@code siSnrImprovements} strictly below
     * {@code thresholdDb}.
     *
     * @throws IllegalArgumentException if the array is empty, holds a NaN, or the threshold is
     *     NaN
     */
    public static double percentBelow(double[] siSnrImprovements, double thresholdDb) {
        if (Double.isNaN(thresholdDb)) {
            throw new IllegalArgumentException("thresholdDb must not be NaN: NaN");
        }
        checkValues(siSnrImprovements);
        long below = 0;
        for (double v : siSnrImprovements) {
            if (v < thresholdDb) {
                below++;
            }
        }
        return 100.0 * below / siSnrImprovements.length;
    }

    static void checkValues(double[] siSnrImprovements) {
        if (siSnrImprovements.length == 0) {
            throw new IllegalArgumentException("siSnrImprovements is empty: 0 mixtures");
        }
        for (int i = 0; i < siSnrImprovements.length; i++) {
            if (Double.isNaN(siSnrImprovements[i])) {
                throw new IllegalArgumentException("siSnrImprovements must not hold NaN: index " + i);
            }
        }
    }
}
