package io.speechsampler.curriculum.mixing;

import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.testkit.FeedbackContract;

/**
 * The sampler contract (determinism, resume, sharding, elastic resume), with feedback, for
 * {@code multi-factor-curriculum} with every factor moving, a second corpus, and segments of 3
 * batches in a run planned for 2 epochs, so that decisions change inside epochs. No statistical
 * assertions: designed false-failure rate 0.
 */
class MultiFactorCurriculumContractTest implements FeedbackContract {

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        return CurriculumPipelines.build(CurriculumPipelines.MULTI + "batch: {name: fixed, size: 4}\n", seed, rank,
                worldSize, 2);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
