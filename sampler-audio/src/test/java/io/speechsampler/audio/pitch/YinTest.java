package io.speechsampler.audio.pitch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.random.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
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
        assertMatchesDoubleSum(frame, 0, window, maxLag, d, "");
    }

    /** The block path against the textbook double sum, frame by frame, where the blocks are the hop and where they are smaller. */
    @ParameterizedTest
    @CsvSource({"320, 80, 161", "640, 160, 321", "25, 10, 14", "30, 12, 9", "12, 3, 5"})
    void blockDifferenceMatchesTheDoubleSumPerFrame(int window, int hop, int maxLag) {
        float[] noise = Signals.whiteNoise(RandomStreams.of(7, "yin-block", window), 3000);
        float[] tone = Signals.pulseTrain(137, 8000, 3000 / 8000.0, 1.0);
        float[] signal = new float[noise.length];
        for (int i = 0; i < signal.length; i++) {
            // Digital silence in the middle: blocks of zeros must give d = 0 exactly.
            signal[i] = i >= 1000 && i < 1800 ? 0 : tone[i] + 0.1f * noise[i];
        }
        int frames = 1 + (signal.length - window - maxLag) / hop;
        Yin.BlockDifference blocks = Yin.BlockDifference.forFrames(signal, frames, window, hop, maxLag);
        assertNotNull(blocks);
        double[] x = new double[signal.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = signal[i];
        }
        double[] d = new double[maxLag + 1];
        for (int f = 0; f < frames; f++) {
            blocks.next(d);
            assertMatchesDoubleSum(x, f * hop, window, maxLag, d, "frame " + f + ", ");
        }
    }

    @Test
    void blockPathOnlyWhereItPays() {
        float[] x = new float[4000];
        assertNotNull(Yin.BlockDifference.forFrames(x, 2, 320, 80, 161));
        assertNull(Yin.BlockDifference.forFrames(x, 1, 320, 80, 161), "a single frame");
        assertNull(Yin.BlockDifference.forFrames(x, 5, 320, 320, 161), "no overlap");
        assertNull(Yin.BlockDifference.forFrames(x, 5, 320, 81, 161), "blocks of one sample");
        assertThrows(IllegalArgumentException.class, () -> Yin.BlockDifference.forFrames(x, 100, 320, 80, 161));
    }

    /**
     * Whole tracks from the block path against the per-frame path: the same voicing decisions and
     * the same f0 and aperiodicity up to rounding, for speech-like, noisy, silent and mixed input,
     * at both rates and with settings whose blocks are smaller than the hop.
     */
    @Test
    void blockPathTrackMatchesThePerFramePath() {
        List<float[]> signals8k = new ArrayList<>();
        signals8k.add(Signals.pulseTrain(118, 8000, 1.3, 1.0));
        signals8k.add(Signals.sine(220, 8000, 0.7));
        signals8k.add(Signals.whiteNoise(RandomStreams.of(11, "yin-block-track", 0), 9000));
        signals8k.add(new float[6000]);
        UniformRandomProvider rng = RandomStreams.of(11, "yin-block-track", 1);
        for (int k = 0; k < 6; k++) {
            double f0 = 70 + 330 * rng.nextDouble();
            double[] amplitude = new double[5];
            double[] phase = new double[5];
            for (int h = 0; h < 5; h++) {
                amplitude[h] = (0.3 + rng.nextDouble()) / (h + 1);
                phase[h] = 2 * Math.PI * rng.nextDouble();
            }
            float[] voiced = Signals.harmonic(f0, 8000, 0.9, amplitude, phase);
            float[] noise = Signals.whiteNoise(rng, voiced.length);
            float[] mixed = new float[voiced.length + 2000];
            for (int i = 0; i < voiced.length; i++) {
                // Glides in level, with a noise floor and a silent tail.
                mixed[i] = (float) (voiced[i] * (0.2 + i / (double) voiced.length)) + 0.05f * k * noise[i];
            }
            signals8k.add(mixed);
        }
        Yin[] estimators = {
            Yin.withDefaults(),
            Yin.of(new Yin.Settings(0.040, 0.015, 60, 400, 0.15)), // 5 ms blocks, 8 per window
        };
        for (Yin yin : estimators) {
            for (float[] x : signals8k) {
                assertSameTrack(yin.track(x, 8000, true), yin.track(x, 8000));
            }
        }
        float[] x16k = Signals.pulseTrain(183, 16000, 1.1, 1.0);
        assertSameTrack(Yin.withDefaults().track(x16k, 16000, true), Yin.withDefaults().track(x16k, 16000));
    }

    private static void assertSameTrack(PitchTrack expected, PitchTrack actual) {
        assertEquals(expected.frames(), actual.frames());
        for (int f = 0; f < expected.frames(); f++) {
            double e = expected.f0Hz()[f];
            double a = actual.f0Hz()[f];
            assertEquals(Double.isNaN(e), Double.isNaN(a), "voicing of frame " + f);
            if (!Double.isNaN(e)) {
                assertEquals(e, a, 1e-9 * e, "f0 of frame " + f);
            }
            assertEquals(expected.aperiodicity()[f], actual.aperiodicity()[f], 1e-9, "aperiodicity of frame " + f);
        }
        assertEquals(expected.stats().voicedFraction(), actual.stats().voicedFraction(), 0.0);
        double median = expected.stats().medianF0Hz();
        assertEquals(median, actual.stats().medianF0Hz(), Double.isNaN(median) ? 0.0 : 1e-9 * median);
    }

    /** {@code d[t]} against {@code sum_{j<window} (x[s+j] - x[s+j+t])^2}, within 1e-9 relative (0 exactly where that is 0). */
    private static void assertMatchesDoubleSum(double[] x, int s, int window, int maxLag, double[] d, String where) {
        for (int t = 0; t <= maxLag; t++) {
            double expected = 0;
            for (int j = s; j < s + window; j++) {
                expected += (x[j] - x[j + t]) * (x[j] - x[j + t]);
            }
            assertEquals(expected, d[t], 1e-9 * expected, where + "lag " + t);
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
