package io.speechsampler.audio.mix;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.FeedbackContract;
import java.nio.file.Path;

/**
 * The sampler contract (determinism, resume, sharding), with feedback, for {@code dynamic-mixing}
 * run through the pipeline as a user configures it. No statistical assertions: designed
 * false-failure rate 0.
 */
class DynamicMixingContractTest implements FeedbackContract {

    private static final ProviderRegistry REGISTRY = ProviderRegistry.load();

    // Fully qualified: this package has its own TestCorpora for audio-free sampling tests.
    private static final Corpus CORPUS = io.speechsampler.testkit.TestCorpora.synthetic(6, 5, 13);

    private static final String CONFIG =
            "sampler: {name: dynamic-mixing, segment_seconds: 1.0}\nbatch: {name: fixed, size: 4}\n";

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        RunConfig config = RunConfig.parse("seed: " + seed + "\n" + CONFIG, "test.yaml", Path.of("."));
        return Pipeline.build(config, CORPUS, REGISTRY, rank, worldSize);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
