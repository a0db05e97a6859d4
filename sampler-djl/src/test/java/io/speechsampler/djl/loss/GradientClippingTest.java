package io.speechsampler.djl.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import io.speechsampler.djl.TestSupport;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    static {
        TestSupport.offline();
    }

    /** Gradient of sum(w * k) is k everywhere; returns the clipped gradient and the reported norm. */
    private static double clip(NDManager m, float k, float[] out) {
        Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        NDArray array = m.create(new float[] {1, 2, 3, 4});
        array.setRequiresGradient(true);
        w.setArray(array);
        PairList<String, Parameter> params = new PairList<>();
        params.add("w", w);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(array.mul(k).sum());
        }
        double norm = GradientClipping.clipGlobalNorm(params, 5.0, m);
        float[] g = array.getGradient().toFloatArray();
        System.arraycopy(g, 0, out, 0, g.length);
        return norm;
    }

    @Test
    void scalesAGradientAboveTheLimitToIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] g = new float[4];
            double norm = clip(m, 3f, g);
            assertEquals(6.0, norm, 1e-6, "sqrt(4 x 3^2)");
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, g, 1e-5f);
        }
    }

    @Test
    void zeroesAGradientWhoseNormOverflows() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] g = new float[4];
            double norm = clip(m, 1e30f, g);
            assertTrue(Double.isInfinite(norm), "squares of 1e30 overflow float: " + norm);
            assertArrayEquals(new float[4], g, "zeroed, so that skipping the update leaves no trace");
        }
    }

    @Test
    void zeroesAnInfiniteGradientInsteadOfMakingItNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] g = new float[4];
            double norm = clip(m, Float.POSITIVE_INFINITY, g);
            assertTrue(Double.isInfinite(norm), "norm " + norm);
            assertArrayEquals(new float[4], g, "scaling inf by maxNorm / inf would give NaN");
        }
    }
}
