package io.speechsampler.curriculum.mixing;

import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.testkit.FeedbackContract;

/**
 * The sampler contract with feedback (determinism, resume inside segments, sharding, elastic
 * resume) for the datamap-guided curriculum guided by an earlier run's {@code datamap.csv}, with
 * segments of 3 batches over 2 planned epochs so that the region weights change inside epochs. No
 * statistical assertions: designed false-failure rate 0.
 */
class DatamapGuidedFromFileContractTest implements FeedbackContract {

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        return CurriculumPipelines.build(DatamapGuidedPipelines.FROM + "batch: {name: fixed, size: 4}\n", seed, rank,
                worldSize, 2);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
