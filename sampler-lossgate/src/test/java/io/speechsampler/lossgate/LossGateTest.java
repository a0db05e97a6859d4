package io.speechsampler.lossgate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code loss-gate}: the LGL mask, the open phase, the pipeline's epochs, state and config errors. */
class LossGateTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(2, 3, 5);

    private static Pipeline pipeline(String weighting) {
        RunConfig cfg = RunConfig.parse("seed: 3\nsampler: shuffle\nbatch: {name: fixed, size: 3}\nweighting: "
                + weighting + "\n", "gate.yaml", Path.of("."));
        return Pipeline.build(cfg, CORPUS, ProviderRegistry.load(), 0, 1);
    }

    /** The authors' mask: ce_i <= gate (a loss equal to the gate passes). */
    @Test
    void weightIsOneExactlyForLossesAtMostTheGate() {
        LossGate g = LossGate.of(3, 0);
        assertArrayEquals(new double[] {1, 1, 0, 1, 0}, g.weights(List.of(), new double[] {0.5, 3.0, 3.0001, -1, 40},
                new double[5]));
        assertArrayEquals(new double[] {0, 0}, g.weights(List.of(), new double[] {4, 5}, new double[2]),
                "no sample passing is allowed: the loop then skips the update");
    }

    @Test
    void openEpochsLetEverySampleThroughThenTheGateCloses() {
        LossGate g = LossGate.of(1, 2);
        double[] losses = {0.5, 2, 7};
        assertTrue(g.isOpen());
        assertArrayEquals(new double[] {1, 1, 1}, g.weights(List.of(), losses, new double[3]));
        g.endEpoch(0);
        assertArrayEquals(new double[] {1, 1, 1}, g.weights(List.of(), losses, new double[3]));
        g.endEpoch(1);
        assertFalse(g.isOpen());
        assertArrayEquals(new double[] {1, 0, 0}, g.weights(List.of(), losses, new double[3]));
        g.endEpoch(2);
        assertEquals(List.of(new LossGate.EpochCount(0, 3, 3, 1, 0, 0), new LossGate.EpochCount(1, 3, 3, 1, 0, 0),
                new LossGate.EpochCount(2, 1, 3, 1, 0, 0)), g.history(), "open epochs count what would pass, too");
        assertEquals(1 / 3.0, g.history().get(2).fraction(), 1e-15);
    }

    @Test
    void aNonFiniteLossIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossGate.of(2, 0).weights(List.of(), new double[] {1, Double.NaN}, new double[2]));
        assertTrue(e.getMessage().contains("loss 1") && e.getMessage().contains("NaN"), e.getMessage());
    }

    /** Built by name from YAML; learns epochs from the pipeline; its state resumes in a fresh pipeline. */
    @Test
    void inAPipelineTheGateFollowsEpochsAndResumes() throws Exception {
        Pipeline p = pipeline("{name: loss-gate, gate: 2.5, open_epochs: 1}");
        LossGate g = (LossGate) p.weighting();
        drainEpoch(p, g, new double[] {1, 2, 3});
        assertFalse(g.isOpen(), "one open epoch, then the gate closes");
        Optional<Batch> b = p.nextInEpoch();
        assertArrayEquals(new double[] {1, 1, 0}, g.weights(b.get().draws(), new double[] {1, 2, 3}, new double[3]));

        String state = new ObjectMapper().writeValueAsString(p.saveState());
        Pipeline resumed = pipeline("{name: loss-gate, gate: 2.5, open_epochs: 1}");
        resumed.restoreState(new ObjectMapper().readTree(state));
        LossGate r = (LossGate) resumed.weighting();
        assertFalse(r.isOpen());
        assertEquals(g.history(), r.history());
        assertEquals(g.saveState(), r.saveState());
        assertEquals(List.of(new LossGate.EpochCount(0, 6, 6, 4, 0, 0)), r.history(),
                "6 utterances, all through while open, 4 of them under the gate");
    }

    private static void drainEpoch(Pipeline p, LossGate g, double[] losses) {
        Optional<Batch> b;
        while ((b = p.nextInEpoch()).isPresent()) {
            g.weights(b.get().draws(), losses, new double[losses.length]);
        }
        p.finishEpoch();
    }

    @Test
    void aStateForAnotherGateIsRefused() {
        JsonNode other = LossGate.of(1, 0).saveState();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LossGate.of(2, 0).restoreState(other));
        assertTrue(e.getMessage().contains("gate"), e.getMessage());
    }

    @Test
    void configErrorsNameTheKeyAndValue() {
        ConfigException zero = assertThrows(ConfigException.class, () -> pipeline("{name: loss-gate, gate: 0}"));
        assertTrue(zero.getMessage().contains("gate") && zero.getMessage().contains("> 0"), zero.getMessage());
        ConfigException infinite = assertThrows(ConfigException.class, () -> pipeline("{name: loss-gate, gate: .inf}"));
        assertTrue(infinite.getMessage().contains("'weighting.gate' must be a finite number"), infinite.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> pipeline("{name: loss-gate}"));
        assertTrue(missing.getMessage().contains("gate"), missing.getMessage());
        ConfigException negative = assertThrows(ConfigException.class,
                () -> pipeline("{name: loss-gate, gate: 1, open_epochs: -1}"));
        assertTrue(negative.getMessage().contains("open_epochs") && negative.getMessage().contains("-1"),
                negative.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> pipeline("{name: loss-gate, gate: 1, gates: [1, 3]}"));
        assertTrue(unknown.getMessage().contains("gates"), unknown.getMessage());
    }
}
