package io.speechsampler.audio.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.random.RandomStreams;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SourceFilterSynthesizerTest {

    private static final int RATE = 16000;
    private static final SourceFilterSynthesizer SYNTH = SourceFilterSynthesizer.of(RATE);

    private static SpeakerProfile voice(String id, Sex sex, double f0, double tract) {
        return new SpeakerProfile(id, sex, f0, 1.5, tract, 1.0, 0.55, 0.05);
    }

    private static SynthesizedUtterance say(SpeakerProfile sp, int index) {
        return SYNTH.synthesize(sp, 2 * RATE, RandomStreams.of(5, "test/" + sp.id(), index));
    }

    @Test
    void sameRandomStreamGivesIdenticalSamples() {
        SpeakerProfile sp = voice("a", Sex.MALE, 120, 1.0);
        assertArrayEquals(say(sp, 0).samples(), say(sp, 0).samples());
        assertTrue(!Arrays.equals(say(sp, 0).samples(), say(sp, 1).samples()));
    }

    @Test
    void outputIsNormalisedAndInRange() {
        float[] x = say(voice("a", Sex.FEMALE, 210, 1.1), 0).samples();
        double energy = 0;
        for (float v : x) {
            assertTrue(Math.abs(v) <= 0.9f);
            energy += v * v;
        }
        double rms = Math.sqrt(energy / x.length);
        assertTrue(rms > 0.02 && rms <= 0.0501, "rms " + rms);
    }

    /** A YIN pitch tracker (de Cheveigne and Kawahara 2002) confirms the reported median f0. */
    @Test
    void reportedMedianF0MatchesTheAudio() {
        for (double f0 : new double[] {90, 130, 180, 240}) {
            SpeakerProfile sp = voice("p" + (int) f0, f0 < 160 ? Sex.MALE : Sex.FEMALE, f0, 1.0);
            SynthesizedUtterance u = say(sp, 0);
            double measured = yinMedian(u.samples(), RATE);
            assertEquals(u.f0MedianHz(), measured, 0.03 * u.f0MedianHz(), "speaker f0 " + f0);
            assertTrue(u.voicedFrames() > 50);
        }
    }

    /**
     * Speakers close in f0 and vocal tract sound alike: the long-term spectra of two close male
     * voices differ less than those of a male and a female voice.
     */
    @Test
    void closeVoicesHaveCloserSpectraThanDistantOnes() {
        double[] a = longTermSpectrumDb(voice("a", Sex.MALE, 120, 0.95));
        double[] near = longTermSpectrumDb(voice("b", Sex.MALE, 126, 0.97));
        double[] far = longTermSpectrumDb(voice("c", Sex.FEMALE, 220, 1.13));
        double dNear = rmsDifference(a, near);
        double dFar = rmsDifference(a, far);
        assertTrue(dNear < 0.6 * dFar, "near " + dNear + " dB, far " + dFar + " dB");
    }

    @Test
    void rejectsShortUtterancesAndBadRates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SYNTH.synthesize(voice("a", Sex.MALE, 120, 1), 100, RandomStreams.of(1, "x", 0)));
        assertTrue(e.getMessage().startsWith("numSamples is not at least 0.4 s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SourceFilterSynthesizer.of(4000));
        assertThrows(IllegalArgumentException.class,
                () -> new SpeakerProfile("x", Sex.MALE, 120, 1, 2.0, 1, 0.5, 0));
    }

    private static double[] longTermSpectrumDb(SpeakerProfile sp) {
        int bins = 48;
        int frame = 512;
        double[] power = new double[bins];
        for (int utt = 0; utt < 3; utt++) {
            float[] x = say(sp, utt).samples();
            for (int start = 0; start + frame <= x.length; start += frame) {
                for (int b = 0; b < bins; b++) {
                    double w = 2 * Math.PI * (b + 1) * 4000.0 / bins / RATE;
                    double re = 0;
                    double im = 0;
                    for (int i = 0; i < frame; i++) {
                        double v = x[start + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / frame));
                        re += v * Math.cos(w * i);
                        im -= v * Math.sin(w * i);
                    }
                    power[b] += re * re + im * im;
                }
            }
        }
        double[] db = new double[bins];
        for (int b = 0; b < bins; b++) {
            db[b] = 10 * Math.log10(power[b] + 1e-12);
        }
        return db;
    }

    private static double rmsDifference(double[] a, double[] b) {
        double meanDiff = 0;
        for (int i = 0; i < a.length; i++) {
            meanDiff += (a[i] - b[i]) / a.length;
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i] - meanDiff;
            s += d * d;
        }
        return Math.sqrt(s / a.length);
    }

    /** Median over frames whose YIN dip is below 0.1 (clearly periodic), 40 ms frames, 10 ms hop. */
    static double yinMedian(float[] x, int rate) {
        int window = (int) (0.025 * rate);
        int maxLag = rate / 60;
        int minLag = rate / 400;
        int hop = rate / 100;
        double[] found = new double[x.length / hop];
        int count = 0;
        double[] d = new double[maxLag + 2];
        for (int start = 0; start + window + maxLag + 1 < x.length; start += hop) {
            double cumulative = 0;
            d[0] = 1;
            for (int tau = 1; tau <= maxLag + 1; tau++) {
                double s = 0;
                for (int j = 0; j < window; j++) {
                    double diff = x[start + j] - x[start + j + tau];
                    s += diff * diff;
                }
                cumulative += s;
                d[tau] = cumulative > 0 ? s * tau / cumulative : 1;
            }
            for (int tau = minLag; tau <= maxLag; tau++) {
                if (d[tau] < 0.1 && d[tau] <= d[tau + 1]) {
                    double den = d[tau - 1] - 2 * d[tau] + d[tau + 1];
                    double shift = den > 0 ? 0.5 * (d[tau - 1] - d[tau + 1]) / den : 0;
                    found[count++] = rate / (tau + shift);
                    break;
                }
            }
        }
        Arrays.sort(found, 0, count);
        return found[count / 2];
    }
}
