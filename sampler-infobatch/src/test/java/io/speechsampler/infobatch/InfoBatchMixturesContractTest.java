package io.speechsampler.infobatch;

import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.testkit.SamplerContract;
import io.speechsampler.testkit.TestCorpora;

/**
 * {@link InfoBatchContractTest} over dynamic mixtures ({@code dynamic-mixing}; scores by pivot).
 * Not statistical: designed false-failure rate 0.
 */
class InfoBatchMixturesContractTest implements SamplerContract {

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        return Feedback.pipeline(InfoBatchResumeProperties.yaml(true), TestCorpora.synthetic(6, 10, 4), seed, rank,
                worldSize);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
