package io.speechsampler.audio.pitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EnergyTest {

    @Test
    void ratioOfSumsOfSquares() {
        assertEquals(2.0, Energy.of(new float[] {1, -1}), 0.0);
        assertEquals(10 * Math.log10(2), Energy.ratioDb(new float[] {1, -1}, new float[] {1}), 1e-12);
        // Doubling the amplitude adds 10 log10(4) = 6.02 dB.
        assertEquals(-10 * Math.log10(4), Energy.ratioDb(new float[] {0.5f, 1}, new float[] {1, 2}), 1e-12);
        assertEquals(0.0, Energy.ratioDb(new float[] {3, 4}, new float[] {5}), 1e-12);
    }

    @Test
    void silentSignalsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Energy.ratioDb(new float[2], new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Energy.ratioDb(new float[] {1}, new float[0]));
    }
}
