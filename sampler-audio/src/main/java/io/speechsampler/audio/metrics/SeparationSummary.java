package io.speechsampler.audio.metrics;

/**
 * Test-set summary of a separation model, the numbers the hard-sample-mining paper reports:
 * mean SI-SNR improvement and the hard sample rates HSR5 and HSR10 (see {@link Hsr}).
 *
 * @param mixtures number of test mixtures, at least 1
 * @param meanSiSnrImprovement mean SI-SNRi in dB
 * @param hsr5 percentage of mixtures with SI-SNRi below 5 dB
 * @param hsr10 percentage of mixtures with SI-SNRi below 10 dB
 */
public record SeparationSummary(int mixtures, double meanSiSnrImprovement, double hsr5, double hsr10) {

    public SeparationSummary {
        if (mixtures < 1) {
            throw new IllegalArgumentException("mixtures must be at least 1: " + mixtures);
        }
        checkPercent("hsr5", hsr5);
        checkPercent("hsr10", hsr10);
        if (hsr5 > hsr10) {
            throw new IllegalArgumentException("hsr5 must not exceed hsr10: " + hsr5 + " > " + hsr10);
        }
    }

    /**
     * Summarises per-mixture SI-SNR improvements in dB.
     *
     * @throws IllegalArgumentException if the array is empty or holds a NaN
     */
    public static SeparationSummary of(double[] siSnrImprovements) {
        Hsr.checkValues(siSnrImprovements);
        double sum = 0;
        for (double v : siSnrImprovements) {
            sum += v;
        }
        return new SeparationSummary(siSnrImprovements.length, sum / siSnrImprovements.length,
                Hsr.percentBelow(siSnrImprovements, 5.0), Hsr.percentBelow(siSnrImprovements, 10.0));
    }

    private static void checkPercent(String name, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " is not in [0, 100]: " + value);
        }
    }
}
