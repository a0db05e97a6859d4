package io.speechsampler.djl.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.api.random.RandomStreams;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * {@link MixItLoss} is exact: for M from 2 to 8 it equals, per sample, a brute-force minimum in
 * double precision over every one of the 2^M assignments of the M estimates to the two reference
 * mixtures, written out from the formula (Wisdom et al. 2020; METHODS.md). Estimates are a noisy
 * split of the references with random extra outputs, so assignments differ by whole decibels.
 * Deterministic given the seed: designed false-failure rate 0.
 */
class MixItLossProperties {

    private static final int T = 64;
    private static final int BATCH = 3;

    @Property(tries = 28)
    void theLossIsTheMinimumOverAllAssignments(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int m) {
        UniformRandomProvider rng = RandomStreams.of(seed, "mixit-brute-force", m);
        float[] est = new float[BATCH * m * T];
        float[] refs = new float[BATCH * 2 * T];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < T; t++) {
                refs[(b * 2) * T + t] = (float) gaussian(rng);
                refs[(b * 2 + 1) * T + t] = (float) (0.5 * gaussian(rng));
            }
            for (int j = 0; j < m; j++) {
                int target = rng.nextInt(3); // 0, 1: a part of that mixture; 2: noise only
                double share = rng.nextDouble();
                for (int t = 0; t < T; t++) {
                    double signal = target == 2 ? 0 : share * refs[(b * 2 + target) * T + t];
                    est[(b * m + j) * T + t] = (float) (signal + 0.3 * gaussian(rng));
                }
            }
        }
        float[] got;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray e = manager.create(est, new Shape(BATCH, m, T));
            NDArray x = manager.create(refs, new Shape(BATCH, 2, T));
            got = MixItLoss.of(m).compute(e, x).toFloatArray();
        }
        for (int b = 0; b < BATCH; b++) {
            double expected = bruteForce(est, refs, b, m);
            assertEquals(expected, got[b], 1e-3 * Math.max(1, Math.abs(expected)), "sample " + b + ", M = " + m);
        }
    }

    /** min over A in {0,1}^M of 1/2 sum_i -10 log10(|x_i|^2 / (|x_i - (A s)_i|^2 + tau |x_i|^2)). */
    private static double bruteForce(float[] est, float[] refs, int b, int m) {
        double best = Double.POSITIVE_INFINITY;
        for (int a = 0; a < (1 << m); a++) {
            double loss = 0;
            for (int i = 0; i < 2; i++) {
                double xx = 0;
                double err = 0;
                for (int t = 0; t < T; t++) {
                    double remix = 0;
                    for (int j = 0; j < m; j++) {
                        if (((a >> j) & 1) == i) {
                            remix += est[(b * m + j) * T + t];
                        }
                    }
                    double x = refs[(b * 2 + i) * T + t];
                    xx += x * x;
                    err += (x - remix) * (x - remix);
                }
                loss += -0.5 * 10 * Math.log10(xx / (err + MixItLoss.TAU * xx));
            }
            best = Math.min(best, loss);
        }
        return best;
    }

    private static double gaussian(UniformRandomProvider rng) {
        // Box-Muller from two uniform draws in (0, 1]
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Example
    void mOutsideTwoToEightIsRefused() {
        assertEquals("MixIT outputs is not in [2, 8]: 1",
                assertThrows(IllegalArgumentException.class, () -> MixItLoss.of(1)).getMessage());
        assertEquals("MixIT outputs is not in [2, 8]: 9",
                assertThrows(IllegalArgumentException.class, () -> MixItLoss.of(9)).getMessage());
    }
}
