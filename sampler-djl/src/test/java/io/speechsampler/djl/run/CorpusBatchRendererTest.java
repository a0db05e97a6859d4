package io.speechsampler.djl.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Crop;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.TwoViewDraw;
import io.speechsampler.audio.wav.WavReader;
import io.speechsampler.audio.wav.WavWriter;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.spi.RenderSpec;
import io.speechsampler.djl.train.RenderedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crops of item draws and two-view draws, rendered from WAV files. */
class CorpusBatchRendererTest {

    @TempDir
    static Path dir;

    static Corpus corpus;
    /** The utterances' samples as the renderer reads them (16-bit PCM). */
    static float[][] audio = new float[2][];

    @BeforeAll
    static void wavs() {
        List<Utterance> u = new ArrayList<>();
        int[] lengths = {1000, 600};
        for (int i = 0; i < 2; i++) {
            String id = String.format("s%02d-u00", i);
            Path f = dir.resolve(id + ".wav");
            WavWriter.write(f, TestSupport.audio(id, lengths[i]), TestSupport.RATE);
            audio[i] = WavReader.read(f, TestSupport.RATE);
            u.add(new Utterance(id, "s" + i, f, 0, lengths[i], TestSupport.RATE, List.of()));
        }
        corpus = Corpus.of(dir, u);
    }

    private static float[] window(float[] x, int offset, int length) {
        float[] out = new float[length];
        for (int t = 0; t < length && offset + t < x.length; t++) {
            out[t] = x[offset + t];
        }
        return out;
    }

    @Test
    void anItemsCropIsItsWindowZeroPaddedPastTheEnd() {
        CorpusBatchRenderer r = CorpusBatchRenderer.of(corpus, null, RenderSpec.items(300), 10);
        RenderedBatch b = r.render(List.of(ItemDraw.of("s00-u00", new Crop(250, 400)),
                ItemDraw.of("s01-u00", new Crop(500, 400))));
        assertEquals(2, b.size());
        assertArrayEquals(window(audio[0], 250, 400), b.mixture()[0]);
        float[] past = b.mixture()[1];
        assertArrayEquals(window(audio[1], 500, 400), past);
        assertTrue(Arrays.equals(new float[300], Arrays.copyOfRange(past, 100, 400)), "zeros past the end");
        RenderedBatch plain = r.render(List.of(ItemDraw.of("s00-u00")));
        assertArrayEquals(window(audio[0], 0, 300), plain.mixture()[0], "no crop: the spec's length from the start");
    }

    @Test
    void twoViewDrawsRenderAsFirstViewsThenSecondViews() {
        CorpusBatchRenderer r = CorpusBatchRenderer.of(corpus, null, RenderSpec.twoViews(300), 10);
        List<Draw> draws = List.of(TwoViewDraw.of("s00-u00", new Crop(0, 200), new Crop(700, 200)),
                TwoViewDraw.of("s01-u00", new Crop(10, 200), new Crop(550, 200)));
        RenderedBatch b = r.render(draws);
        assertEquals(4, b.size());
        assertEquals(2, b.draws());
        assertEquals(2, b.views());
        assertArrayEquals(window(audio[0], 0, 200), b.mixture()[0]);
        assertArrayEquals(window(audio[1], 10, 200), b.mixture()[1]);
        assertArrayEquals(window(audio[0], 700, 200), b.mixture()[2]);
        assertArrayEquals(window(audio[1], 550, 200), b.mixture()[3]);
        RenderedBatch items = r.render(List.of(ItemDraw.of("s01-u00")));
        assertEquals(1, items.views(), "items render one row each, for inference");
        assertEquals(300, items.length());
        ConfigException e = assertThrows(ConfigException.class, () -> r.render(List.of(draws.get(0),
                ItemDraw.of("s01-u00"))));
        assertTrue(e.getMessage().contains("use the sampler two-view"), e.getMessage());
        ConfigException items2 = assertThrows(ConfigException.class,
                () -> CorpusBatchRenderer.of(corpus, null, RenderSpec.items(300), 10).render(draws));
        assertTrue(items2.getMessage().contains("a two-view draw (for task contrastive)"), items2.getMessage());
    }
}
