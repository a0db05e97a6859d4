package io.speechsampler.core.samplers;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.core.pipeline.PipelineContract;
import io.speechsampler.testkit.GoodnessOfFit;
import io.speechsampler.testkit.TestCorpora;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * The sampler contract for {@code class-balanced}, and its distribution: speakers drawn equally
 * often, utterance {@code u} of speaker {@code c} with probability {@code 1 / (K n_c)}, every batch
 * of distinct speakers. Designed false-failure rate: 2 confirmed assertions (two independent
 * samples must both reject at 0.001) x 3 tries x 1e-6 = 6e-6 (the distinctness check is exact).
 */
class ClassBalancedBatchSamplerProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(6, 3, 41);
    /** Five speakers with 1, 2, 3, 2 and 4 utterances. */
    private static final Corpus UNEVEN = uneven();

    private static Corpus uneven() {
        int[] counts = {1, 2, 3, 2, 4};
        List<Utterance> utts = new ArrayList<>();
        for (int s = 0; s < counts.length; s++) {
            for (int u = 0; u < counts[s]; u++) {
                utts.add(TestCorpora.utterance("s" + s + "-u" + u, "s" + s, 1.0 + u));
            }
        }
        return TestCorpora.of("uneven", utts);
    }

    @Override
    public String configYaml() {
        return "sampler: class-balanced\nbatch: {name: fixed, size: 4}\n";
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
    void speakersUniformUtterancesUniformWithinSpeakerBatchesDistinct(@ForAll long seed) {
        double[] expected = new double[UNEVEN.size()];
        for (int u = 0; u < expected.length; u++) {
            expected[u] = 1.0 / UNEVEN.countOf(UNEVEN.speakerOf(u));
        }
        GoodnessOfFit.assertUniform("speakers under class-balanced",
                k -> counts(GoodnessOfFit.sampleSeed(seed, k))[1]);
        GoodnessOfFit.assertFits("utterances under class-balanced", expected,
                k -> counts(GoodnessOfFit.sampleSeed(seed, k))[0]);
    }

    /** Counts by utterance and by speaker of one epoch, checking that every batch's speakers are distinct. */
    private static long[][] counts(long seed) {
        int b = 3;
        Iterator<Draw> it = ClassBalancedBatchSampler.of(UNEVEN, b, 2000).epoch(new EpochContext(seed, 0, 0, 1,
                "sampler"));
        long[] byUtterance = new long[UNEVEN.size()];
        long[] bySpeaker = new long[UNEVEN.numSpeakers()];
        int drawn = 0;
        Set<Integer> batch = new HashSet<>();
        while (it.hasNext()) {
            int u = UNEVEN.indexOf(it.next().utteranceIds().get(0)).getAsInt();
            byUtterance[u]++;
            bySpeaker[UNEVEN.speakerOf(u)]++;
            if (!batch.add(UNEVEN.speakerOf(u))) {
                throw new AssertionError("speaker " + UNEVEN.speakerOf(u) + " twice in batch " + drawn / b);
            }
            if (++drawn % b == 0) {
                batch.clear();
            }
        }
        if (drawn != 2000 * b) {
            throw new AssertionError("expected " + 2000 * b + " draws, got " + drawn);
        }
        return new long[][] {byUtterance, bySpeaker};
    }
}
