package io.speechsampler.audio.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.random.RandomStreams;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** Signals come from {@link RandomStreams} keyed by jqwik's {@code seed}, so failures replay. */
class MetricsProperties {

    private static final int LENGTH = 512;

    @Property(tries = 200)
    void siSnrIsScaleInvariant(@ForAll long seed,
                               @ForAll @DoubleRange(min = -10, max = 30) double snrDb,
                               @ForAll @DoubleRange(min = -1, max = 3) double log10Scale) {
        // Scales stay >= 0.1: eps (1e-8) is added to |e|^2, so far smaller scales of a
        // high-SNR estimate genuinely move the formula's value.
        UniformRandomProvider rng = RandomStreams.of(seed, "si-snr-scale", 0);
        float[] ref = gaussian(rng, LENGTH);
        float[] est = withOrthogonalNoise(ref, gaussian(rng, LENGTH), snrDb);
        double scale = Math.pow(10, log10Scale);
        float[] scaled = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            scaled[i] = (float) (scale * est[i]);
        }
        double a = SiSnr.siSnr(est, ref);
        double b = SiSnr.siSnr(scaled, ref);
        assertEquals(a, b, 1e-6 * Math.max(1.0, Math.abs(a)));
    }

    @Property(tries = 200)
    void referencePlusOrthogonalNoiseScoresItsSnr(@ForAll long seed,
                                                  @ForAll @DoubleRange(min = -20, max = 40) double snrDb) {
        UniformRandomProvider rng = RandomStreams.of(seed, "si-snr-orthogonal", 0);
        float[] ref = gaussian(rng, LENGTH);
        float[] est = withOrthogonalNoise(ref, gaussian(rng, LENGTH), snrDb);
        assertEquals(snrDb, SiSnr.siSnr(est, ref), 0.01);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void pitIsInvariantToTheOrderOfEstimates(@ForAll long seed,
                                             @ForAll @IntRange(min = 2, max = 5) int sources) {
        UniformRandomProvider rng = RandomStreams.of(seed, "pit-order", 0);
        int length = 64;
        float[][] refs = new float[sources][];
        float[][] ests = new float[sources][];
        for (int s = 0; s < sources; s++) {
            refs[s] = gaussian(rng, length);
            ests[s] = withOrthogonalNoise(refs[s], gaussian(rng, length), -5 + 20 * rng.nextDouble());
        }
        int[] sigma = new PermutationSampler(rng, sources, sources).sample();
        float[][] shuffled = new float[sources][];
        for (int k = 0; k < sources; k++) {
            shuffled[k] = ests[sigma[k]];
        }
        Pit.SiSnrResult original = Pit.siSnr(ests, refs);
        Pit.SiSnrResult permuted = Pit.siSnr(shuffled, refs);
        // shuffled[k] = ests[sigma[k]], so reference j's estimate moves to sigma^-1(perm[j]).
        int[] inverse = new int[sources];
        for (int k = 0; k < sources; k++) {
            inverse[sigma[k]] = k;
        }
        int[] expected = new int[sources];
        for (int j = 0; j < sources; j++) {
            expected[j] = inverse[original.permutation()[j]];
        }
        assertArrayEquals(expected, permuted.permutation());
        assertEquals(original.meanSiSnr(), permuted.meanSiSnr(), 1e-12);
        assertArrayEquals(original.siSnr(), permuted.siSnr(), 1e-12);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void hungarianEqualsBruteForce(@ForAll long seed, @ForAll @IntRange(min = 4, max = 6) int n) {
        UniformRandomProvider rng = RandomStreams.of(seed, "hungarian", 0);
        double[][] loss = new double[n][n];
        for (double[] row : loss) {
            for (int j = 0; j < n; j++) {
                row[j] = 100 * rng.nextDouble() - 50;
            }
        }
        Pit.Assignment hungarian = Pit.hungarian(loss);
        Pit.Assignment brute = Pit.exhaustive(loss);
        // Continuous entries: the optimum is unique with probability 1.
        assertArrayEquals(brute.permutation(), hungarian.permutation());
        assertEquals(brute.meanLoss(), hungarian.meanLoss(), 1e-12);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void hungarianFindsTheOptimumAmongTies(@ForAll long seed, @ForAll @IntRange(min = 4, max = 6) int n) {
        UniformRandomProvider rng = RandomStreams.of(seed, "hungarian-ties", 0);
        double[][] loss = new double[n][n];
        for (double[] row : loss) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextInt(3);
            }
        }
        Pit.Assignment hungarian = Pit.hungarian(loss);
        assertEquals(Pit.exhaustive(loss).meanLoss(), hungarian.meanLoss(), 1e-12);
        assertTrue(isPermutation(hungarian.permutation()));
    }

    private static boolean isPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int v : p) {
            if (v < 0 || v >= p.length || seen[v]) {
                return false;
            }
            seen[v] = true;
        }
        return true;
    }

    private static float[] gaussian(UniformRandomProvider rng, int n) {
        ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(rng);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) normal.sample();
        }
        return x;
    }

    /**
     * {@code ref} plus noise made exactly orthogonal to the zero-mean reference (Gram-Schmidt)
     * and scaled to {@code snrDb} below it.
     */
    static float[] withOrthogonalNoise(float[] ref, float[] rawNoise, double snrDb) {
        double[] r = centred(ref);
        double[] n = centred(rawNoise);
        double nr = 0;
        double rr = 0;
        for (int i = 0; i < r.length; i++) {
            nr += n[i] * r[i];
            rr += r[i] * r[i];
        }
        double nn = 0;
        for (int i = 0; i < r.length; i++) {
            n[i] -= nr / rr * r[i];
            nn += n[i] * n[i];
        }
        double gain = Math.sqrt(rr / Math.pow(10, snrDb / 10) / nn);
        float[] est = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            est[i] = (float) (ref[i] + gain * n[i]);
        }
        return est;
    }

    private static double[] centred(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i] - mean;
        }
        return c;
    }
}
