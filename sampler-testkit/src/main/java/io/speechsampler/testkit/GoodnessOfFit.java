package io.speechsampler.testkit;

import java.util.Arrays;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Chi-square goodness-of-fit assertions (Pearson's test, Apache Commons Statistics
 * {@link ChiSquareTest} with no degrees-of-freedom adjustment) at significance level
 * {@value #ALPHA}.
 *
 * <p><b>Designed false-failure rate.</b> Each call to {@link #assertFits} or
 * {@link #assertUniform} rejects a correct sampler with probability {@value #ALPHA} (the test's
 * size, up to the chi-square approximation, which the {@value #MIN_EXPECTED_COUNT} minimum
 * expected count per bin keeps accurate). A suite making {@code a} such assertions per try over
 * {@code t} tries therefore fails a correct sampler with probability at most
 * {@code a * t * 0.001}; write that number in the test class comment.
 *
 * <p>Bins of zero probability are left out of the test and asserted to hold exactly zero draws.
 */
public final class GoodnessOfFit {

    /** Significance level of every assertion. */
    public static final double ALPHA = 0.001;

    /** Smallest expected count per bin for which the chi-square approximation is trusted. */
    public static final double MIN_EXPECTED_COUNT = 5;

    private GoodnessOfFit() {
    }

    /**
     * The chi-square test of {@code observed} against probabilities proportional to
     * {@code weights} over the bins of positive weight.
     *
     * @throws IllegalArgumentException when the lengths differ, a weight is negative or not
     *                                  finite, fewer than two bins have positive weight, or an
     *                                  expected count is below {@value #MIN_EXPECTED_COUNT} (the
     *                                  design needs more draws)
     */
    public static SignificanceResult test(double[] weights, long[] observed) {
        if (weights.length != observed.length) {
            throw new IllegalArgumentException("weights and observed differ in length: " + weights.length + " and "
                    + observed.length);
        }
        double total = 0;
        int positive = 0;
        for (double w : weights) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("weight is not finite and >= 0: " + w);
            }
            total += w;
            positive += w > 0 ? 1 : 0;
        }
        if (positive < 2) {
            throw new IllegalArgumentException("a goodness-of-fit test needs at least 2 bins of positive weight, got "
                    + positive);
        }
        long draws = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                draws += observed[i];
            }
        }
        double[] expected = new double[positive];
        long[] counts = new long[positive];
        int k = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                expected[k] = draws * weights[i] / total;
                if (expected[k] < MIN_EXPECTED_COUNT) {
                    throw new IllegalArgumentException("expected count of bin " + i + " is below "
                            + MIN_EXPECTED_COUNT + ": " + expected[k] + "; the test needs more draws");
                }
                counts[k] = observed[i];
                k++;
            }
        }
        return ChiSquareTest.withDefaults().withDegreesOfFreedomAdjustment(0).test(expected, counts);
    }

    /**
     * Asserts that {@code observed} fits probabilities proportional to {@code weights}: bins of
     * zero weight hold exactly zero draws and the others pass the chi-square test at
     * {@value #ALPHA}.
     *
     * @param what names the distribution in the failure message
     * @throws AssertionError when the counts do not fit
     */
    public static void assertFits(String what, double[] weights, long[] observed) {
        for (int i = 0; i < weights.length && i < observed.length; i++) {
            if (weights[i] == 0 && observed[i] != 0) {
                throw new AssertionError(what + ": bin " + i + " has weight 0 but " + observed[i] + " draws");
            }
        }
        SignificanceResult r = test(weights, observed);
        if (r.reject(ALPHA)) {
            throw new AssertionError(what + ": chi-square " + r.getStatistic() + ", p-value " + r.getPValue()
                    + " < alpha " + ALPHA + "; weights " + Arrays.toString(weights) + ", observed "
                    + Arrays.toString(observed));
        }
    }

    /** Asserts that {@code observed} fits the uniform distribution over its bins; see {@link #assertFits}. */
    public static void assertUniform(String what, long[] observed) {
        double[] w = new double[observed.length];
        Arrays.fill(w, 1.0);
        assertFits(what, w, observed);
    }
}
