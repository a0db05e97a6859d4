package io.speechsampler.djl.ndarray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.loss.MarginCrossEntropy;
import io.speechsampler.djl.loss.MixItLoss;
import io.speechsampler.djl.loss.PitSiSnrLoss;
import io.speechsampler.djl.loss.WeightedLoss;
import io.speechsampler.djl.model.ClassifierHead;
import io.speechsampler.djl.model.ConvTasNet;
import io.speechsampler.djl.model.ConvTasNetConfig;
import io.speechsampler.djl.model.LogMelFilterbank;
import io.speechsampler.djl.model.XVectorConfig;
import io.speechsampler.djl.model.XVectorTdnn;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Regression test for the scalar use-after-free of DJL's PyTorch engine (package documentation): a
 * garbage collection between forward and backward must not change any gradient. Each case computes
 * every parameter gradient of one step from the same seeded weights and inputs four times: twice
 * without a GC (one CPU thread is bit-reproducible, checked here) and twice with several GCs,
 * finalisation and native-memory churn between forward and backward; all must be equal and finite.
 * With Java numbers in the graph, the GC runs got NaN or infinite gradients in every parameter.
 */
class GcBetweenForwardAndBackwardTest {

    static {
        TestSupport.offline();
    }

    private static final int LENGTH = 2000;
    private static final double[] WEIGHTS = {1, 2, 0.5, 1};

    @Test
    void separationGradientsAreTheSameWithAGcBeforeBackward() {
        PitSiSnrLoss pit = PitSiSnrLoss.of(2);
        check("separation", () -> ConvTasNet.separation(ConvTasNetConfig.tiny(2)), this::mixtures,
                out -> pit.compute(out.get(0), sources(out.get(0).getManager())).loss());
    }

    @Test
    void mixitGradientsAreTheSameWithAGcBeforeBackward() {
        MixItLoss mixit = MixItLoss.of(2);
        check("mixit", () -> ConvTasNet.separation(ConvTasNetConfig.tiny(2)), this::mixtures,
                out -> mixit.compute(MixItLoss.mixtureConsistency(out.get(0), mixture(out.get(0).getManager())),
                        sources(out.get(0).getManager())));
    }

    @Test
    void marginClassifierGradientsAreTheSameWithAGcBeforeBackward() {
        XVectorConfig cfg = XVectorConfig.tiny(4);
        float[] classes = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        for (String name : new String[] {"am", "aam"}) {
            ClassifierHead head = ClassifierHead.named(name);
            check("x-vector " + name,
                    () -> XVectorTdnn.of(cfg, LogMelFilterbank.standard(TestSupport.RATE, cfg.mels()), head),
                    this::mixtures, out -> {
                        NDArray oneHot = out.get(0).getManager().create(classes, new Shape(4, 4));
                        return MarginCrossEntropy.perSample(head.trainingLogits(out.get(0), oneHot, null), oneHot);
                    });
        }
    }

    private NDList mixtures(NDManager m) {
        return new NDList(mixture(m));
    }

    private static NDArray mixture(NDManager m) {
        float[][][] src = rows();
        float[] mix = new float[src.length * LENGTH];
        for (int i = 0; i < src.length; i++) {
            for (int t = 0; t < LENGTH; t++) {
                mix[i * LENGTH + t] = src[i][0][t] + src[i][1][t];
            }
        }
        return m.create(mix, new Shape(src.length, LENGTH));
    }

    private static NDArray sources(NDManager m) {
        float[][][] src = rows();
        float[] flat = new float[src.length * 2 * LENGTH];
        for (int i = 0; i < src.length; i++) {
            for (int j = 0; j < 2; j++) {
                System.arraycopy(src[i][j], 0, flat, (i * 2 + j) * LENGTH, LENGTH);
            }
        }
        return m.create(flat, new Shape(src.length, 2, LENGTH));
    }

