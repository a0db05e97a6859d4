package io.speechsampler.audio.pitch;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** Test signals with a known f0. */
final class Signals {

    private Signals() {
    }

    static float[] sine(double f0, int sampleRate, double seconds) {
        float[] x = new float[(int) Math.round(seconds * sampleRate)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * f0 * i / sampleRate));
        }
        return x;
    }

    /**
     * Band-limited pulse train: every harmonic of f0 below Nyquist in cosine phase, amplitude
     * {@code 1 / k^tilt}. {@code tilt = 1} is the -6 dB/octave slope of a glottal source;
     * {@code tilt = 0} is a flat, maximally peaky train.
     */
    static float[] pulseTrain(double f0, int sampleRate, double seconds, double tilt) {
        int harmonics = (int) Math.ceil(sampleRate / 2.0 / f0) - 1;
        double[] amplitude = new double[harmonics];
        for (int k = 0; k < harmonics; k++) {
            amplitude[k] = 0.3 / Math.pow(k + 1, tilt);
        }
        return harmonic(f0, sampleRate, seconds, amplitude, new double[harmonics]);
    }

    static float[] harmonic(double f0, int sampleRate, double seconds, double[] amplitude, double[] phase) {
        float[] x = new float[(int) Math.round(seconds * sampleRate)];
        for (int i = 0; i < x.length; i++) {
            double v = 0;
            for (int k = 0; k < amplitude.length; k++) {
                v += amplitude[k] * Math.cos(2 * Math.PI * (k + 1) * f0 * i / sampleRate + phase[k]);
            }
            x[i] = (float) v;
        }
        return x;
    }

    static float[] whiteNoise(UniformRandomProvider rng, int length) {
        ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(rng);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (0.3 * normal.sample());
        }
        return x;
    }
}
