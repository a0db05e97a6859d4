package io.speechsampler.audio.mix;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.FeedbackContract;
import java.nio.file.Path;

/**
 * The sampler contract with feedback (determinism, resume, sharding, elastic resume) for the
 * dynamic variant of {@code mixture-of-mixtures} (two dynamic mixtures of 1-2 sources each) run
 * through the pipeline as a user configures it. No statistical assertions: designed false-failure
 * rate 0.
 */
class MixtureOfMixturesDynamicContractTest implements FeedbackContract {

    private static final ProviderRegistry REGISTRY = ProviderRegistry.load();
    private static final Corpus CORPUS = io.speechsampler.testkit.TestCorpora.synthetic(6, 5, 13);

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        RunConfig config = RunConfig.parse("seed: " + seed + "\nsampler: {name: mixture-of-mixtures, segment_seconds: 1.0,"
                + " sources_per_mixture: [1, 2]}\nbatch: {name: fixed, size: 4}\n", "test.yaml", Path.of("."));
        return Pipeline.build(config, CORPUS, REGISTRY, rank, worldSize);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
