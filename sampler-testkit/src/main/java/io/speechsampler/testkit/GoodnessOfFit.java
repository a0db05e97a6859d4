package io.speechsampler.testkit;

import java.util.Arrays;
import java.util.function.IntFunction;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Chi-square goodness-of-fit assertions (Pearson's test, Apache Commons Statistics
 * {@link ChiSquareTest} with no degrees-of-freedom adjustment) at significance level
 * {@value #ALPHA}.
 *
 * <p><b>Designed false-failure rate.</b> A single test rejects a correct sampler with
 * probability {@value #ALPHA} (the test's size, up to the chi-square approximation, which the
 * {@value #MIN_EXPECTED_COUNT} minimum expected count per bin keeps accurate). The assertions
 * taking a {@code sample} function are <em>confirmed</em>: sample 0 is tested, and only when it
 * is rejected is an independent sample 1 drawn and tested; the assertion fails when both reject.
 * A correct sampler then fails with probability {@code ALPHA^2 = 1e-6} per assertion, while a
 * defect the test detects with power {@code p} still fails with probability {@code p^2} (a
 * visible bias is rejected both times). A suite of {@code a} confirmed assertions per try over
 * {@code t} tries fails a correct build with probability at most {@code a * t * 1e-6}; write that
 * number in the test class comment.
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

    /**
     * Confirmed {@link #assertFits}: {@code sample.apply(k)} draws independent sample {@code k}
     * (0, then 1 only when 0 is rejected); fails when both are rejected, or when a zero-weight
     * bin of a tested sample holds a draw.
     */
    public static void assertFits(String what, double[] weights, IntFunction<long[]> sample) {
        assertConfirmed(what, k -> {
            long[] observed = sample.apply(k);
            for (int i = 0; i < weights.length && i < observed.length; i++) {
                if (weights[i] == 0 && observed[i] != 0) {
                    throw new AssertionError(what + ": bin " + i + " has weight 0 but " + observed[i] + " draws");
                }
            }
            return test(weights, observed);
        });
    }

    /** Confirmed {@link #assertUniform}; see {@link #assertFits(String, double[], IntFunction)}. */
    public static void assertUniform(String what, IntFunction<long[]> sample) {
        assertConfirmed(what, k -> {
            long[] observed = sample.apply(k);
            double[] w = new double[observed.length];
            Arrays.fill(w, 1.0);
            return test(w, observed);
        });
    }

    /**
     * Any significance test, confirmed: {@code test.apply(k)} runs the test on independent
     * sample {@code k}; fails only when samples 0 and 1 are both rejected at {@value #ALPHA}.
     */
    public static void assertConfirmed(String what, IntFunction<SignificanceResult> test) {
        SignificanceResult first = test.apply(0);
        if (!first.reject(ALPHA)) {
            return;
        }
        SignificanceResult second = test.apply(1);
        if (second.reject(ALPHA)) {
            throw new AssertionError(what + ": rejected at alpha " + ALPHA + " by two independent samples (p-values "
                    + first.getPValue() + " and " + second.getPValue() + ")");
        }
    }

    /** The seed of independent sample {@code k} of a property run with {@code seed}. */
    public static long sampleSeed(long seed, int k) {
        return k == 0 ? seed : seed ^ (0x9E3779B97F4A7C15L * k);
    }
}
