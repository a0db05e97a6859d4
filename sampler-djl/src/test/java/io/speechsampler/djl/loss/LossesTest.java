package io.speechsampler.djl.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.djl.TestSupport;
import org.junit.jupiter.api.Test;

class LossesTest {

    static {
        TestSupport.offline();
    }

    /** The metrics module's SI-SNR (METHODS.md's formula), which the per-sample loss must equal. */
    static double reference(float[] est, float[] ref) {
        return io.speechsampler.audio.metrics.SiSnr.siSnr(est, ref);
    }

    static float[][] signals(int rows, int len, double noise) {
        float[][] out = new float[rows][len];
        for (int i = 0; i < rows; i++) {
            float[] base = TestSupport.audio(String.format("s%02d-u%02d", i, 0), len);
            float[] other = TestSupport.audio(String.format("s%02d-u%02d", i + 1, 1), len);
            for (int t = 0; t < len; t++) {
                out[i][t] = (float) (base[t] + noise * (i + 1) * other[t]);
            }
        }
        return out;
    }

    @Test
    void perSampleSiSnrEqualsTheMetricsModuleWithin1e3Db() {
        int len = 4000;
        float[][] ref = signals(4, len, 0);
        float[][] est = signals(4, len, 0.3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(flat(est), new Shape(4, len));
            NDArray r = m.create(flat(ref), new Shape(4, len));
            float[] got = SiSnr.of(e, r).toFloatArray();
            for (int i = 0; i < 4; i++) {
                double want = reference(est[i], ref[i]);
                assertEquals(want, got[i], 1e-3, "sample " + i);
                assertEquals(want, SiSnr.of(est[i], ref[i]), 1e-6, "plain sample " + i);
            }
        }
    }

    @Test
    void silentReferenceGivesMinus80Db() {
        float[] est = TestSupport.audio("s00-u00", 1000);
        assertEquals(-80, reference(est, new float[1000]), 1e-6);
        try (NDManager m = NDManager.newBaseManager()) {
            float got = SiSnr.of(m.create(est), m.zeros(new Shape(1000))).getFloat();
            assertEquals(-80, got, 1e-3);
        }
    }

    @Test
    void pitFindsTheSwappedAndRotatedPermutations() {
        int len = 2000;
        float[] a = TestSupport.audio("s00-u00", len);
        float[] b = TestSupport.audio("s01-u00", len);
        float[] c = TestSupport.audio("s02-u03", len);
        try (NDManager m = NDManager.newBaseManager()) {
            PitSiSnrLoss two = PitSiSnrLoss.of(2);
            NDArray ref = m.create(flat(new float[][] {a, b}), new Shape(1, 2, len));
            NDArray est = m.create(flat(new float[][] {b, a}), new Shape(1, 2, len));
            PitSiSnrLoss.Result r = two.compute(est, ref);
            assertArrayEquals(new int[] {1, 0}, two.permutations()[r.best()[0]]);
            assertTrue(r.loss().getFloat() < -60, "perfect estimates give a very negative loss");

            PitSiSnrLoss three = PitSiSnrLoss.of(3);
            NDArray ref3 = m.create(flat(new float[][] {a, b, c}), new Shape(1, 3, len));
            NDArray est3 = m.create(flat(new float[][] {c, a, b}), new Shape(1, 3, len));
            PitSiSnrLoss.Result r3 = three.compute(est3, ref3);
            // estimate 1 is reference 0, estimate 2 is reference 1, estimate 0 is reference 2
            assertArrayEquals(new int[] {1, 2, 0}, three.permutations()[r3.best()[0]]);
            assertEquals(6, three.permutations().length);
        }
    }

    @Test
    void mixitPicksTheRightAssignmentAndIsFlooredByTau() {
        int len = 2000;
        float[] a = TestSupport.audio("s00-u00", len);
        float[] b = TestSupport.audio("s01-u00", len);
        float[] c = TestSupport.audio("s02-u00", len);
        float[] d = TestSupport.audio("s03-u00", len);
        float[] x1 = new float[len];
        float[] x2 = new float[len];
        for (int t = 0; t < len; t++) {
            x1[t] = a[t] + c[t];
            x2[t] = b[t] + d[t];
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray est = m.create(flat(new float[][] {a, b, c, d}), new Shape(1, 4, len));
            NDArray mixes = m.create(flat(new float[][] {x1, x2}), new Shape(1, 2, len));
            float loss = MixItLoss.of(4).compute(est, mixes).getFloat();
            // exact estimates: error 0, so the thresholded SNR is 10 log10(1/tau) = 30 dB per mixture
            assertEquals(-30, loss, 1e-2);
        }
    }

    static float[] flat(float[][] rows) {
        int t = rows[0].length;
        float[] f = new float[rows.length * t];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, f, i * t, t);
        }
        return f;
    }
}
