package io.speechsampler.core.samplers;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.core.pipeline.PipelineContract;
import io.speechsampler.testkit.GoodnessOfFit;
import io.speechsampler.testkit.TestCorpora;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * The sampler contract for {@code weighted} (with a weights file holding a zero weight), and its
 * distribution: draw frequencies proportional to the weights, exactly zero draws of zero-weight
 * utterances, before and after {@code updateWeights}. Designed false-failure rate: 2 confirmed
 * assertions (two independent samples must both reject at 0.001) x 3 tries x 1e-6 = 6e-6.
 */
class AliasMethodWeightedSamplerProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(4, 5, 21);
    private static final Corpus SIX = TestCorpora.synthetic(2, 3, 22);
    private static final Path DIR = weightsDir();

    private static Path weightsDir() {
        try {
            Path dir = Files.createTempDirectory("weighted-sampler");
            Path file = dir.resolve("weights.tsv");
            Files.writeString(file, CORPUS.get(0).id() + "\t0\n" + CORPUS.get(1).id() + "\t3.5\n"
                    + CORPUS.get(7).id() + "\t0.25\n");
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String configYaml() {
        return "sampler: {name: weighted, weights: weights.tsv, num_draws: 23}\nbatch: {name: fixed, size: 4}\n";
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public Path baseDir() {
        return DIR;
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void frequenciesFollowWeightsBeforeAndAfterAnUpdate(@ForAll long seed) {
        double[] weights = {0, 1, 2, 3, 0, 4};
        AliasMethodWeightedSampler sampler = AliasMethodWeightedSampler.of(SIX, weights, 4000);
        GoodnessOfFit.assertFits("weighted draws", weights,
                k -> counts(sampler, GoodnessOfFit.sampleSeed(seed, k), 0));

        sampler.updateWeights(Map.of(SIX.get(0).id(), 5.0, SIX.get(3).id(), 0.0));
        double[] updated = {5, 1, 2, 0, 0, 4};
        GoodnessOfFit.assertFits("weighted draws after an update", updated,
                k -> counts(sampler, GoodnessOfFit.sampleSeed(seed, k), 1));
    }

    private static long[] counts(AliasMethodWeightedSampler sampler, long seed, int epoch) {
        long[] counts = new long[SIX.size()];
        Iterator<Draw> it = sampler.epoch(new EpochContext(seed, epoch, 0, 1, "sampler"));
        while (it.hasNext()) {
            counts[SIX.indexOf(it.next().utteranceIds().get(0)).getAsInt()]++;
        }
        return counts;
    }
}
