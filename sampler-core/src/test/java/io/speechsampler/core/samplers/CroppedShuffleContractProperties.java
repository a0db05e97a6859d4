package io.speechsampler.core.samplers;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.core.pipeline.PipelineContract;
import io.speechsampler.testkit.TestCorpora;

/**
 * The sampler contract for {@code shuffle} with {@code crop_seconds}: crops come from the
 * sampler's own stream, so determinism, resume and sharding hold for the cropped draws too (a
 * crop longer than the corpus's shortest utterances is part of the test).
 */
class CroppedShuffleContractProperties implements PipelineContract {

    private static final Corpus CORPUS = TestCorpora.synthetic(4, 5, 12);

    @Override
    public String configYaml() {
        return "sampler: {name: shuffle, crop_seconds: 1.5}\nbatch: {name: fixed, size: 3}\n";
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
