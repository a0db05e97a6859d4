package io.speechsampler.audio.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PitTest {

    // Unique optimum: estimate 1 -> reference 0 (2), estimate 0 -> reference 1 (1),
    // estimate 2 -> reference 2 (2); total 5. The identity costs 6.
    private static final double[][] LOSS3 = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};

    @Test
    void exhaustiveAndHungarianSolveAHandExample() {
        for (Pit.Assignment a : new Pit.Assignment[] {Pit.best(LOSS3), Pit.hungarian(LOSS3), Pit.exhaustive(LOSS3)}) {
            assertArrayEquals(new int[] {1, 0, 2}, a.permutation());
            assertEquals(5.0 / 3, a.meanLoss(), 1e-15);
        }
    }

    @Test
    void hungarianSolvesAHandExampleAboveThree() {
        // Optimum (by hand): reference j takes estimate {2, 0, 3, 1}: 1 + 1 + 1 + 1 = 4.
        double[][] loss = {
            {9, 1, 9, 9},
            {9, 9, 9, 1},
            {1, 9, 2, 9},
            {9, 9, 1, 3},
        };
        Pit.Assignment a = Pit.best(loss);
        assertArrayEquals(new int[] {2, 0, 3, 1}, a.permutation());
        assertEquals(1.0, a.meanLoss(), 1e-15);
    }

    @Test
    void siSnrPitUndoesASwap() {
        float[] s0 = {1, -1, 1, -1, 1, -1};
        float[] s1 = {1, 1, -1, -1, 0, 0};
        float[] noisy0 = {1.1f, -0.9f, 1, -1, 1, -1.1f};
        float[] noisy1 = {1, 1.1f, -1, -0.9f, 0, 0.1f};
        Pit.SiSnrResult r = Pit.siSnr(new float[][] {noisy1, noisy0}, new float[][] {s0, s1});
        assertArrayEquals(new int[] {1, 0}, r.permutation());
        assertEquals(SiSnr.siSnr(noisy0, s0), r.siSnr()[0], 1e-12);
        assertEquals(SiSnr.siSnr(noisy1, s1), r.siSnr()[1], 1e-12);
        assertEquals((r.siSnr()[0] + r.siSnr()[1]) / 2, r.meanSiSnr(), 1e-12);
    }

    @Test
    void rejectsBadMatrices() {
        assertThrows(IllegalArgumentException.class, () -> Pit.best(new double[0][0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pit.best(new double[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("row 1 has 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Pit.best(new double[][] {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, Double.NaN}}));
        assertThrows(IllegalArgumentException.class,
                () -> Pit.siSnr(new float[2][4], new float[3][4]));
    }

    @Test
    void recordsAreDefensivelyCopied() {
        int[] perm = {0, 1};
        Pit.Assignment a = new Pit.Assignment(perm, 0);
        perm[0] = 7;
        a.permutation()[1] = 9;
        assertArrayEquals(new int[] {0, 1}, a.permutation());
    }
}
