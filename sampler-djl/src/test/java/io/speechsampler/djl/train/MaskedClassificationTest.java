package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.loss.MarginCrossEntropy;
import io.speechsampler.djl.model.ClassifierHead;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * A class mask keeps the live classes' columns only; that must be the masked softmax the heads
 * define (dropped classes' logits at -1e9): the same per-sample losses, metrics and gradients.
 */
class MaskedClassificationTest {

    static {
        TestSupport.offline();
    }

    @Test
    void liveColumnsGiveTheMaskedHeadsLossesMetricsAndGradients() {
        int k = 50;
        int n = 8;
        List<Utterance> utts = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            String spk = String.format(Locale.ROOT, "spk%03d", c);
            utts.add(new Utterance(spk + "-0", spk, Path.of("/x", spk + ".wav"), 0, 16000, 16000, List.of()));
        }
        Corpus corpus = Corpus.of(Path.of("x"), utts);
        BitSet live = new BitSet();
        for (int c = 0; c < k; c++) {
            if (c % 3 != 1) {
                live.set(c);
            }
        }
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
}
