package io.speechsampler.djl.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.speechsampler.djl.TestSupport;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    static {
        TestSupport.offline();
    }

    @Test
    void aScalarTakesTheOperandsTypeDeviceAndManager() {
        try (NDManager m = NDManager.newBaseManager(); NDManager batch = m.newSubManager()) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64, DataType.INT32}) {
                NDArray x = batch.zeros(new Shape(2, 3), type);
                NDArray s = Scalars.of(x, 3f);
                assertEquals(new Shape(), s.getShape());
                assertEquals(type, s.getDataType());
                assertEquals(x.getDevice(), s.getDevice());
                assertSame(batch, s.getManager());
                assertEquals(3.0, s.toType(DataType.FLOAT64, false).getDouble());
            }
        }
    }

    @Test
    void everyOpGivesTheValuesOfTheJavaNumberOverload() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-2.5f, -1e-9f, 0f, 0.3f, 1f, 7f, Float.NaN});
            assertSameValues(x.add(1e-8f), Scalars.add(x, 1e-8f));
            assertSameValues(x.sub(0.4f), Scalars.sub(x, 0.4f));
            assertSameValues(x.mul(10f), Scalars.mul(x, 10f));
            assertSameValues(x.div(3f), Scalars.div(x, 3f));
            assertSameValues(x.pow(2f), Scalars.pow(x, 2f));
            assertSameValues(x.maximum(0f), Scalars.maximum(x, 0f));
            assertSameValues(x.minimum(0f), Scalars.minimum(x, 0f));
            assertSameValues(x.gt(0.3f), Scalars.gt(x, 0.3f));
            assertSameValues(x.lt(0.3f), Scalars.lt(x, 0.3f));
            assertSameValues(x.clip(1e-7f, 1f), Scalars.clip(x, 1e-7f, 1f));
        }
    }

    @Test
    void clipHasTheGradientOfClipWithTheBoundsIncluded() {
        float[] values = {-2f, 1e-7f, 0.5f, 1f, 3f};
        assertArrayEquals(gradient(values, x -> x.clip(1e-7f, 1f)), gradient(values, x -> Scalars.clip(x, 1e-7f, 1f)));
        assertArrayEquals(new float[] {0, 1, 1, 1, 0}, gradient(values, x -> Scalars.clip(x, 1e-7f, 1f)));
    }

    private static float[] gradient(float[] values, Function<NDArray, NDArray> f) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(values);
            x.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(f.apply(x).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    private static void assertSameValues(NDArray expected, NDArray actual) {
        assertEquals(expected.getDataType(), actual.getDataType());
        assertEquals(expected.getShape(), actual.getShape());
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }
}
