package io.speechsampler.run.experiment;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * A mean over seeds with its two-sided 95% Student-t interval: {@code mean +- t(0.975, n - 1) *
 * sd / sqrt(n)}. With one value the interval is unbounded (NaN half-width): one seed resolves
 * nothing.
 *
 * @param n         values
 * @param mean      their mean
 * @param sd        sample standard deviation (n - 1)
 * @param halfWidth the interval's half-width, NaN for n < 2
 */
public record SeedStatistics(int n, double mean, double sd, double halfWidth) {

    public static SeedStatistics of(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new SeedStatistics(1, mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = TDistribution.of(n - 1).inverseCumulativeProbability(0.975);
        return new SeedStatistics(n, mean, sd, t * sd / Math.sqrt(n));
    }

    public double low() {
        return mean - halfWidth;
    }

    public double high() {
        return mean + halfWidth;
    }

    /** True when the interval excludes 0 (for a paired difference: the systems differ at 95%). */
    public boolean excludesZero() {
        return n >= 2 && (low() > 0 || high() < 0);
    }
}
