package io.speechsampler.dropclass;

import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.testkit.FeedbackContract;

/**
 * The sampler contract with feedback for {@code drop-class} in mode {@code per_batch} (a new set
 * at every global batch, so every batch starts a segment) under the class-balanced sampler:
 * 8 speakers of 4 utterances, batches of 3, 4 classes dropped. Not statistical: designed
 * false-failure rate 0.
 */
class DropClassPerBatchContractTest implements FeedbackContract {

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        return DropClassPipelines.build(DropClassPipelines.yaml(4, "mode: per_batch", 3, ""),
                DropClassContractTest.CORPUS, seed, rank, worldSize);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
