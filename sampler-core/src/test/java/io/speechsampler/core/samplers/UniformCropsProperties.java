package io.speechsampler.core.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Crop;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.testkit.GoodnessOfFit;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * {@code crop_seconds} of {@code shuffle} and {@code class-balanced}: offsets uniform over
 * {@code [0, n - L]} for an utterance of {@code n >= L} samples, exactly 0 for a shorter or
 * equal one, and the same utterances in the same order as without crops. Designed false-failure
 * rate: 4 confirmed assertions (two independent samples must both reject at 0.001) x 3 tries x
 * 1e-6 = 1.2e-5; the other assertions are exact.
 */
class UniformCropsProperties {

    /** 160 samples at the test corpora's 16 kHz. */
    private static final double CROP_SECONDS = 0.01;
    private static final long L = 160;
    /** Rooms 9 and 19 (10 and 20 possible offsets), 0 (equal to the crop) and a shorter utterance. */
    private static final Corpus CORPUS = corpus(L + 9, L + 19, L, L - 100);

    private static Corpus corpus(long... samples) {
        List<Utterance> u = new ArrayList<>();
        for (int i = 0; i < samples.length; i++) {
            u.add(new Utterance("s" + i + "-u0", "s" + i, Path.of("/synthetic/" + i + ".wav"), 0, samples[i],
                    TestCorpora.SAMPLE_RATE, List.of()));
        }
        return Corpus.of(Path.of("crops"), u);
    }

    /** Offsets by utterance over {@code epochs} epochs of {@code sampler}; checks lengths and the zero-room offsets. */
    private static long[][] offsets(SourceSampler sampler, long seed, int epochs) {
        long[][] counts = {new long[10], new long[20]};
        for (int e = 0; e < epochs; e++) {
            Iterator<Draw> it = sampler.epoch(new EpochContext(seed, e, 0, 1, "sampler"));
            while (it.hasNext()) {
                ItemDraw d = (ItemDraw) it.next();
                Crop c = d.crop();
                assertEquals(L, c.length());
                int u = CORPUS.indexOf(d.id()).getAsInt();
                if (u < 2) {
                    counts[u][(int) c.offset()]++;
                } else {
                    assertEquals(0, c.offset(), "an utterance no longer than the crop starts at 0: " + d);
                }
            }
        }
        return counts;
    }

    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void shuffleOffsetsAreUniform(@ForAll long seed) {
        SourceSampler s = FisherYatesShuffleSampler.of(CORPUS, UniformCrops.of(CORPUS, CROP_SECONDS));
        GoodnessOfFit.assertUniform("shuffle crop offsets, room 9",
                k -> offsets(s, GoodnessOfFit.sampleSeed(seed, k), 1000)[0]);
        GoodnessOfFit.assertUniform("shuffle crop offsets, room 19",
                k -> offsets(s, GoodnessOfFit.sampleSeed(seed, k), 1000)[1]);
    }

    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void classBalancedOffsetsAreUniform(@ForAll long seed) {
        SourceSampler s = ClassBalancedBatchSampler.of(CORPUS, null, 2, 2000, UniformCrops.of(CORPUS, CROP_SECONDS));
        GoodnessOfFit.assertUniform("class-balanced crop offsets, room 9",
                k -> offsets(s, GoodnessOfFit.sampleSeed(seed, k), 1)[0]);
        GoodnessOfFit.assertUniform("class-balanced crop offsets, room 19",
                k -> offsets(s, GoodnessOfFit.sampleSeed(seed, k), 1)[1]);
    }

    @Property(tries = 20)
    void cropsLeaveTheUtterancesAndTheirOrderAsTheyWere(@ForAll long seed) {
        Corpus corpus = TestCorpora.synthetic(4, 3, seed);
        UniformCrops crops = UniformCrops.of(corpus, 1.0);
        assertEquals(ids(FisherYatesShuffleSampler.of(corpus), seed), ids(FisherYatesShuffleSampler.of(corpus, crops),
                seed));
        assertEquals(ids(ClassBalancedBatchSampler.of(corpus, 3, 5), seed),
                ids(ClassBalancedBatchSampler.of(corpus, null, 3, 5, crops), seed));
    }

    private static List<String> ids(SourceSampler s, long seed) {
        List<String> out = new ArrayList<>();
        s.epoch(new EpochContext(seed, 1, 0, 1, "sampler")).forEachRemaining(d -> out.add(d.key()));
        return out;
    }
}
