package io.speechsampler.audio.mix;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.core.pipeline.PipelineContract;

/**
 * The sampler contract (determinism, resume, sharding) for {@code dynamic-mixing} run through the
 * pipeline as a user configures it. No statistical assertions: designed false-failure rate 0.
 */
class DynamicMixingContractTest implements PipelineContract {

    // Fully qualified: this package has its own TestCorpora for audio-free sampling tests.
    private static final Corpus CORPUS = io.speechsampler.testkit.TestCorpora.synthetic(6, 5, 13);

    @Override
    public String configYaml() {
        return "sampler: {name: dynamic-mixing, segment_seconds: 1.0}\nbatch: {name: fixed, size: 4}\n";
    }

    @Override
    public Corpus corpus() {
        return CORPUS;
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
