package io.speechsampler.lossgate;

import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.draw.BatchStream;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.FeedbackContract;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;

/**
 * The sampler contract with feedback for a pipeline whose weighting is {@code loss-gate}: the gate
 * changes no draw, and its state (the epoch's counts of samples under and over it) goes through
 * every save, restore and elastic resume the contract makes. Not statistical: designed
 * false-failure rate 0.
 */
class LossGateContractTest implements FeedbackContract {

    private static final ProviderRegistry REGISTRY = ProviderRegistry.load();

    @Override
    public BatchStream stream(long seed, int rank, int worldSize) {
        String yaml = "seed: " + seed + "\nsampler: {name: shuffle}\nbatch: {name: fixed, size: 4}\n"
                + "weighting: {name: loss-gate, gate: 5.0, open_epochs: 1}\n";
        return Pipeline.build(RunConfig.parse(yaml, "test.yaml", Path.of(".")), TestCorpora.synthetic(6, 5, 13),
                REGISTRY, rank, worldSize);
    }

    @Override
    public boolean isRandom() {
        return true;
    }
}
