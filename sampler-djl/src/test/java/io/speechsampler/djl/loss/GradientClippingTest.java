package io.speechsampler.djl.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import ai.djl.util.PairList;
import io.speechsampler.djl.TestSupport;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    static {
        TestSupport.offline();
    }

    private static Parameter parameter(NDManager m, float[] values) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                .build();
        p.setArray(m.create(values));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    @Test
    void clipsToTheGlobalNormAndReturnsTheNormBefore() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, new float[] {1, 1});
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.getArray().mul(m.create(new float[] {3, 4})).sum());
            }
            PairList<String, Parameter> params = new PairList<>();
            params.add("w", p);
            double norm = GradientClipping.clipGlobalNorm(params, 1.0, m);
            assertEquals(5.0, norm, 1e-5);
            assertArrayEquals(new float[] {0.6f, 0.8f}, p.getArray().getGradient().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void hugeButFiniteGradientsAreClippedNotTreatedAsOverflow() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, new float[] {1, 1, 1, 1});
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(p.getArray().mul(3e19f).sum());
            }
            PairList<String, Parameter> params = new PairList<>();
            params.add("w", p);
            double norm = GradientClipping.clipGlobalNorm(params, 5.0, m);
            assertEquals(6e19, norm, 1e14, "a float32 sum of squares would be infinite here");
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, p.getArray().getGradient().toFloatArray(), 1e-4f);
        }
    }

    @Test
    void aNonFiniteGradientIsZeroedInPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = parameter(m, new float[] {0, 1, 2});
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                // d/dw sqrt(w) at w = 0 is infinite
                c.backward(p.getArray().sqrt().sum());
            }
            PairList<String, Parameter> params = new PairList<>();
            params.add("w", p);
            double norm = GradientClipping.clipGlobalNorm(params, 5.0, m);
            assertTrue(!Double.isFinite(norm));
            NDArray g = p.getArray().getGradient();
            assertEquals(DataType.FLOAT32, g.getDataType());
            assertArrayEquals(new float[] {0, 0, 0}, g.toFloatArray());
        }
    }
}
