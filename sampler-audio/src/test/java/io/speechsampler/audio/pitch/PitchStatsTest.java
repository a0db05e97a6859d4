package io.speechsampler.audio.pitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PitchStatsTest {

    @Test
    void medianOverVoicedFrames() {
        PitchStats even = PitchStats.of(new double[] {Double.NaN, 400, 100, Double.NaN, 300, 200});
        assertEquals(250, even.medianF0Hz(), 0.0);
        assertEquals(4.0 / 6, even.voicedFraction(), 1e-15);
        PitchStats odd = PitchStats.of(new double[] {120, Double.NaN, 110, 130});
        assertEquals(120, odd.medianF0Hz(), 0.0);
        assertEquals(0.75, odd.voicedFraction(), 0.0);
    }

    @Test
    void noVoicedFrameGivesNaN() {
        PitchStats none = PitchStats.of(new double[] {Double.NaN, Double.NaN});
        assertTrue(Double.isNaN(none.medianF0Hz()));
        assertEquals(0.0, none.voicedFraction(), 0.0);
    }

    @Test
    void rejectsInconsistentValues() {
        assertThrows(IllegalArgumentException.class, () -> PitchStats.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new PitchStats(100, 0));
        assertThrows(IllegalArgumentException.class, () -> new PitchStats(Double.NaN, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new PitchStats(100, 1.5));
    }
}
