package io.speechsampler.infobatch;

import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.testkit.SamplerContract;

/**
 * The sampler contract (determinism, resume at any step, sharding, elastic resume) for
 * {@code info-batch} over items ({@code shuffle}) as a user configures it. The contract feeds no
 * outcomes, so every score stays at its start and nothing is pruned here; the pruning paths are
 * proved fed in {@link InfoBatchResumeProperties}. Not statistical: designed false-failure rate 0.
 */
class InfoBatchContractTest implements SamplerContract {

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        return Feedback.pipeline(InfoBatchResumeProperties.yaml(false), io.speechsampler.testkit.TestCorpora.synthetic(
                6, 10, 4), seed, rank, worldSize);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
