package io.speechsampler.core.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.core.pipeline.PipelineContract;
import io.speechsampler.testkit.GoodnessOfFit;
import io.speechsampler.testkit.TestCorpora;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * The sampler contract for {@code shuffle}, and its distribution: each of the 4! orders of 4
 * utterances equally likely. Designed false-failure rate: 1 confirmed assertion (two
 * independent samples must both reject at 0.001) x 3 tries x 1e-6 = 3e-6.
 */
class FisherYatesShuffleSamplerProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(4, 5, 12);
    private static final Corpus FOUR = TestCorpora.synthetic(1, 4, 13);

    @Override
    public String configYaml() {
        return "sampler: shuffle\nbatch: {name: fixed, size: 3}\n";
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    /** 24 x 200 epochs: each epoch has its own stream, so epochs are independent permutations. */
    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void allPermutationsEquallyLikely(@ForAll long seed) {
        GoodnessOfFit.assertUniform("orders of 4 utterances under shuffle",
                k -> permutationCounts(GoodnessOfFit.sampleSeed(seed, k)));
    }

    private static long[] permutationCounts(long seed) {
        SourceSampler sampler = FisherYatesShuffleSampler.of(FOUR);
        List<String> ids = FOUR.utterances().stream().map(u -> u.id()).toList();
        long[] counts = new long[24];
        for (int e = 0; e < 24 * 200; e++) {
            int[] perm = new int[4];
            Iterator<Draw> it = sampler.epoch(new EpochContext(seed, e, 0, 1, "sampler"));
            for (int i = 0; i < 4; i++) {
                perm[i] = ids.indexOf(it.next().utteranceIds().get(0));
            }
            counts[lehmerIndex(perm)]++;
        }
        return counts;
    }

    @Example
    void lehmerIndexNumbersEveryPermutationOnce() {
        boolean[] seen = new boolean[24];
        List<int[]> all = new ArrayList<>();
        permutations(new int[] {0, 1, 2, 3}, 0, all);
        for (int[] p : all) {
            seen[lehmerIndex(p)] = true;
        }
        for (boolean s : seen) {
            assertEquals(true, s);
        }
    }

    private static void permutations(int[] a, int k, List<int[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            int t = a[k];
            a[k] = a[i];
            a[i] = t;
            permutations(a, k + 1, out);
            a[i] = a[k];
            a[k] = t;
        }
    }

    /** The permutation's rank in lexicographic order, from its Lehmer code. */
    static int lehmerIndex(int[] perm) {
        int index = 0;
        for (int i = 0; i < perm.length; i++) {
            int smaller = 0;
            for (int j = i + 1; j < perm.length; j++) {
                smaller += perm[j] < perm[i] ? 1 : 0;
            }
            index = index * (perm.length - i) + smaller;
        }
        return index;
    }
}
