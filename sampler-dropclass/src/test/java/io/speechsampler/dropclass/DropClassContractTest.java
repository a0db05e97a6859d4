package io.speechsampler.dropclass;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.testkit.FeedbackContract;
import io.speechsampler.testkit.TestCorpora;

/**
 * The sampler contract with feedback (determinism, resume at any round, sharding, elastic resume
 * W -> W') for the class-balanced sampler drawing from {@code drop-class}, as a user configures
 * them: 8 speakers of 4 utterances, batches of 2, 3 classes dropped anew every 3 global batches,
 * so boundaries fall inside rounds and epochs (an epoch is 16 batches: epoch 1 starts inside a
 * period). The mask's side is proved in {@link DropClassMaskProperties}. Not statistical: designed
 * false-failure rate 0.
 */
class DropClassContractTest implements FeedbackContract {

    static final Corpus CORPUS = TestCorpora.synthetic(8, 4, 15);

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        return DropClassPipelines.build(DropClassPipelines.yaml(3, "steps_per_drop: 3", 2, ""), CORPUS, seed, rank,
                worldSize);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
