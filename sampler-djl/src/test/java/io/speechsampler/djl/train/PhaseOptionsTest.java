package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.model.ConvTasNet;
import io.speechsampler.djl.model.ConvTasNetConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a recipe's phase asks of the loop: start from another run's checkpoint, leave named
 * parameters untrained, end after a number of steps, or end by a rule over its validations.
 */
class PhaseOptionsTest {

    static {
        TestSupport.offline();
    }

    private static final int LENGTH = 4000;
    private static final Corpus CORPUS = TestSupport.corpus(8, 4);

    private record Trained(List<StepReport> steps, List<Double> validations, Map<String, float[]> params) {
    }

    private static Trained train(TrainSettings s, Path init, Predicate<String> frozen, long maxSteps,
                                 Predicate<List<Double>> stop, List<List<Draw>> validation) {
        List<StepReport> steps = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        StepListener l = new StepListener() {
            @Override
            public void onStep(StepReport report) {
                steps.add(report);
            }

            @Override
            public void onValidation(int epoch, double score, boolean best) {
                scores.add(score);
            }
        };
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(TestSupport.pipeline(CORPUS, "test-pairs", 4, 5))
                .setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(2))).setTask(Task.separation(2))
                .setRenderer(TestSupport.mixtureRenderer(LENGTH)).setSettings(s).optListener(l)
                .optInitialWeights(init).optFrozen(frozen).optMaxSteps(maxSteps).optStopRule(stop)
                .optValidation(validation).build()) {
            loop.run();
            Map<String, float[]> params = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : loop.model().getBlock().getParameters()) {
                params.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            return new Trained(steps, scores, params);
        }
    }

    private static TrainSettings settings(int epochs, int validateEvery, Path dir) {
        return new TrainSettings(epochs, 0, 1e-3, 5, validateEvery, dir, 0, true, "cpu", null);
    }

    @Test
    void aPhaseStartsFromAnotherRunsWeightsAndLeavesFrozenOnesUntrained(@TempDir Path dir) {
        Path first = dir.resolve("first");
        Trained a = train(new TrainSettings(1, 2, 1e-3, 5, 0, first, 0, true, "cpu", null), null, null, 0, null,
                List.of());
        Path checkpoint = Checkpoints.resolve(first, Checkpoints.LATEST).orElseThrow();
        // everything frozen: nothing would train, which is refused
        ConfigException all = assertThrows(ConfigException.class, () -> train(new TrainSettings(1, 2, 1e-3, 5, 0,
                null, 0, true, "cpu", null), checkpoint, name -> true, 0, null, List.of()));
        assertTrue(all.getMessage().contains("every parameter of the model is frozen"), all.getMessage());
        // the encoder frozen: it keeps the checkpoint's weights exactly (so they were loaded), the
        // rest trains on
        Predicate<String> encoder = name -> name.contains("encoder");
        Trained part = train(new TrainSettings(1, 2, 1e-3, 5, 0, null, 0, true, "cpu", null), checkpoint,
                encoder, 0, null, List.of());
        int frozenCount = 0;
        int moved = 0;
        for (var e : a.params().entrySet()) {
            if (encoder.test(e.getKey())) {
                frozenCount++;
                assertArrayEquals(e.getValue(), part.params().get(e.getKey()), e.getKey());
            } else if (!java.util.Arrays.equals(e.getValue(), part.params().get(e.getKey()))) {
                moved++;
            }
        }
        assertTrue(frozenCount > 0, "the encoder's parameters are named so: " + a.params().keySet());
        assertTrue(moved > 0, "the unfrozen parameters trained");
        // the first step of a phase from the checkpoint sees the checkpoint's model: its loss is
        // not the loss of fresh weights on the same batch
        Trained fresh = train(settings(1, 0, null), null, null, 1, null, List.of());
        Trained fromCheckpoint = train(settings(1, 0, null), checkpoint, null, 1, null, List.of());
        assertTrue(fresh.steps().get(0).loss() != fromCheckpoint.steps().get(0).loss());
    }

    @Test
    void aStepBudgetEndsInsideAnEpochWithACheckpoint(@TempDir Path dir) {
        Trained t = train(settings(3, 0, dir), null, null, 5, null, List.of());
        assertEquals(5, t.steps().size(), "an epoch holds 8 batches of 4 pairs; the budget is 5 steps");
        assertEquals(Checkpoints.name(5), Checkpoints.resolve(dir, Checkpoints.LATEST).orElseThrow().getFileName()
                .toString());
    }

    @Test
    void aStopRuleEndsTheRunAtTheValidationItAccepts(@TempDir Path dir) {
        List<List<Draw>> validation = TestSupport.pipeline(CORPUS, "test-pairs", 4, 99).nextInEpoch()
                .map(b -> List.of(b.draws())).orElseThrow();
        Trained t = train(new TrainSettings(6, 2, 1e-3, 5, 1, dir, 0, true, "cpu", null), null, null, 0,
                scores -> scores.size() >= 2, validation);
        assertEquals(2, t.validations().size());
        assertEquals(4, t.steps().size(), "two epochs of two steps, of six planned");
    }
}
