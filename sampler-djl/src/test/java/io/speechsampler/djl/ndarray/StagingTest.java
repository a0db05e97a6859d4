package io.speechsampler.djl.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.djl.TestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StagingTest {

    static {
        TestSupport.offline();
    }

    @Test
    void aStagedTensorHoldsTheValuesInTheManagerAsked() {
        try (NDManager m = NDManager.newBaseManager(); NDManager batch = m.newSubManager()) {
            NDArray a = Staging.matrix(batch, new float[][] {{1, 2, 3}, {4, 5, 6}});
            assertEquals(new Shape(2, 3), a.getShape());
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertSame(batch, a.getManager());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloatArray());
            NDArray c = Staging.cube(batch, new float[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}, {{9, 10}, {11, 12}}});
            assertEquals(new Shape(3, 2, 2), c.getShape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, c.toFloatArray());
            NDArray v = Staging.of(batch, new float[] {0, -1e9f, 2.5f, 7}, new Shape(2, 2));
            assertArrayEquals(new float[] {0, -1e9f, 2.5f, 7}, v.toFloatArray());
        }
    }

    @Test
    void laterTensorsLeaveEarlierOnesAlone() {
        // the staging buffer is reused: a tensor must not alias it, or the next call would overwrite it
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDArray> made = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                float[][] rows = new float[3][1000 * (k + 1)];
                for (float[] r : rows) {
                    java.util.Arrays.fill(r, k);
                }
                made.add(Staging.matrix(m, rows));
            }
            for (int k = 0; k < 5; k++) {
                float[] values = made.get(k).toFloatArray();
                assertEquals(3 * 1000 * (k + 1), values.length);
                for (float x : values) {
                    assertEquals(k, x, "tensor " + k + " changed after later ones were staged");
                }
            }
        }
    }

    @Test
    void threadsStageIndependently() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                float value = t;
                futures.add(CompletableFuture.supplyAsync(() -> {
                    float[] last = null;
                    for (int i = 0; i < 50; i++) {
                        float[][] rows = new float[2][4096];
                        for (float[] r : rows) {
                            java.util.Arrays.fill(r, value);
                        }
                        try (NDManager sub = m.newSubManager()) {
                            last = Staging.matrix(sub, rows).toFloatArray();
                        }
                    }
                    return last;
                }));
            }
            for (int t = 0; t < 4; t++) {
                for (float x : futures.get(t).get()) {
                    assertEquals(t, x);
                }
            }
        }
    }

    @Test
    void raggedRowsAndShortValuesAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Staging.matrix(m, new float[][] {{1, 2}, {3}}));
            assertTrue(e.getMessage().contains("row 1 has 1 values, row 0 has 2"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Staging.cube(m, new float[][][] {{{1, 2}}, {{3, 4}, {5, 6}}}));
            assertTrue(e.getMessage().contains("row 1 has 2 sources, row 0 has 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Staging.cube(m, new float[][][] {{{1, 2}}, {{3}}}));
            assertTrue(e.getMessage().contains("row 1, source 0 has 1 values"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Staging.of(m, new float[3], new Shape(2, 2)));
            assertTrue(e.getMessage().contains("3 values do not fill shape (2, 2)"), e.getMessage());
        }
    }
}
