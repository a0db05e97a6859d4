package io.speechsampler.audio.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class OverSeparationTest {

    private static float[] noise(ZigguratSampler.NormalizedGaussian g, int t) {
        float[] x = new float[t];
        for (int k = 0; k < t; k++) {
            x[k] = (float) g.sample();
        }
        return x;
    }

    private static ZigguratSampler.NormalizedGaussian gaussian(long seed) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        return ZigguratSampler.NormalizedGaussian.of(rng);
    }

    private static float[] sum(float[] a, float[] b) {
        float[] x = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            x[k] = a[k] + b[k];
        }
        return x;
    }

    private static float[] scaled(float[] a, float g) {
        float[] x = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            x[k] = g * a[k];
        }
        return x;
    }

    private static double baseline(float[] mix, float[][] refs) {
        return (SiSnr.siSnr(mix, refs[0]) + SiSnr.siSnr(mix, refs[1])) / 2;
    }

    @Test
    void twoOutputsHoldTheSourcesAndTwoAreSilent() {
        ZigguratSampler.NormalizedGaussian rng = gaussian(1);
        float[] a = noise(rng, 4000);
        float[] b = noise(rng, 4000);
        float[] mix = sum(a, b);
        float[][] refs = {a, b};
        float[][] outputs = {new float[4000], b, new float[4000], a};
        OverSeparation o = OverSeparation.of(mix, refs, outputs, OverSeparation.DEFAULT_SHARE);
        double perfect = (SiSnr.siSnr(a, a) + SiSnr.siSnr(b, b)) / 2 - baseline(mix, refs);
        assertEquals(perfect, o.bestSingleSiSnri(), 1e-9);
        assertEquals(perfect, o.mergedSiSnri(), 0.5, "silent outputs merged in change nothing");
        assertEquals(2, o.activeOutputs());
        assertFalse(o.overSeparated());
    }

    @Test
    void aSourceSplitOverTwoOutputsIsOverSeparatedAndTheMergeRecoversIt() {
        ZigguratSampler.NormalizedGaussian rng = gaussian(2);
        float[] a1 = noise(rng, 4000);
        float[] a2 = noise(rng, 4000);
        float[] a = sum(a1, a2); // source a arrives in two halves of equal energy
        float[] b = scaled(noise(rng, 4000), 1.4f);
        float[] mix = sum(a, b);
        float[][] refs = {a, b};
        float[][] outputs = {a1, b, a2, new float[4000]};
        OverSeparation o = OverSeparation.of(mix, refs, outputs, OverSeparation.DEFAULT_SHARE);
        double base = baseline(mix, refs);
        // the better half of a, and b
        double single = (Math.max(SiSnr.siSnr(a1, a), SiSnr.siSnr(a2, a)) + SiSnr.siSnr(b, b)) / 2 - base;
        assertEquals(single, o.bestSingleSiSnri(), 1e-9);
        // near-exact reconstructions (about 140 dB) differ by float rounding of the sums: 0.5 dB
        assertEquals((SiSnr.siSnr(sum(a1, a2), a) + SiSnr.siSnr(b, b)) / 2 - base, o.mergedSiSnri(), 0.5);
        assertTrue(o.mergedSiSnri() > o.bestSingleSiSnri() + 10, o.toString());
        assertEquals(3, o.activeOutputs(), "a1, a2 and b each hold more than 10% of the energy");
        assertTrue(o.overSeparated());
        // at a 40% share only b (about 50% of the energy) counts
        assertEquals(1, OverSeparation.of(mix, refs, outputs, 0.4).activeOutputs());
    }

    @Test
    void badArgumentsAreNamed() {
        float[] x = new float[10];
        assertThrows(IllegalArgumentException.class, () -> OverSeparation.of(x, new float[][] {x, x},
                new float[][] {x}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> OverSeparation.of(x, new float[][] {x},
                new float[][] {x}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> OverSeparation.of(x, new float[][] {x},
                new float[13][10], 0.1));
    }
}