    /** Four tone + noise pairs of the synthetic corpus. */
    private static float[][][] rows() {
        float[][][] src = new float[4][][];
        for (int i = 0; i < 4; i++) {
            src[i] = new float[][] {TestSupport.audio(String.format("s%02d-u00", 2 * i), LENGTH),
                    TestSupport.audio(String.format("s%02d-u01", 2 * i + 1), LENGTH)};
        }
        return src;
    }

    private static void check(String what, Supplier<Block> block, Function<NDManager, NDList> inputs,
                              Function<NDList, NDArray> perSample) {
        Map<String, float[]> first = gradients(block.get(), inputs, perSample, false);
        Map<String, float[]> second = gradients(block.get(), inputs, perSample, false);
        for (Map.Entry<String, float[]> e : first.entrySet()) {
            for (float v : e.getValue()) {
                assertTrue(Float.isFinite(v), what + ": gradient of " + e.getKey() + " is not finite without a GC");
            }
            assertTrue(Arrays.equals(e.getValue(), second.get(e.getKey())),
                    what + ": two runs without a GC differ in " + e.getKey() + ": the engine is not reproducible here");
        }
        for (int run = 1; run <= 2; run++) {
            Map<String, float[]> collected = gradients(block.get(), inputs, perSample, true);
            assertEquals(first.keySet(), collected.keySet());
            List<String> differ = new ArrayList<>();
            for (Map.Entry<String, float[]> e : first.entrySet()) {
                if (!Arrays.equals(e.getValue(), collected.get(e.getKey()))) {
                    differ.add(e.getKey() + " " + summary(e.getValue(), collected.get(e.getKey())));
                }
            }
            if (!differ.isEmpty()) {
                fail(what + ", GC run " + run + ": a GC between forward and backward changed " + differ.size() + " of "
                        + first.size() + " parameter gradients, e.g. " + String.join("; ",
                        differ.subList(0, Math.min(3, differ.size()))));
            }
        }
    }

    private static String summary(float[] expected, float[] actual) {
        int nonFinite = 0;
        int changed = 0;
        for (int i = 0; i < expected.length; i++) {
            nonFinite += Float.isFinite(actual[i]) ? 0 : 1;
            changed += Float.compare(expected[i], actual[i]) == 0 ? 0 : 1;
        }
        return "(" + changed + " of " + expected.length + " values differ, " + nonFinite + " not finite)";
    }

    /** One forward and backward of the weighted per-sample loss from freshly seeded weights; gradients by name. */
    private static Map<String, float[]> gradients(Block block, Function<NDManager, NDList> inputs,
                                                  Function<NDList, NDArray> perSample, boolean gc) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Model model = Model.newInstance("gc-test", Device.cpu())) {
            model.setBlock(block);
            Engine.getInstance().setRandomSeed(1234);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                    .optDevices(new Device[] {Device.cpu()}))) {
                try (NDManager scratch = trainer.getManager().newSubManager()) {
                    NDList in = inputs.apply(scratch);
                    trainer.initialize(in.getShapes());
                    List<ByteBuffer> churn = null;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss = WeightedLoss.reduce(perSample.apply(trainer.forward(in)), WEIGHTS);
                        if (gc) {
                            churn = collectGarbage();
                        }
                        collector.backward(loss);
                    }
                    // the NaN-filled buffers must hold the freed memory until backward has run
                    Reference.reachabilityFence(churn);
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        Parameter param = p.getValue();
                        if (param.requiresGradient()) {
                            out.put(p.getKey(), param.getArray().getGradient().toFloatArray());
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Several GCs with finalisation (direct buffers of closed arrays are freed by their cleaners),
     * then small direct buffers filled with NaN, which tend to take over the freed native memory.
     */
    private static List<ByteBuffer> collectGarbage() {
        List<ByteBuffer> churn = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 256; i++) {
                Reference.reachabilityFence(new byte[16 * 1024]); // garbage for the collector
            }
            System.gc();
            System.runFinalization();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 512; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 << (i % 4));
                while (b.remaining() >= 4) {
                    b.putFloat(Float.NaN);
                }
                churn.add(b);
            }
        }
        return churn;
    }
}
