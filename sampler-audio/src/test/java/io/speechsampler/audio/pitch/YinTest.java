package io.speechsampler.audio.pitch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.random.RandomStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YinTest {

    @ParameterizedTest
    @CsvSource({"100, 8000", "150, 8000", "220, 8000", "100, 16000", "150, 16000", "220, 16000"})
    void sineWithinOnePercent(double f0, int sampleRate) {
        PitchStats stats = Yin.analyze(Signals.sine(f0, sampleRate, 1.0), sampleRate);
        assertEquals(f0, stats.medianF0Hz(), 0.01 * f0);
        assertTrue(stats.voicedFraction() > 0.95, "voiced fraction " + stats.voicedFraction());
    }

    @ParameterizedTest
    @CsvSource({"100, 8000", "150, 8000", "220, 8000", "100, 16000", "150, 16000", "220, 16000"})
    void glottalPulseTrainWithinOnePercent(double f0, int sampleRate) {
        PitchStats stats = Yin.analyze(Signals.pulseTrain(f0, sampleRate, 1.0, 1.0), sampleRate);
        assertEquals(f0, stats.medianF0Hz(), 0.01 * f0);
        assertTrue(stats.voicedFraction() > 0.95, "voiced fraction " + stats.voicedFraction());
    }

    /**
     * A flat full-band pulse train is exact at whole-sample periods. At fractional ones (150 Hz
     * at 8 kHz: 53.3 samples) its narrow pulses misalign by a third of a sample, d'(T) stays
     * above 0.1 and YIN's first-dip rule picks 3T, the first whole-sample multiple: a limit of
     * the method on such signals, not of this code, and the reason the glottal test above
     * uses a -6 dB/octave slope like real speech.
     */
    @ParameterizedTest
    @CsvSource({"100, 8000", "200, 8000", "100, 16000", "250, 16000"})
    void flatPulseTrainWithAWholeSamplePeriod(double f0, int sampleRate) {
        PitchStats stats = Yin.analyze(Signals.pulseTrain(f0, sampleRate, 1.0, 0.0), sampleRate);
        assertEquals(f0, stats.medianF0Hz(), 0.001 * f0);
    }

    @Test
    void flatPulseTrainWithAFractionalPeriodLocksToThreePeriods() {
        assertEquals(50.0, Yin.analyze(Signals.pulseTrain(150, 8000, 1.0, 0.0), 8000).medianF0Hz(), 0.5);
    }

    @Test
    void everyFrameOfANonIntegerPeriodIsClose() {
        // 8000 / 220 = 36.36 samples: only the interpolation gets within 0.1%.
        double[] f0 = Yin.withDefaults().track(Signals.sine(220, 8000, 0.5), 8000).f0Hz();
        for (double v : f0) {
            assertEquals(220, v, 0.22);
        }
    }

    @Test
    void silenceIsUnvoiced() {
        PitchTrack track = Yin.withDefaults().track(new float[8000], 8000);
        assertEquals(0.0, track.stats().voicedFraction(), 0.0);
        assertTrue(Double.isNaN(track.stats().medianF0Hz()));
        for (double a : track.aperiodicity()) {
            assertEquals(1.0, a, 0.0);
        }
    }

    @Test
    void whiteNoiseIsMostlyUnvoiced() {
        for (int sampleRate : new int[] {8000, 16000}) {
            float[] noise = Signals.whiteNoise(RandomStreams.of(20260101L, "yin-white-noise", sampleRate), sampleRate);
            PitchStats stats = Yin.analyze(noise, sampleRate);
            assertTrue(stats.voicedFraction() < 0.1, "voiced fraction " + stats.voicedFraction());
        }
    }

    @Test
    void frameCountAndShortSignals() {
        // 8 kHz defaults: window 320, tauMax 160, span 481, hop 80.
        assertEquals(1 + (8000 - 481) / 80, Yin.withDefaults().track(new float[8000], 8000).frames());
        assertEquals(1, Yin.withDefaults().track(new float[481], 8000).frames());
        assertEquals(2, Yin.withDefaults().track(new float[561], 8000).frames());
        PitchTrack shortTrack = Yin.withDefaults().track(Signals.sine(200, 8000, 0.045), 8000);
        assertEquals(1, shortTrack.frames());
        assertEquals(200, shortTrack.f0Hz()[0], 2);
    }

    @Test
    void differenceFunctionMatchesTheDoubleSum() {
        double[] frame = new double[40];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = Math.sin(0.7 * i) + 0.1 * (i % 5);
        }
        int window = 25;
        int maxLag = 14;
        double[] d = new double[maxLag + 1];
        Yin.differenceFunction(frame, window, maxLag, d);
        for (int t = 0; t <= maxLag; t++) {
            double expected = 0;
            for (int j = 0; j < window; j++) {
                expected += (frame[j] - frame[j + t]) * (frame[j] - frame[j + t]);
            }
            assertEquals(expected, d[t], 0.0, "lag " + t);
        }
    }

    @Test
    void cumulativeMeanNormalisedByHand() {
        double[] out = new double[4];
        Yin.cumulativeMeanNormalised(new double[] {0, 1, 2, 3}, out);
        assertArrayEquals(new double[] {1, 1, 4.0 / 3, 1.5}, out, 1e-15);
        Yin.cumulativeMeanNormalised(new double[] {0, 0, 0, 2}, out);
        assertArrayEquals(new double[] {1, 1, 1, 3}, out, 1e-15);
    }

    @Test
    void parabolicOffsetByHand() {
        // y = (x - 0.25)^2 at -1, 0, 1.
        assertEquals(0.25, Yin.parabolicOffset(1.5625, 0.0625, 0.5625), 1e-12);
        assertEquals(0.0, Yin.parabolicOffset(1, 1, 1), 0.0);
        assertEquals(1.0, Yin.parabolicOffset(5, 2, 0.5), 0.0);
    }

    @Test
    void validatesSettingsAndInputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Yin.Settings(0.04, 0.01, 50, 500, 1.2));
        assertTrue(e.getMessage().contains("threshold") && e.getMessage().contains("1.2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Yin.Settings(0.04, 0.01, 500, 50, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Yin.Settings(0, 0.01, 50, 500, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Yin.analyze(new float[0], 8000));
        assertThrows(IllegalArgumentException.class, () -> Yin.analyze(new float[100], 0));
        IllegalArgumentException lag = assertThrows(IllegalArgumentException.class,
                () -> Yin.of(new Yin.Settings(0.04, 0.01, 50, 5000, 0.1)).track(new float[8000], 8000));
        assertTrue(lag.getMessage().contains("maxF0Hz"), lag.getMessage());
    }
}
