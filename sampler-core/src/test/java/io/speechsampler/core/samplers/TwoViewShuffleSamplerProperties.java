package io.speechsampler.core.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.TwoViewDraw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.core.pipeline.PipelineContract;
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
 * The sampler contract for {@code two-view} (deterministic, resumable, sharded, with feedback), and
 * its distribution: every utterance once per epoch in {@code shuffle}'s order, and the two views'
 * offsets independent and uniform (the 4 x 4 joint offsets of an utterance 3 samples longer than
 * the crop equally likely). Designed false-failure rate: 1 confirmed assertion (two independent
 * samples must both reject at 0.001) x 3 tries x 1e-6 = 3e-6; the other assertions are exact.
 */
class TwoViewShuffleSamplerProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(4, 5, 12);

    @Override
    public String configYaml() {
        return "sampler: {name: two-view, crop_seconds: 0.5}\nbatch: {name: fixed, size: 3}\n";
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void theTwoViewsAreIndependentUniformCrops(@ForAll long seed) {
        long crop = 160;
        Corpus two = TestCorpora.of("two", List.of(
                new Utterance("a-0", "a", Path.of("/synthetic/a.wav"), 0, crop + 3, TestCorpora.SAMPLE_RATE, List.of()),
                new Utterance("b-0", "b", Path.of("/synthetic/b.wav"), 0, crop, TestCorpora.SAMPLE_RATE, List.of())));
        SourceSampler s = TwoViewShuffleSampler.of(two, UniformCrops.of(two, 0.01));
        GoodnessOfFit.assertUniform("joint offsets of the two views", k -> {
            long[] joint = new long[16];
            for (int e = 0; e < 16 * 60; e++) {
                Iterator<Draw> it = s.epoch(new EpochContext(GoodnessOfFit.sampleSeed(seed, k), e, 0, 1, "sampler"));
                while (it.hasNext()) {
                    TwoViewDraw d = (TwoViewDraw) it.next();
                    assertEquals(crop, d.first().length());
                    assertEquals(crop, d.second().length());
                    if (d.id().equals("a-0")) {
                        joint[(int) (d.first().offset() * 4 + d.second().offset())]++;
                    } else {
                        assertEquals(0, d.first().offset() + d.second().offset(), "no room, offsets 0: " + d);
                    }
                }
            }
            return joint;
        });
    }

    @Property(tries = 20)
    void everyUtteranceOncePerEpochInShufflesOrder(@ForAll long seed) {
        SourceSampler two = TwoViewShuffleSampler.of(CORPUS, UniformCrops.of(CORPUS, 1.8));
        SourceSampler shuffle = FisherYatesShuffleSampler.of(CORPUS);
        for (int e = 0; e < 3; e++) {
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            two.epoch(new EpochContext(seed, e, 0, 1, "sampler")).forEachRemaining(d -> a.add(d.key()));
            shuffle.epoch(new EpochContext(seed, e, 0, 1, "sampler")).forEachRemaining(d -> b.add(d.key()));
            assertEquals(b, a);
        }
        assertEquals(CORPUS.size(), two.epochSize());
    }
}
