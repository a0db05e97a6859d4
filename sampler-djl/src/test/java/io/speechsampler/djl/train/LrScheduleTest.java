package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.djl.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrScheduleTest {

    static {
        TestSupport.offline();
    }

    @Test
    void warmUpIsLinearAndCosineRunsFromLrToTheFinalRate() {
        LrSchedule s = new LrSchedule("cosine", 4, 1e-4);
        double lr = 2e-3;
        assertEquals(lr / 4, s.rate(lr, 0, 104), 1e-15);
        assertEquals(lr * 3 / 4, s.rate(lr, 2, 104), 1e-15);
        assertEquals(lr, s.rate(lr, 4, 104), 1e-15);
        // half-way through the 100 steps after the warm-up: the mean of the two rates
        assertEquals((lr + 1e-4) / 2, s.rate(lr, 54, 104), 1e-15);
        assertEquals(1e-4 + (lr - 1e-4) * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.rate(lr, 29, 104), 1e-15);
        assertEquals(1e-4, s.rate(lr, 104, 104), 1e-15);
        assertEquals(1e-4, s.rate(lr, 500, 104), 1e-15);
        LrSchedule warm = new LrSchedule("constant", 3, 0);
        assertEquals(lr / 3, warm.rate(lr, 0, -1), 1e-15);
        assertEquals(lr, warm.rate(lr, 3, -1), 1e-15);
        assertTrue(LrSchedule.CONSTANT.isConstant());
    }

    @Test
    void theTrainSectionNamesABadSchedule() {
        ObjectNode train = new ObjectMapper().createObjectNode().put("lr", 0.002).put("lr_schedule", "cosine")
                .put("lr_final", 0.002);
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainSettings.fromNode(train, ConfigOrigin.NONE, Path.of(".")));
        assertTrue(e.getMessage().contains("'train.lr_final' 0.002 is not below 'train.lr' 0.002"), e.getMessage());
        train.put("lr_final", 0.0001).put("lr_schedule", "linear");
        e = assertThrows(ConfigException.class, () -> TrainSettings.fromNode(train, ConfigOrigin.NONE, Path.of(".")));
        assertTrue(e.getMessage().contains("lr_schedule"), e.getMessage());
        train.put("lr_schedule", "cosine").put("lr_warmup_steps", 10);
        TrainSettings s = TrainSettings.fromNode(train, ConfigOrigin.NONE, Path.of("."));
        assertEquals(new LrSchedule("cosine", 10, 0.0001), s.lrSchedule());
    }

    private static TrainSettings cosine(Path dir) {
        return new TrainSettings(2, 3, 3e-3, 5, 0, dir, 1, true, "cpu", null, new LrSchedule("cosine", 2, 1e-4));
    }

    /**
     * A cosine schedule over a pipeline whose epochs have no known size (and no step budget) is
     * refused in one line before the first step: nothing trained, no checkpoint.
     */
    @Test
    void cosineIsRefusedBeforeTheFirstStepWhenTheRunsLengthIsUnknown(@TempDir Path dir) {
        Corpus corpus = TestSupport.corpus(8, 4);
        Path run = dir.resolve("run");
        List<StepReport> steps = new ArrayList<>();
        ConfigException e = assertThrows(ConfigException.class,
                () -> steps.addAll(TrainingLoopTest.separation(TestSupport.pipeline(corpus, "test-pairs, unsized: true",
                        4, 5), cosine(run), false)));
        assertEquals("train.lr_schedule 'cosine' needs the run's planned length, but the epochs of this pipeline "
                + "have no known size; expected a phase with end: {steps: N}, or lr_schedule: constant", e.getMessage());
        assertTrue(steps.isEmpty());
        assertFalse(Files.exists(run.resolve("latest")), "no checkpoint");
        // the same pipeline trains with a constant rate
        assertEquals(6, TrainingLoopTest.separation(TestSupport.pipeline(corpus, "test-pairs, unsized: true", 4, 5),
                TrainingLoopTest.settings(2, 3, null), false).size());
    }

    /** A run killed after its third step and resumed takes the scheduled rates of the whole run. */
    @Test
    void aKilledCosineRunResumesOnTheSameRates(@TempDir Path dir) throws Exception {
        Corpus corpus = TestSupport.corpus(8, 4);
        List<StepReport> constant = TrainingLoopTest.separation(TestSupport.pipeline(corpus, "test-pairs", 4, 5),
                TrainingLoopTest.settings(2, 3, null), false);
        List<StepReport> whole = TrainingLoopTest.separation(TestSupport.pipeline(corpus, "test-pairs", 4, 5),
                cosine(null), false);
        assertEquals(6, whole.size());
        assertEquals(constant.get(0).loss(), whole.get(0).loss(), 1e-6, "the first step's loss precedes any update");
        assertTrue(Math.abs(constant.get(1).loss() - whole.get(1).loss()) > 1e-4,
                "the warm-up's half rate changed the first update: " + constant.get(1).loss() + " vs "
                        + whole.get(1).loss());
        Path run = dir.resolve("run");
        List<StepReport> first = new ArrayList<>();
        RuntimeException kill = new RuntimeException("killed");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
            try (TrainingLoop loop = TrainingLoop.builder().setPipeline(TestSupport.pipeline(corpus, "test-pairs", 4, 5))
                    .setBlock(io.speechsampler.djl.model.ConvTasNet.separation(
                            io.speechsampler.djl.model.ConvTasNetConfig.tiny(2)))
                    .setTask(Task.separation(2)).setRenderer(TestSupport.mixtureRenderer(4000))
                    .setSettings(cosine(run)).optListener(r -> {
                        first.add(r);
                        if (first.size() == 4) {
                            throw kill;
                        }
                    }).build()) {
                loop.run();
            }
        });
        assertEquals(kill, thrown);
        assertTrue(Files.exists(run.resolve("latest")));
        List<StepReport> resumed = TrainingLoopTest.separation(TestSupport.pipeline(corpus, "test-pairs", 4, 5),
                cosine(run), true);
        assertEquals(3, resumed.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(whole.get(3 + i).step(), resumed.get(i).step());
            assertEquals(whole.get(3 + i).loss(), resumed.get(i).loss(), 1e-4, "step " + (3 + i));
        }
    }
}
