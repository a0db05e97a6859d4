package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.model.ClassifierHead;
import io.speechsampler.djl.model.LogMelFilterbank;
import io.speechsampler.djl.model.XVectorConfig;
import io.speechsampler.djl.model.XVectorTdnn;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model in the loop: a segmented component asks, at its boundaries, for the posteriors of
 * six utterances from the model that is training; the rows are posteriors; a run resumed from a
 * mid-epoch checkpoint replays the logged decisions without asking the model again, and then
 * decides what the uninterrupted run decided.
 */
class ModelInTheLoopTest {

    static {
        TestSupport.offline();
    }

    private static final Corpus CORPUS = TestSupport.corpus(4, 8);

    private record Run(PosteriorProbeStage probe, long calls, List<StepReport> steps) {
    }

    private static Run train(Path dir, long maxSteps, boolean resume) {
        String yaml = "seed: 5\nsampler: {name: shuffle}\nstages: [{name: test-posterior-probe, every: 2, items: 6}]\n"
                + "batch: {name: fixed, size: 8}\n";
        Pipeline p = Pipeline.build(RunConfig.parse(yaml, "test.yaml", Path.of(".")), CORPUS, ProviderRegistry.load(),
                0, 1);
        XVectorConfig cfg = XVectorConfig.tiny(CORPUS.numSpeakers());
        XVectorTdnn net = XVectorTdnn.of(cfg, LogMelFilterbank.standard(TestSupport.RATE, cfg.mels()),
                ClassifierHead.softmax());
        TrainSettings s = new TrainSettings(2, 0, 3e-3, 5, 0, dir, 3, true, "cpu", null);
        List<StepReport> steps = new java.util.ArrayList<>();
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(p).setBlock(net)
                .setTask(Task.classification(ClassifierHead.softmax(), CORPUS))
                .setRenderer(TestSupport.itemRenderer(4000)).setSettings(s).optMaxSteps(maxSteps)
                .optListener(steps::add).build()) {
            if (resume) {
                loop.resume();
            } else {
                loop.run();
            }
            return new Run((PosteriorProbeStage) p.stages().get(0), loop.modelCalls(), steps);
        }
    }

    @Test
    void decisionsSeeTheTrainingModelAndAResumeReplaysThemWithoutAskingAgain(@TempDir Path dir) {
        Run whole = train(dir.resolve("whole"), 0, false);
        // 32 utterances in batches of 8: 4 batches an epoch, boundaries at run batches 0, 2, 4, 6
        assertEquals(4, whole.probe().decided.size());
        assertEquals(4, whole.calls());
        for (JsonNode d : whole.probe().decided) {
            assertEquals(6, d.get("rows").asInt());
            double total = 0;
            for (JsonNode v : d.get("sum")) {
                total += v.asDouble();
            }
            assertEquals(6.0, total, 1e-4, "six rows of posteriors, each summing to 1: " + d);
        }
        assertTrue(!whole.probe().decided.get(0).get("sum").equals(whole.probe().decided.get(3).get("sum")),
                "the model trained between the first and the last decision");

        train(dir.resolve("cut"), 3, false);
        Run resumed = train(dir.resolve("cut"), 0, true);
        assertEquals(2, resumed.calls(), "the resume asks the model only at the boundaries after its checkpoint");
        assertEquals(whole.probe().decided.subList(2, 4), resumed.probe().decided,
                "and decides what the uninterrupted run decided there");
        // (as text: a replayed decision is read back from the checkpoint's JSON)
        assertEquals(whole.probe().decided.subList(0, 2).toString(), resumed.probe().applied.subList(0, 2).toString(),
                "the epoch's earlier decisions are replayed from the checkpoint's log");
        assertEquals(whole.steps().subList(3, 8).stream().map(StepReport::loss).toList(),
                resumed.steps().stream().map(StepReport::loss).toList());
    }

    @Test
    void withoutATrainerTheComponentIsRefusedWithAMessage() {
        String yaml = "seed: 5\nsampler: {name: shuffle}\nstages: [{name: test-posterior-probe}]\n"
                + "batch: {name: fixed, size: 8}\n";
        Pipeline p = Pipeline.build(RunConfig.parse(yaml, "test.yaml", Path.of(".")), CORPUS, ProviderRegistry.load(),
                0, 1);
        ConfigException e = assertThrows(ConfigException.class, p::nextInEpoch);
        assertTrue(e.getMessage().contains("model in the loop"), e.getMessage());
    }
}
