package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.ConfigOrigin;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.model.ClassifierHead;
import io.speechsampler.djl.model.ConvTasNet;
import io.speechsampler.djl.model.ConvTasNetConfig;
import io.speechsampler.djl.model.LogMelFilterbank;
import io.speechsampler.djl.model.XVectorConfig;
import io.speechsampler.djl.model.XVectorTdnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {

    static {
        TestSupport.offline();
    }

    private static final int LENGTH = 4000;

    static TrainSettings settings(int epochs, int maxSteps, Path dir) {
        return new TrainSettings(epochs, maxSteps, 1e-3, 5, 0, dir, 0, true, "cpu", null);
    }

    static List<StepReport> separation(Pipeline p, TrainSettings s, boolean resume) {
        List<StepReport> reports = new ArrayList<>();
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(p)
                .setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(2))).setTask(Task.separation(2))
                .setRenderer(TestSupport.mixtureRenderer(LENGTH)).setSettings(s).optListener(reports::add).build()) {
            if (resume) {
                loop.resume();
            } else {
                loop.run();
            }
        }
        return reports;
    }

    static double mean(List<StepReport> r, int from, int to) {
        return r.subList(from, to).stream().mapToDouble(StepReport::loss).average().orElseThrow();
    }

    @Test
    void tinyConvTasNetLowersItsLossOnSyntheticMixtures() {
        Corpus corpus = TestSupport.corpus(8, 4);
        List<StepReport> r = separation(TestSupport.pipeline(corpus, "test-pairs", 4, 11), settings(8, 0, null), false);
        assertEquals(32, r.size());
        double before = mean(r, 0, 4);
        double after = mean(r, 28, 32);
        double metricBefore = r.subList(0, 4).stream().mapToDouble(StepReport::meanMetric).average().orElseThrow();
        double metricAfter = r.subList(28, 32).stream().mapToDouble(StepReport::meanMetric).average().orElseThrow();
        System.out.printf("conv-tasnet tiny: loss first 4 steps %.2f dB, last 4 steps %.2f dB, SI-SNRi %.2f -> %.2f dB,"
                + " %.3f s/step (batch 4 x %d samples)%n", before, after, metricBefore, metricAfter,
                r.subList(1, 32).stream().mapToDouble(StepReport::seconds).average().orElseThrow(), LENGTH);
        assertTrue(after < before - 3, "loss fell from " + before + " to " + after);
        assertTrue(metricAfter > metricBefore + 3, "SI-SNRi rose from " + metricBefore + " to " + metricAfter);
    }

    /**
     * The loop renders the next batch while the current one trains, but a batch that starts a
     * segment is taken only after the current step's outcomes were observed: each decision sees
     * every earlier batch (4 batches an epoch, boundaries every 3 global batches and at epoch starts).
     */
    @Test
    void aBatchThatStartsASegmentIsTakenAfterTheOutcomesOfEveryEarlierBatch() {
        Corpus corpus = TestSupport.corpus(8, 4);
        String yaml = "seed: 3\nsampler: {name: test-pairs}\nstages: [{name: test-segment-probe, every: 3}]\n"
                + "batch: {name: fixed, size: 4}\n";
        Pipeline p = Pipeline.build(RunConfig.parse(yaml, "test.yaml", Path.of(".")), corpus, ProviderRegistry.load(),
                0, 1);
        List<StepReport> r = separation(p, settings(2, 0, null), false);
        assertEquals(8, r.size());
        List<String> seen = ((SegmentProbeStage) p.stages().get(0)).decisions.stream()
                .map(d -> "batch " + d[0] + " saw " + d[1]).toList();
        assertEquals(List.of("batch 0 saw 0", "batch 3 saw 3", "batch 4 saw 4", "batch 6 saw 6"), seen);
    }

    @Test
    void aResumedRunTakesTheSameNextStepAsAnUninterruptedOne(@TempDir Path dir) {
        Corpus corpus = TestSupport.corpus(8, 4);
        List<StepReport> whole = separation(TestSupport.pipeline(corpus, "test-pairs", 4, 5), settings(2, 3, null),
                false);
        separation(TestSupport.pipeline(corpus, "test-pairs", 4, 5), settings(1, 3, dir), false);
        assertTrue(Files.exists(dir.resolve("latest")));
        List<StepReport> resumed = separation(TestSupport.pipeline(corpus, "test-pairs", 4, 5), settings(2, 3, dir),
                true);
        assertEquals(3, resumed.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(whole.get(3 + i).step(), resumed.get(i).step());
            // same parameters, Adam moments, batch and audio: equal up to float summation order
            assertEquals(whole.get(3 + i).loss(), resumed.get(i).loss(), 1e-4, "step " + (3 + i));
        }
    }

    @Test
    void mixitAndTheMidEpochCheckpointRun(@TempDir Path dir) {
        Corpus corpus = TestSupport.corpus(4, 4);
        TrainSettings s = new TrainSettings(1, 0, 1e-3, 5, 0, dir, 1, true, "cpu", null);
        List<StepReport> reports = new ArrayList<>();
        BatchRenderer pairs = TestSupport.mixtureRenderer(LENGTH);
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(TestSupport.pipeline(corpus, "test-pairs", 2, 3))
                .setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(4))).setTask(Task.mixit(4))
                .setRenderer(pairs).setSettings(s).optListener(reports::add).build()) {
            loop.run();
        }
        assertEquals(4, reports.size());
        reports.forEach(r -> assertTrue(Double.isFinite(r.loss()) && r.loss() >= -30, "MixIT loss " + r.loss()));
        assertTrue(Files.exists(dir.resolve("latest")));
    }

    @Test
    void tinyTdnnLowersItsCrossEntropyAndKeepsTheBestCheckpoint(@TempDir Path dir) {
        Corpus corpus = TestSupport.corpus(4, 8);
        Pipeline p = TestSupport.pipeline(corpus, "shuffle", 8, 21);
        XVectorConfig cfg = XVectorConfig.tiny(corpus.numSpeakers());
        XVectorTdnn net = XVectorTdnn.of(cfg, LogMelFilterbank.standard(TestSupport.RATE, cfg.mels()),
                ClassifierHead.softmax());
        List<StepReport> reports = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        StepListener l = new StepListener() {
            @Override
            public void onStep(StepReport report) {
                reports.add(report);
            }

            @Override
            public void onValidation(int epoch, double score, boolean best) {
                scores.add(score);
            }
        };
        List<List<io.speechsampler.api.draw.Draw>> validation = List.of(List.of(
                io.speechsampler.api.draw.ItemDraw.of("s00-u00"), io.speechsampler.api.draw.ItemDraw.of("s01-u00"),
                io.speechsampler.api.draw.ItemDraw.of("s02-u00"), io.speechsampler.api.draw.ItemDraw.of("s03-u00")));
        TrainSettings s = new TrainSettings(6, 0, 3e-3, 5, 2, dir, 0, true, "cpu", null);
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(p).setBlock(net)
                .setTask(Task.classification(ClassifierHead.softmax(), corpus))
                .setRenderer(TestSupport.itemRenderer(4000)).setSettings(s).optValidation(validation)
                .optListener(l).build()) {
            TrainingSummary summary = loop.run();
            assertTrue(summary.bestCheckpoint() != null && Files.isDirectory(summary.bestCheckpoint()));
        }
        double before = mean(reports, 0, 4);
        double after = mean(reports, reports.size() - 4, reports.size());
        System.out.printf("x-vector tiny: cross-entropy first 4 steps %.3f, last 4 steps %.3f; validation p(true) %s%n",
                before, after, scores);
        assertTrue(after < before * 0.7, "cross-entropy fell from " + before + " to " + after);
        assertEquals(3, scores.size());
        assertTrue(Files.exists(dir.resolve("best")));
    }

    @Test
    void noArraysLeakOver200Steps() {
        Corpus corpus = TestSupport.corpus(4, 4);
        int[] counts = new int[201];
        List<StepReport> reports = new ArrayList<>();
        ConvTasNetConfig small = new ConvTasNetConfig(16, 8, 8, 16, 3, 2, 1, 2, true);
        TrainSettings s = new TrainSettings(100, 0, 1e-3, 5, 0, null, 0, true, "cpu", null);
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(TestSupport.pipeline(corpus, "test-pairs", 4, 9))
                .setBlock(ConvTasNet.separation(small)).setTask(Task.separation(2))
                .setRenderer(TestSupport.mixtureRenderer(400)).setSettings(s)
                .optListener(new StepListener() {
                    @Override
                    public void onStep(StepReport report) {
                        counts[reports.size()] = managed(loopModel[0]);
                        reports.add(report);
                    }
                }).build()) {
            loopModel[0] = loop.model().getNDManager();
            loop.run();
        }
        System.out.printf("live arrays after step 2: %d, after step 200: %d%n", counts[2], counts[199]);
        assertEquals(200, reports.size());
        assertEquals(counts[2], counts[199], "live arrays after step 2 and after step 200");
    }

    private static final NDManager[] loopModel = new NDManager[1];

    private static int managed(NDManager m) {
        return m.getManagedArrays().size();
    }

    @Test
    void trainSettingsBindTheTrainSectionAndNameUnknownKeys() {
        ObjectNode train = JsonNodeFactory.instance.objectNode();
        train.put("epochs", 3).put("lr", 0.01).put("checkpoint_dir", "ckpt");
        TrainSettings s = TrainSettings.fromNode(train, ConfigOrigin.NONE, Path.of("/runs"));
        assertEquals(3, s.epochs());
        assertEquals(0.01, s.lr());
        assertEquals(5.0, s.clipNorm());
        assertEquals(Path.of("/runs/ckpt"), s.checkpointDir());
        assertEquals(TrainSettings.defaults().withEpochs(3).maxStepsPerEpoch(), s.maxStepsPerEpoch());
        train.put("learning_rate", 1);
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainSettings.fromNode(train, ConfigOrigin.NONE, Path.of(".")));
        assertTrue(e.getMessage().contains("train.learning_rate"), e.getMessage());
        ObjectNode bad = JsonNodeFactory.instance.objectNode().put("clip_norm", -1);
        assertThrows(ConfigException.class, () -> TrainSettings.fromNode(bad, ConfigOrigin.NONE, Path.of(".")));
    }

    @Test
    void aNanLossNamesEpochStepAndSample() {
        Corpus corpus = TestSupport.corpus(4, 4);
        BatchRenderer good = TestSupport.mixtureRenderer(LENGTH);
        BatchRenderer nan = draws -> {
            RenderedBatch r = good.render(draws);
            r.sources()[1][0][5] = Float.NaN;
            return r;
        };
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(TestSupport.pipeline(corpus, "test-pairs", 4, 1))
                .setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(2))).setTask(Task.separation(2))
                .setRenderer(nan).setSettings(settings(1, 1, null)).build()) {
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, loop::run);
            assertTrue(e.getMessage().contains("epoch 0, step 0, sample 1"), e.getMessage());
        }
    }
}
