package io.speechsampler.audio.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusException;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.MixtureFactors;
import io.speechsampler.api.draw.Noise;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.audio.wav.SampleFormat;
import io.speechsampler.audio.wav.WavReader;
import io.speechsampler.audio.wav.WavWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixtureRendererTest {

    private static final int RATE = 1000;

    @TempDir
    static Path dir;

    static Corpus speech;
    static Corpus noise;
    static float[][] raw;

    @BeforeAll
    static void writeAudio() {
        List<Utterance> us = new ArrayList<>();
        int[] lengths = {3000, 1200, 2500, 800, 4000, 1500};
        raw = new float[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            float[] x = new float[lengths[i]];
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) (0.3 * Math.sin(t * (0.05 + 0.03 * i)) + 0.1 * Math.sin(t * 0.7 + i));
            }
            raw[i] = x;
            Path f = dir.resolve("u" + i + ".wav");
            WavWriter.write(f, x, RATE, SampleFormat.FLOAT_32);
            us.add(new Utterance("u" + i, "spk" + (i % 3), f, 0, x.length, RATE, List.of()));
        }
        speech = Corpus.of(dir, us);
        float[] n = new float[700];
        for (int t = 0; t < n.length; t++) {
            n[t] = (float) (0.05 * Math.sin(t * 1.3) * Math.cos(t * 0.11));
        }
        Path nf = dir.resolve("n0.wav");
        WavWriter.write(nf, n, RATE, SampleFormat.FLOAT_32);
        noise = Corpus.of(dir.resolve("noise"), List.of(new Utterance("n0", "noise", nf, 0, n.length, RATE,
                List.of("noise"))));
    }

    private static MixtureRenderer renderer() {
        return MixtureRenderer.of(speech, noise, AudioCache.of(100_000));
    }

    private static double energy(float[] x) {
        double e = 0;
        for (float v : x) {
            e += (double) v * v;
        }
        return e;
    }

    private static void assertMixtureIsSumOfParts(RenderedMixture r) {
        float[] sum = new float[r.length()];
        for (float[] s : r.sources()) {
            for (int t = 0; t < sum.length; t++) {
                sum[t] += s[t];
            }
        }
        if (r.hasNoise()) {
            for (int t = 0; t < sum.length; t++) {
                sum[t] += r.noise()[t];
            }
        }
        assertArrayEquals(sum, r.mixture());
    }

    @Test
    void sourcesAreGainedCroppedDelayedAndPadded() {
        MixtureDraw d = MixtureDraw.of(List.of(new Source("u0", 0, 100, 0), new Source("u3", -6, 0, 500)), 1000);
        RenderedMixture r = renderer().render(d);
        assertEquals(1000, r.length());
        assertNull(r.noise());
        for (int t = 0; t < 1000; t++) {
            assertEquals(raw[0][100 + t], r.sources()[0][t]);
        }
        float g = (float) Math.pow(10, -6 / 20.0);
        for (int t = 0; t < 500; t++) {
            assertEquals(0f, r.sources()[1][t]);
        }
        for (int t = 500; t < 1000; t++) {
            assertEquals(g * raw[3][t - 500], r.sources()[1][t], 1e-7);
        }
        assertMixtureIsSumOfParts(r);
    }

    @Test
    void naturalLengthIsTheLatestEndAndShortSourcesArePadded() {
        MixtureDraw d = MixtureDraw.of(List.of(new Source("u1", 0, 200, 0), new Source("u3", 0, 0, 900)), 0);
        RenderedMixture r = renderer().render(d);
        assertEquals(1700, r.length());
        assertEquals(0f, r.sources()[0][1000]);
        assertEquals(raw[1][1199], r.sources()[0][999]);
        assertMixtureIsSumOfParts(r);
    }

    @Test
    void gainsSetTheEnergyRatio() {
        MixtureDraw d = MixtureDraw.of(List.of(new Source("u2", 3.5, 0, 0), new Source("u4", -2.0, 0, 0)), 2500);
        RenderedMixture r = renderer().render(d);
        double rawRatio = energy(Arrays.copyOf(raw[2], 2500)) / energy(Arrays.copyOf(raw[4], 2500));
        double ratioDb = 10 * Math.log10(energy(r.sources()[0]) / energy(r.sources()[1]) / rawRatio);
        assertEquals(5.5, ratioDb, 1e-4);
    }

    @Test
    void statedSnrsAreRealisedByEnergyWhateverTheLevelsAndGains() {
        // u3 is 800 samples, delayed into a 2500-sample mixture: its energy is what lies inside it
        List<Source> sources = List.of(new Source("u1", -30, 200, 300), new Source("u2", 6.0, 0, 0),
                new Source("u3", 20, 0, 2000), new Source("u4", -40, 1000, 0));
        double[] snr = {-5.0, 7.5, 0.0};
        MixtureDraw d = new MixtureDraw(sources, 2500, new Noise("n0", 3.0, 0), 1, "u5", List.of(),
                new MixtureFactors(List.of(snr[0], snr[1], snr[2]), 0.8, "synthetic"));
        RenderedMixture r = renderer().render(d);
        double target = energy(r.sources()[1]);
        assertEquals(6.0, 10 * Math.log10(target / energy(Arrays.copyOf(raw[2], 2500))), 1e-4, "target keeps its gain");
        int[] interferers = {0, 2, 3};
        for (int j = 0; j < 3; j++) {
            double db = 10 * Math.log10(target / energy(r.sources()[interferers[j]]));
            assertEquals(snr[j], db, 0.1, "target over source " + interferers[j]);
        }
        float[] speech = new float[2500];
        for (float[] src : r.sources()) {
            for (int t = 0; t < speech.length; t++) {
                speech[t] += src[t];
            }
        }
        assertEquals(3.0, 10 * Math.log10(energy(speech) / energy(r.noise())), 0.1, "noise SNR by energy");
        assertMixtureIsSumOfParts(r);
    }

    @Test
    void aStatedSnrWithASilentInterfererKeepsItsGain() {
        // u3 (800 samples) delayed to 2500 lies outside a 2500-sample mixture
        MixtureDraw d = new MixtureDraw(List.of(new Source("u2", 0, 0, 0), new Source("u3", -3, 0, 2500)), 2500,
                null, 0, null, List.of(), new MixtureFactors(List.of(5.0), Double.NaN, null));
        RenderedMixture r = renderer().render(d);
        assertEquals(0, energy(r.sources()[1]));
        assertArrayEquals(renderer().render(MixtureDraw.of(d.sources(), 2500)).sources()[0], r.sources()[0]);
    }

    @Test
    void noiseIsScaledToTheSnrAndWrapsAround() {
        MixtureDraw d = MixtureDraw.of(List.of(new Source("u0", 0, 0, 0), new Source("u4", 1, 0, 0)), 2000)
                .withNoise(new Noise("n0", 12.5, 600));
        RenderedMixture r = renderer().render(d);
        assertTrue(r.hasNoise());
        float[] speechOnly = new float[2000];
        for (int t = 0; t < 2000; t++) {
            speechOnly[t] = r.sources()[0][t] + r.sources()[1][t];
        }
        assertEquals(12.5, 10 * Math.log10(energy(speechOnly) / energy(r.noise())), 1e-4);
        float[] n = WavReader.read(noise.get(0));
        double gain = r.noise()[0] / n[600];
        assertEquals(gain * n[0], r.noise()[100], 1e-6, "read from offset 600, wrapping to the start at 700");
        assertMixtureIsSumOfParts(r);
    }

    @Test
    void sameRecipeGivesIdenticalFloatsWithAFreshCache() {
        MixtureDraw d = MixtureDraw.of(List.of(new Source("u5", -1.7, 300, 0), new Source("u2", 2.9, 10, 40)), 0)
                .withNoise(new Noise("n0", 15, 3));
        RenderedMixture a = renderer().render(d);
        RenderedMixture b = MixtureRenderer.of(speech, noise, AudioCache.of(0)).render(d);
        assertEquals(a, b);
        assertArrayEquals(a.mixture(), b.mixture());
        assertFalse(a.equals(renderer().render(d.withSources(List.of(new Source("u5", -1.6, 300, 0),
                new Source("u2", 2.9, 10, 40))))));
    }

    @Test
    void sampledRecipesRenderToTheirSegmentLength() {
        DynamicMixingSampler sampler = DynamicMixingSampler.of(speech, noise,
                DynamicMixingSettings.defaults().withSpeakers(3).withSegment(2.0, 0.75));
        MixtureRenderer renderer = renderer();
        Iterator<Draw> it = sampler.epoch(new EpochContext(11, 2, 0, 1, "sampler"));
        int count = 0;
        while (it.hasNext()) {
            MixtureDraw d = (MixtureDraw) it.next();
            RenderedMixture r = renderer.render(d);
            assertEquals(2000, r.length());
            assertEquals(3, r.sources().length);
            assertMixtureIsSumOfParts(r);
            double snr = 10 * Math.log10(energySpeech(r) / energy(r.noise()));
            assertEquals(d.noise().snrDb(), snr, 1e-3);
            count++;
        }
        assertEquals(speech.size(), count);
    }

    private static double energySpeech(RenderedMixture r) {
        float[] s = new float[r.length()];
        for (float[] src : r.sources()) {
            for (int t = 0; t < s.length; t++) {
                s[t] += src[t];
            }
        }
        return energy(s);
    }

    @Test
    void unknownIdsAndOffsetsOutsideTheUtteranceAreRefused() {
        CorpusException unknown = assertThrows(CorpusException.class,
                () -> renderer().render(MixtureDraw.of(List.of(Source.of("nope", 0, 0)), 0)));
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
        CorpusException offset = assertThrows(CorpusException.class,
                () -> renderer().render(MixtureDraw.of(List.of(Source.of("u3", 0, 800)), 0)));
        assertTrue(offset.getMessage().contains("'u3'") && offset.getMessage().contains("800"), offset.getMessage());
        assertThrows(CorpusException.class, () -> MixtureRenderer.of(speech, Corpus.of(dir, List.of(
                new Utterance("x", "n", dir.resolve("n0.wav"), 0, 10, 8000, List.of()))), AudioCache.of(10)));
    }

    @Test
    void aMixtureOfTwoMixturesRendersItsGroupsAsTheTwoReferences() {
        List<Source> sources = List.of(new Source("u0", -2, 100, 0), new Source("u1", 3, 0, 0),
                new Source("u2", 0, 50, 0));
        RenderedMixture plain = renderer().render(MixtureDraw.of(sources, 1000));
        RenderedMixture split = renderer().render(MixtureDraw.of(sources, 1000)
                .withTag(MixtureRenderer.referencesTag(1, 2)));
        assertEquals(2, split.sources().length);
        assertArrayEquals(plain.mixture(), split.mixture());
        assertArrayEquals(plain.sources()[0], split.sources()[0]);
        for (int t = 0; t < 1000; t++) {
            assertEquals(plain.sources()[1][t] + plain.sources()[2][t], split.sources()[1][t]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> renderer().render(
                MixtureDraw.of(sources, 1000).withTag(MixtureRenderer.referencesTag(2, 2))));
        assertTrue(e.getMessage().contains("mixtures=2+2") && e.getMessage().contains("K1 + K2 = 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> renderer().render(MixtureDraw.of(sources, 1000)
                .withTag("mixtures=1+x")));
    }
}
