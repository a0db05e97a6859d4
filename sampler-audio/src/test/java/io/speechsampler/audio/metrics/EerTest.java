package io.speechsampler.audio.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EerTest {

    @Test
    void handExampleWithAVerticalCrossing() {
        // Sorted: 0.1 N, 0.3 N, 0.4 T, 0.5 N, 0.8 T. (FAR, FRR): (1,0) (2/3,0) (1/3,0) (1/3,1/2):
        // the curve crosses FAR = FRR at 1/3 on the last segment.
        double[] scores = {0.8, 0.4, 0.5, 0.3, 0.1};
        boolean[] target = {true, true, false, false, false};
        assertEquals(1.0 / 3, Eer.of(scores, target), 1e-15);
    }

    @Test
    void tiedScoresInterpolateAlongTheDiagonal() {
        // (1,0) -> (1/2,0) after 0.2; the tie at 0.5 moves to (0,1/2) at once: crossing at 1/4.
        double[] scores = {0.8, 0.5, 0.5, 0.2};
        boolean[] target = {true, true, false, false};
        assertEquals(0.25, Eer.of(scores, target), 1e-15);
    }

    @Test
    void separatedInvertedAndConstantScores() {
        boolean[] target = {true, true, true, false, false};
        assertEquals(0.0, Eer.of(new double[] {0.9, 0.8, 0.7, 0.1, -0.5}, target), 0.0);
        assertEquals(1.0, Eer.of(new double[] {-0.9, -0.8, -0.7, 0.1, 0.5}, target), 0.0);
        assertEquals(0.5, Eer.of(new double[] {1, 1, 1, 1, 1}, target), 1e-15);
    }

    @Test
    void rejectsDegenerateTrialLists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eer.of(new double[] {1, 2}, new boolean[] {true, true}));
        assertTrue(e.getMessage().contains("0 non-target"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Eer.of(new double[] {1}, new boolean[] {true, false}));
        assertThrows(IllegalArgumentException.class,
                () -> Eer.of(new double[] {1, Double.NaN}, new boolean[] {true, false}));
    }

    @Test
    void cosine() {
        assertEquals(0.0, Eer.cosine(new float[] {1, 0}, new float[] {0, 1}), 0.0);
        assertEquals(1.0, Eer.cosine(new float[] {1, 2, 3}, new float[] {2, 4, 6}), 1e-15);
        assertEquals(-1.0, Eer.cosine(new float[] {1, 2, 3}, new float[] {-1, -2, -3}), 1e-15);
        assertEquals(Math.sqrt(0.5), Eer.cosine(new float[] {1, 1}, new float[] {1, 0}), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eer.cosine(new float[2], new float[3]));
        assertTrue(e.getMessage().contains("a has 2") && e.getMessage().contains("b has 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Eer.cosine(new float[2], new float[] {1, 0}));
    }
}
