package io.speechsampler.infobatch;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.MergeableProperty;
import java.nio.file.Path;
import java.util.List;

/** Pipelines built as a user configures them, and the loop's feedback (weigh, then observe seeded outcomes). */
final class Feedback {

    static final ProviderRegistry REGISTRY = ProviderRegistry.load();

    /** Losses are uniform in [0, 6): about half of the samples end below the mean score once seen. */
    static final double MAX_LOSS = 6;

    private Feedback() {
    }

    static Pipeline pipeline(String yaml, Corpus corpus, long seed, int rank, int world) {
        RunConfig config = RunConfig.parse("seed: " + seed + "\n" + yaml, "test.yaml", Path.of("."));
        return Pipeline.build(config, corpus, REGISTRY, rank, world);
    }

    /** Trains a batch as the loop does: weights from the pipeline, then its outcomes observed; returns the weights. */
    static double[] train(Pipeline p, Batch b, long outcomeSeed) {
        List<Outcome> outcomes = MergeableProperty.outcomes(b, outcomeSeed, MAX_LOSS);
        double[] losses = outcomes.stream().mapToDouble(Outcome::loss).toArray();
        double[] metrics = outcomes.stream().mapToDouble(Outcome::metric).toArray();
        double[] w = p.weigh(b.draws(), losses, metrics);
        p.observe(outcomes);
        return w;
    }
}
