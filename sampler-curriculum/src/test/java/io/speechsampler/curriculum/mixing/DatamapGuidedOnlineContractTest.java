package io.speechsampler.curriculum.mixing;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.FeedbackContract;
import java.util.List;
import java.util.Optional;

/**
 * The sampler contract with feedback for the datamap-guided curriculum guided online by the run's
 * own {@code datamap} observer ({@code ref: dm}), with a second corpus: the contract's outcomes
 * make the datamap, whose regions change at every epoch start; 3 epochs, so that the second and
 * third draw from datamaps of 1 and 2 finished epochs, and resumes land in each. No statistical
 * assertions: designed false-failure rate 0.
 */
class DatamapGuidedOnlineContractTest implements FeedbackContract {

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        return new AllGathered(CurriculumPipelines.build(DatamapGuidedPipelines.ONLINE
                + "batch: {name: fixed, size: 4}\n", seed, rank, worldSize, 3));
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    public int contractEpochs() {
        return 3;
    }

    /**
     * A rank's pipeline as the contract drives it: every rank observes every rank's outcomes (an
     * all-gather), so its datamap already holds what every rank saw, and merging its own summary is
     * the trainer's merge (which {@link Pipeline#finishEpoch} asks for with several ranks).
     */
    record AllGathered(Pipeline p) implements BatchStream {
        @Override
        public Optional<Batch> nextInEpoch() {
            return p.nextInEpoch();
        }

        @Override
        public void observe(List<Outcome> outcomes) {
            p.observe(outcomes);
        }

        @Override
        public void finishEpoch() {
            p.mergeSummaries(List.of(p.summaries()));
            p.finishEpoch();
        }

        @Override
        public JsonNode saveState() {
            return p.saveState();
        }

        @Override
        public void restoreState(JsonNode state) {
            p.restoreState(state);
        }
    }
}
