package io.speechsampler.audio.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SeparationSummaryTest {

    private static final double[] SI_SNRI = {1, 4.9, 5, 9.99, 10, 20};

    @Test
    void hsrCountsStrictlyBelowTheThreshold() {
        assertEquals(100.0 * 2 / 6, Hsr.percentBelow(SI_SNRI, 5), 1e-12);
        assertEquals(100.0 * 4 / 6, Hsr.percentBelow(SI_SNRI, 10), 1e-12);
        assertEquals(0.0, Hsr.percentBelow(SI_SNRI, 1), 0.0);
        assertEquals(100.0, Hsr.percentBelow(SI_SNRI, 20.5), 0.0);
    }

    @Test
    void summary() {
        SeparationSummary s = SeparationSummary.of(SI_SNRI);
        assertEquals(6, s.mixtures());
        assertEquals(50.89 / 6, s.meanSiSnrImprovement(), 1e-12);
        assertEquals(100.0 / 3, s.hsr5(), 1e-12);
        assertEquals(200.0 / 3, s.hsr10(), 1e-12);
    }

    @Test
    void rejectsEmptyAndNaN() {
        assertThrows(IllegalArgumentException.class, () -> SeparationSummary.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Hsr.percentBelow(new double[] {1, Double.NaN}, 5));
        assertThrows(IllegalArgumentException.class, () -> Hsr.percentBelow(new double[] {1}, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new SeparationSummary(3, 1, 50, 40));
    }
}
