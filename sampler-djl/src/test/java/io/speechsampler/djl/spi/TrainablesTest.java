package io.speechsampler.djl.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.djl.model.CosineScaleBlock;
import io.speechsampler.djl.model.SpeakerClassifierBlock;
import io.speechsampler.djl.model.XVectorTdnn;
import io.speechsampler.djl.train.RenderedBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainablesTest {

    private static final Trainables PLUGINS = Trainables.load();

    private static RunConfig config(String trainer) {
        return RunConfig.parse("sampler: {name: shuffle}\nbatch: {name: fixed, size: 2}\n" + trainer, "t.yaml",
                Path.of("."));
    }

    private static Trainables.Trainable build(String trainer) {
        return PLUGINS.build(config(trainer), 8000, 6, null);
    }

    @Test
    void everyBuiltInIsFoundByName() {
        assertEquals(List.of("conv-tasnet", "conv-tasnet-tse", "ecapa-tdnn", "xvector"), PLUGINS.models().names());
        assertEquals(List.of("classification", "contrastive", "extraction", "mixit", "separation"),
                PLUGINS.tasks().names());
        assertEquals(List.of(), PLUGINS.problems());
    }

    @Test
    void aConfigWithoutTaskTrainsTheModelsDefault() {
        assertEquals("separation", build("model: {name: conv-tasnet, sources: 3}").task());
        assertEquals(RenderSpec.mixtures(3), build("model: {name: conv-tasnet, sources: 3}").render());
        assertEquals("extraction", build("model: {name: conv-tasnet-tse, enrolment_seconds: 1.5}").task());
        assertEquals(RenderSpec.extraction(12000), build("model: {name: conv-tasnet-tse, enrolment_seconds: 1.5}")
                .render());
        Trainables.Trainable x = build("model: {name: xvector, crop_seconds: 0.5}");
        assertEquals("classification", x.task());
        assertEquals(RenderSpec.items(4000), x.render());
        assertEquals(6, x.network().classes());
    }

    @Test
    void mixitTakesUpToEightOutputsAndRendersTwoReferences() {
        Trainables.Trainable t = build("model: {name: conv-tasnet, sources: 8}\ntask: {name: mixit}");
        assertEquals(8, t.network().outputs());
        assertEquals(RenderSpec.mixtures(2), t.render());
    }

    @Test
    void mismatchesAndUnknownsAreOneLineNamingTheKey() {
        assertMessage("model: {name: conv-tasnet, sources: 5}\ntask: {name: separation}", "model.sources");
        assertMessage("model: {name: conv-tasnet, sources: 1}\ntask: {name: mixit}", "at least 2 outputs");
        assertMessage("model: {name: conv-tasnet, sources: 9}", "'model.sources' is not [1, 8]: 9");
        assertMessage("model: {name: xvector}\ntask: {name: separation}", "needs a separator network");
        assertMessage("model: {name: conv-tasnet}\ntask: {name: nope}", "unknown task 'nope'; available: "
                + "classification, contrastive, extraction, mixit, separation");
        assertMessage("model: {name: conv-tasnet}\ntask: {name: contrastive}", "task 'contrastive' needs a classifier "
                + "network");
        assertMessage("model: {name: resnet}", "unknown model 'resnet'; available: conv-tasnet, conv-tasnet-tse, ecapa-tdnn, "
                + "xvector");
        assertMessage("model: {name: xvector}\ntask: {name: classification, head: softmax, margin: 0.3}",
                "head 'softmax' has none");
        assertMessage("model: {name: xvector}\ntask: {name: classification, margin: 1.6}", "'task.margin' is not [0, 1.5]: 1.6");
        assertMessage("model: {name: conv-tasnet}\ntask: {name: mixit, m: 4}", "unknown key 'task.m'");
        assertMessage("sampler_only: 1", "unknown key 'sampler_only'");
    }

    private static void assertMessage(String trainer, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> build(trainer));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.yaml"), "names the file: " + e.getMessage());
    }

    @Test
    void theTasksHeadDecidesCosineScores() {
        // the model says softmax, the task asks for a margin head: the network must give cosines
        Trainables.Trainable t = build("model: {name: xvector, head: softmax}\n"
                + "task: {name: classification, head: aam, margin: 0.2}");
        assertTrue(t.network().block() instanceof XVectorTdnn);
        assertTrue(PLUGINS.choose(config("model: {name: xvector, head: softmax}\n"
                + "task: {name: classification, head: aam}")).cosine());
        assertTrue(!PLUGINS.choose(config("model: {name: xvector, head: softmax}")).cosine());
        assertTrue(PLUGINS.choose(config("model: {name: xvector}")).cosine(), "am by default");
    }

    @Test
    void aDrawWhoseClassIsMaskedIsRefusedNotTrainedAtLossOneBillion() {
        Trainables.Trainable t = build("model: {name: xvector, crop_seconds: 0.5}");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = m.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, new Shape(1, 6));
            List<Draw> draws = List.of(new ItemDraw("u1", List.of()));
            Batch batch = new Batch(0, 7, 0, 0, draws);
            RenderedBatch r = RenderedBatch.waveforms(new float[][] {new float[4000]});
            BitSet live = new BitSet();
            live.set(0, 6);
            var labelled = io.speechsampler.djl.train.Task.classification(
                    io.speechsampler.djl.model.ClassifierHead.additiveMargin(30, 0.4), id -> 2);
            assertTrue(Double.isFinite(labelled.evaluate(new NDList(scores), batch, r, live, true).loss()
                    .toFloatArray()[0]));
            live.clear(2);
            ConfigException e = assertThrows(ConfigException.class,
                    () -> labelled.evaluate(new NDList(scores), batch, r, live, true));
            assertTrue(e.getMessage().contains("'u1' (step 7) has class 2, which the class mask has dropped"),
                    e.getMessage());
        }
        assertEquals("classification", t.task());
    }

    @Test
    void contrastiveTrainsTheNetworkInsideABlockHoldingItsScaleAndBias() {
        Trainables.Trainable t = build("model: {name: xvector, crop_seconds: 0.5}\ntask: {name: contrastive, init_w: 7}");
        assertEquals(RenderSpec.twoViews(4000), t.render());
        assertTrue(t.network().block() instanceof CosineScaleBlock c && c.network() instanceof XVectorTdnn,
                "the trained block wraps the x-vector");
        assertEquals(Network.Signature.CLASSIFIER, t.network().signature());
        try (NDManager m = NDManager.newBaseManager()) {
            t.network().block().initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, t.network().initShapes());
            var params = t.network().block().getParameters();
            assertEquals(7f, params.get(CosineScaleBlock.SCALE).getArray().getFloat(0));
            assertEquals(-5f, params.get(CosineScaleBlock.BIAS).getArray().getFloat(0));
            var inner = ((CosineScaleBlock) t.network().block()).network().getParameters().keys();
            assertEquals(inner, params.keys().subList(0, inner.size()), "the network's parameters keep their names");
        }
    }

    @Test
    void theSpeakerLossAddsAClassifierOverTheTrainingSpeakersAndWeighsItsCrossEntropy() {
        Corpus corpus = io.speechsampler.djl.TestSupport.corpus(3, 2);
        Trainables.Trainable plain = PLUGINS.build(config("model: {name: conv-tasnet-tse, enrolment_seconds: 0.5}"),
                8000, corpus.numSpeakers(), corpus);
        assertTrue(plain.network().block() instanceof io.speechsampler.djl.model.ConvTasNet, "no classifier by default");
        Trainables.Trainable t = PLUGINS.build(config("model: {name: conv-tasnet-tse, enrolment_seconds: 0.5}\n"
                + "task: {name: extraction, speaker_loss_weight: 0.5}"), 8000, corpus.numSpeakers(), corpus);
        assertTrue(t.network().block() instanceof SpeakerClassifierBlock c
                && c.network() instanceof io.speechsampler.djl.model.ConvTasNet, "the trained block wraps the extractor");
        assertEquals(RenderSpec.extraction(4000), t.render());
        try (NDManager m = NDManager.newBaseManager()) {
            t.network().block().initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, t.network().initShapes());
            var params = t.network().block().getParameters();
            var inner = ((SpeakerClassifierBlock) t.network().block()).network().getParameters().keys();
            assertEquals(inner, params.keys().subList(0, inner.size()), "the network's parameters keep their names");
            assertEquals(new Shape(3, 32), params.get(SpeakerClassifierBlock.PREFIX + "weight").getArray().getShape(),
                    "one row per training speaker");
            // logits that put all mass on class 1 (speaker s01): the cross-entropy of s01 is ~0, of s02 is ~40
            NDArray est = m.create(new float[] {1, -1, 2, -2}, new Shape(1, 1, 4));
            NDArray logits = m.create(new float[] {-20, 20, -20}, new Shape(1, 3));
            RenderedBatch r = RenderedBatch.extraction(new float[][] {{1, 0, 2, 0}}, new float[][] {{1, -1, 2, -2}},
                    new float[][] {new float[4000]});
            MixtureDraw mix = MixtureDraw.of(List.of(io.speechsampler.api.draw.Source.of("s01-u00", 0, 0),
                    io.speechsampler.api.draw.Source.of("s02-u00", 0, 0)), 4);
            NDList out = new NDList(est, m.zeros(new Shape(1, 32)), logits);
            float right = t.loss().evaluate(out, new Batch(0, 0, 0, 0, List.of(mix.withTarget(0, "s01-u01"))), r, null,
                    true).loss().getFloat(0);
            float wrong = t.loss().evaluate(out, new Batch(0, 0, 0, 0, List.of(mix.withTarget(1, "s02-u01"))), r, null,
                    true).loss().getFloat(0);
            float validation = t.loss().evaluate(out, new Batch(0, 0, 0, 0, List.of(mix.withTarget(1, "s02-u01"))), r,
                    null, false).loss().getFloat(0);
            float sisnr = plain.loss().evaluate(new NDList(est), new Batch(0, 0, 0, 0, List.of()), r, null, true).loss()
                    .getFloat(0);
            assertEquals(sisnr, right, 1e-3, "the true class's cross-entropy is ~0");
            assertEquals(sisnr + 0.5 * 40, wrong, 1e-3, "weight 0.5 times the cross-entropy of 40 nats");
            assertEquals(sisnr, validation, 1e-6, "validation scores the SI-SNR alone");
        }
        assertMessage("model: {name: conv-tasnet-tse}\ntask: {name: extraction, speaker_loss_weight: -1}",
                "'task.speaker_loss_weight' is not [0, 100]: -1");
    }

    @Test
    void aLabelFileDecidesTheClassesWhenTraining(@TempDir Path dir) throws IOException {
        Corpus corpus = io.speechsampler.djl.TestSupport.corpus(3, 2);
        Files.writeString(dir.resolve("pseudo.tsv"), "s00-u00\tz\ns00-u01\ta\ns01-u00\tm\ns02-u01\ta\n");
        RunConfig cfg = RunConfig.parse("sampler: {name: shuffle}\nbatch: {name: fixed, size: 2}\n"
                + "model: {name: xvector, crop_seconds: 0.5}\ntask: {name: classification, labels: pseudo.tsv}\n",
                "t.yaml", dir);
        Trainables.Trainable t = PLUGINS.build(cfg, 8000, corpus.numSpeakers(), corpus);
        assertEquals(List.of("a", "m", "z"), t.classes());
        assertEquals(3, t.network().classes());
        assertEquals(3, t.loss().classes(), "the class mask covers the labels");
        Trainables.Trainable speakers = PLUGINS.build(config("model: {name: xvector, crop_seconds: 0.5}"), 8000,
                corpus.numSpeakers(), corpus);
        assertEquals(corpus.speakers(), speakers.classes());
        // loading a trained model reads no label file: model.json's count decides
        assertEquals(5, PLUGINS.build(cfg, 8000, 5, null).network().classes());
        Files.writeString(dir.resolve("pseudo.tsv"), "s00-u00\tz\nnope\ta\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PLUGINS.build(cfg, 8000, 3, corpus));
        assertEquals("t.yaml line 4: " + dir.resolve("pseudo.tsv") + " line 2: utterance 'nope' is not in the corpus "
                + "/synthetic", e.getMessage());
    }

    @Test
    void aDrawTheLabelFileLeavesOutIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Corpus corpus = io.speechsampler.djl.TestSupport.corpus(2, 2);
        Files.writeString(dir.resolve("pseudo.tsv"), "s00-u00\tk\ns01-u00\tj\n");
        RunConfig cfg = RunConfig.parse("sampler: {name: shuffle}\nbatch: {name: fixed, size: 1}\n"
                + "model: {name: xvector, crop_seconds: 0.5}\ntask: {name: classification, labels: pseudo.tsv}\n",
                "t.yaml", dir);
        var task = PLUGINS.build(cfg, 8000, 2, corpus).loss();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = m.create(new float[] {0.1f, 0.2f}, new Shape(1, 2));
            RenderedBatch r = RenderedBatch.waveforms(new float[][] {new float[4000]});
            Batch ok = new Batch(0, 0, 0, 0, List.of(ItemDraw.of("s01-u00")));
            assertTrue(Double.isFinite(task.evaluate(new NDList(scores), ok, r, null, true).loss().getFloat(0)));
            Batch unlabelled = new Batch(0, 1, 0, 0, List.of(ItemDraw.of("s01-u01")));
            ConfigException e = assertThrows(ConfigException.class,
                    () -> task.evaluate(new NDList(scores), unlabelled, r, null, true));
            assertEquals(dir.resolve("pseudo.tsv") + ": utterance 's01-u01' was drawn but has no label in this file; "
                    + "expected a line 's01-u01<TAB>label'", e.getMessage());
        }
    }
}
