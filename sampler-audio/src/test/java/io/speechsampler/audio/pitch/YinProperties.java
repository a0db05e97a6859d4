package io.speechsampler.audio.pitch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.speechsampler.api.random.RandomStreams;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;

/** Harmonic signals with random amplitudes and phases from {@link RandomStreams} keyed by {@code seed}. */
class YinProperties {

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void medianOfAHarmonicSignalIsWithinTwoPercent(@ForAll long seed,
                                                   @ForAll @DoubleRange(min = 80, max = 400) double f0,
                                                   @ForAll @IntRange(min = 0, max = 1) int rateChoice) {
        int sampleRate = rateChoice == 0 ? 8000 : 16000;
        UniformRandomProvider rng = RandomStreams.of(seed, "yin-harmonic", 0);
        int harmonics = Math.min(6, (int) Math.ceil(sampleRate / 2.0 / f0) - 1);
        double[] amplitude = new double[harmonics];
        double[] phase = new double[harmonics];
        for (int k = 0; k < harmonics; k++) {
            // A speech-like falling spectrum: the fundamental is never the weakest partial by far.
            amplitude[k] = (0.5 + 0.5 * rng.nextDouble()) / (k + 1);
            phase[k] = 2 * Math.PI * rng.nextDouble();
        }
        float[] x = Signals.harmonic(f0, sampleRate, 0.5, amplitude, phase);
        PitchStats stats = Yin.analyze(x, sampleRate);
        assertEquals(f0, stats.medianF0Hz(), 0.02 * f0);
    }
}
