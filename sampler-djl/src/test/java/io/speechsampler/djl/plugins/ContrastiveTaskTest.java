package io.speechsampler.djl.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.audio.wav.WavWriter;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.model.CosineScaleBlock;
import io.speechsampler.djl.run.CorpusBatchRenderer;
import io.speechsampler.djl.spi.Trainables;
import io.speechsampler.djl.train.StepReport;
import io.speechsampler.djl.train.TrainSettings;
import io.speechsampler.djl.train.TrainingLoop;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code contrastive} trains from two-view draws, and its w and b are parameters the optimizer moves. */
class ContrastiveTaskTest {

    static {
        TestSupport.offline();
    }

    private static final String YAML = "seed: 4\nsampler: {name: two-view, crop_seconds: 0.5}\n"
            + "batch: {name: fixed, size: 4, drop_incomplete: true}\nmodel: {name: xvector, crop_seconds: 0.5}\n"
            + "task: {name: contrastive}\n";

    private static Corpus corpus(Path dir) {
        List<Utterance> u = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < 2; i++) {
                String id = String.format("s%02d-u%02d", s, i);
                Path f = dir.resolve(id + ".wav");
                WavWriter.write(f, TestSupport.audio(id, TestSupport.RATE), TestSupport.RATE);
                u.add(new Utterance(id, String.format("s%02d", s), f, 0, TestSupport.RATE, TestSupport.RATE, List.of()));
            }
        }
        return Corpus.of(dir, u);
    }

    @Test
    void twoStepsMoveTheScaleAndBiasAndLowerNothingToNaN(@TempDir Path dir) {
        Corpus corpus = corpus(dir);
        RunConfig cfg = RunConfig.parse(YAML, "c.yaml", dir);
        Trainables.Trainable t = Trainables.load().build(cfg, TestSupport.RATE, corpus.numSpeakers(), corpus);
        Pipeline p = Pipeline.build(cfg, corpus, ProviderRegistry.load(), 0, 1);
        List<StepReport> reports = new ArrayList<>();
        TrainSettings s = new TrainSettings(1, 2, 1e-2, 5, 0, null, 0, true, "cpu", null);
        float w;
        float b;
        try (TrainingLoop loop = TrainingLoop.builder().setPipeline(p).setBlock(t.network().block())
                .setTask(t.loss()).setRenderer(CorpusBatchRenderer.of(corpus, null, t.render(), 60)).setSettings(s)
                .optListener(reports::add).build()) {
            loop.run();
            var params = loop.model().getBlock().getParameters();
            w = params.get(CosineScaleBlock.SCALE).getArray().getFloat(0);
            b = params.get(CosineScaleBlock.BIAS).getArray().getFloat(0);
        }
        assertEquals(2, reports.size());
        reports.forEach(r -> assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, "loss " + r.loss()));
        reports.forEach(r -> assertTrue(r.meanMetric() >= 0 && r.meanMetric() <= 1, "accuracy " + r.meanMetric()));
        assertNotEquals(10f, w, "w trained");
        assertNotEquals(-5f, b, "b trained");
        // Adam's first steps move each parameter by about lr
        assertEquals(10f, w, 0.1f);
        assertEquals(-5f, b, 0.1f);
    }

    @Test
    void theCheckpointHoldsTheNetworksParametersFirst(@TempDir Path dir) throws IOException {
        Corpus corpus = corpus(dir);
        Trainables.Trainable t = Trainables.load().build(RunConfig.parse(YAML, "c.yaml", dir), TestSupport.RATE,
                corpus.numSpeakers(), corpus);
        CosineScaleBlock wrapper = (CosineScaleBlock) t.network().block();
        try (NDManager m = NDManager.newBaseManager()) {
            wrapper.initialize(m, DataType.FLOAT32, t.network().initShapes());
            byte[] all = bytes(wrapper);
            byte[] inner = bytes(wrapper.network());
            assertTrue(all.length > inner.length);
            assertTrue(Arrays.equals(inner, Arrays.copyOf(all, inner.length)), "the network's stream, then w and b");
        }
    }

    private static byte[] bytes(Block b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            b.saveParameters(d);
        }
        return out.toByteArray();
    }
}
