package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.loss.MarginCrossEntropy;
import io.speechsampler.djl.model.ClassifierHead;
import io.speechsampler.djl.model.LogMelFilterbank;
import io.speechsampler.djl.model.XVectorConfig;
import io.speechsampler.djl.model.XVectorTdnn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * A class mask keeps the live classes' columns only, gathered from the full scores or computed
 * from the live rows of the class layer alone; either must be the masked softmax the heads define
 * (dropped classes' logits at -1e9): the same per-sample losses, metrics and gradients.
 */
class MaskedClassificationTest {

    static {
        TestSupport.offline();
    }

    @Test
    void liveColumnsGiveTheMaskedHeadsLossesMetricsAndGradients() {
        int k = 50;
        int n = 8;
        Corpus corpus = corpus(k);
        BitSet live = liveClasses(k);
        List<Draw> draws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            draws.add(ItemDraw.of(corpus.get(3 * i).id())); // classes 0, 3, 6, ...: live
        }
        Batch batch = new Batch(0, 0, 0, 0, draws);
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(5L);
        float[] cos = new float[n * k];
        for (int i = 0; i < cos.length; i++) {
            cos[i] = (float) (2 * rng.nextDouble() - 1);
        }
        for (ClassifierHead head : List.of(ClassifierHead.softmax(), ClassifierHead.additiveMargin(30, 0.2),
                ClassifierHead.additiveAngular(30, 0.2))) {
            for (boolean training : new boolean[] {true, false}) {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray a = m.create(cos, new Shape(n, k));
                    a.setRequiresGradient(true);
                    NDArray b = m.create(cos, new Shape(n, k));
                    b.setRequiresGradient(true);
                    PerSample sliced;
                    float[] expected;
                    float[] expectedMetric = new float[n];
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        sliced = Task.classification(head, corpus).evaluate(new NDList(a), batch, null, live, training);
                        gc.backward(sliced.loss().sum());
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        float[] hot = new float[n * k];
                        for (int i = 0; i < n; i++) {
                            hot[i * k + 3 * i] = 1;
                        }
                        NDArray oneHot = m.create(hot, new Shape(n, k));
                        NDArray logits = training ? head.trainingLogits(b, oneHot, live) : head.inferenceLogits(b, live);
                        NDArray loss = MarginCrossEntropy.perSample(logits, oneHot);
                        expected = loss.toFloatArray();
                        float[] p = head.inferenceLogits(b, live).softmax(1).toFloatArray();
                        for (int i = 0; i < n; i++) {
                            expectedMetric[i] = p[i * k + 3 * i];
                        }
                        gc.backward(loss.sum());
                    }
                    float[] got = sliced.loss().toFloatArray();
                    String what = head.kind() + (training ? " training" : " inference");
                    for (int i = 0; i < n; i++) {
                        assertEquals(expected[i], got[i], 1e-4 * Math.max(1, Math.abs(expected[i])), what + " loss " + i);
                        assertEquals(expectedMetric[i], sliced.metric()[i], 1e-6, what + " metric " + i);
                    }
                    float[] ga = a.getGradient().toFloatArray();
                    float[] gb = b.getGradient().toFloatArray();
                    for (int j = 0; j < ga.length; j++) {
                        assertEquals(gb[j], ga[j], 1e-4, what + " gradient " + j);
                    }
                }
            }
        }
    }

    /**
     * Under a mask the x-vector computes the live rows of its class layer only (its second input,
     * from the task's masked inputs): the losses, metrics and the gradients of every parameter
     * are the masked heads' (full scores, dropped logits at -1e9) and the live columns' of the
     * full scores, for all three heads; without a mask the inputs are the unmasked ones.
     */
    @Test
    void slicedClassLayerGivesTheMaskedHeadsLossesMetricsAndGradients() {
        int k = 50;
        int n = 8;
        int samples = 4000;
        Corpus corpus = corpus(k);
        BitSet live = liveClasses(k);
        List<Draw> draws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            draws.add(ItemDraw.of(corpus.get(3 * i).id()));
        }
        Batch batch = new Batch(0, 0, 0, 0, draws);
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(7L);
        float[][] crops = new float[n][samples];
        for (float[] crop : crops) {
            for (int t = 0; t < samples; t++) {
                crop[t] = (float) (rng.nextDouble() - 0.5);
            }
        }
        RenderedBatch rendered = RenderedBatch.waveforms(crops);
        for (ClassifierHead head : List.of(ClassifierHead.softmax(), ClassifierHead.additiveMargin(30, 0.2),
                ClassifierHead.additiveAngular(30, 0.2))) {
            Task task = Task.classification(head, corpus);
            for (boolean training : new boolean[] {true, false}) {
                String what = head.kind() + (training ? " training" : " inference");
                try (NDManager m = NDManager.newBaseManager()) {
                    assertEquals(1, task.inputs(m, rendered, null).size(), what + ": unmasked inputs");
                    BitSet all = new BitSet();
                    all.set(0, k);
                    assertEquals(1, task.inputs(m, rendered, all).size(), what + ": inputs with every class live");
                    Engine.getInstance().setRandomSeed(11);
                    XVectorTdnn net = XVectorTdnn.of(XVectorConfig.tiny(k), LogMelFilterbank.standard(16000, 24), head);
                    net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
                    net.initialize(m, DataType.FLOAT32, new Shape(n, samples));
                    ParameterStore store = new ParameterStore(m, false);

                    NDList slicedInputs = task.inputs(m, rendered, live);
                    assertEquals(2, slicedInputs.size(), what + ": masked inputs carry the live rows");
                    Outcome sliced = outcome(net, store, slicedInputs, training, o -> task.evaluate(o, batch, null,
                            live, training));
                    assertEquals(live.cardinality(), sliced.width, what + ": sliced score columns");
                    Outcome columns = outcome(net, store, task.inputs(m, rendered), training, o -> task.evaluate(o,
                            batch, null, live, training));
                    assertEquals(k, columns.width, what + ": full score columns");
                    Outcome penalty = outcome(net, store, task.inputs(m, rendered), training, o -> {
                        NDArray scores = o.get(0);
                        float[] hot = new float[n * k];
                        for (int i = 0; i < n; i++) {
                            hot[i * k + 3 * i] = 1;
                        }
                        NDArray oneHot = scores.getManager().create(hot, new Shape(n, k));
                        NDArray logits = training ? head.trainingLogits(scores, oneHot, live)
                                : head.inferenceLogits(scores, live);
                        float[] p = head.inferenceLogits(scores, live).softmax(1).toFloatArray();
                        double[] metric = new double[n];
                        for (int i = 0; i < n; i++) {
                            metric[i] = p[i * k + 3 * i];
                        }
                        return new PerSample(MarginCrossEntropy.perSample(logits, oneHot), metric);
                    });
                    for (Outcome other : List.of(columns, penalty)) {
                        String form = what + (other == columns ? " against live columns" : " against penalty");
                        for (int i = 0; i < n; i++) {
                            assertEquals(other.loss[i], sliced.loss[i], 1e-4 * Math.max(1, Math.abs(other.loss[i])),
                                    form + ": loss " + i);
                            assertEquals(other.metric[i], sliced.metric[i], 1e-5, form + ": metric " + i);
                        }
                        assertEquals(other.gradients.keySet(), sliced.gradients.keySet(), form + ": parameters");
                        for (Map.Entry<String, float[]> e : other.gradients.entrySet()) {
                            float[] want = e.getValue();
                            float[] got = sliced.gradients.get(e.getKey());
                            double scale = 0;
                            for (float g : want) {
                                scale = Math.max(scale, Math.abs(g));
                            }
                            assertTrue(scale > 0 || !training, form + ": " + e.getKey() + " has a gradient");
                            for (int j = 0; j < want.length; j++) {
                                assertEquals(want[j], got[j], 1e-4 * Math.max(1, scale), form + ": gradient of "
                                        + e.getKey() + " [" + j + "]");
                            }
                        }
                    }
                }
            }
        }
    }

    /** Per-sample losses and metrics of one forward and backward, and every parameter's gradient. */
    private record Outcome(int width, float[] loss, double[] metric, Map<String, float[]> gradients) {
    }

    private static Outcome outcome(XVectorTdnn net, ParameterStore store, NDList inputs, boolean training,
                                   Function<NDList, PerSample> evaluate) {
        for (var p : net.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (a.hasGradient()) {
                // gradients accumulate over collectors of arrays of a base manager
                a.getGradient().subi(a.getGradient());
            }
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = net.forward(store, inputs, true);
            PerSample per = evaluate.apply(out);
            float[] loss = per.loss().toFloatArray();
            gc.backward(per.loss().sum());
            Map<String, float[]> gradients = new TreeMap<>();
            for (var p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                if (a.hasGradient()) {
                    gradients.put(p.getKey(), a.getGradient().toFloatArray());
                }
            }
            return new Outcome((int) out.get(0).getShape().get(1), loss, per.metric(), gradients);
        }
    }

    static Corpus corpus(int k) {
        List<Utterance> utts = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            String spk = String.format(Locale.ROOT, "spk%03d", c);
            utts.add(new Utterance(spk + "-0", spk, Path.of("/x", spk + ".wav"), 0, 16000, 16000, List.of()));
        }
        return Corpus.of(Path.of("x"), utts);
    }

    /** Classes 1 mod 3 dropped. */
    static BitSet liveClasses(int k) {
        BitSet live = new BitSet();
        for (int c = 0; c < k; c++) {
            if (c % 3 != 1) {
                live.set(c);
            }
        }
        return live;
    }
}
