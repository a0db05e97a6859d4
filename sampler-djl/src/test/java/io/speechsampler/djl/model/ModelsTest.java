package io.speechsampler.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.nn.Parameter;
import io.speechsampler.djl.TestSupport;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class ModelsTest {

    static {
        TestSupport.offline();
    }

    @Test
    void convTasNetKeepsTheLengthAndTheExtractionVariantTakesAnEnrolment() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvTasNet sep = ConvTasNet.separation(ConvTasNetConfig.tiny(3));
            sep.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            sep.initialize(m, DataType.FLOAT32, new Shape(2, 1001));
            NDArray out = sep.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 1001))),
                    false).singletonOrThrow();
            assertEquals(new Shape(2, 3, 1001), out.getShape());

            ConvTasNet tse = ConvTasNet.extraction(ConvTasNetConfig.tiny(1));
            tse.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            tse.initialize(m, DataType.FLOAT32, new Shape(2, 800), new Shape(2, 640));
            NDList both = tse.forward(new ParameterStore(m, false),
                    new NDList(m.randomNormal(new Shape(2, 800)), m.randomNormal(new Shape(2, 640))), false);
            assertEquals(2, both.size());
            assertEquals(new Shape(2, 1, 800), both.get(0).getShape());
            assertEquals(new Shape(2, ConvTasNetConfig.tiny(1).b()), both.get(1).getShape());

            ConvTasNet film = ConvTasNet.extraction(ConvTasNetConfig.tiny(1), ConvTasNet.Conditioning.FILM, 3);
            film.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            film.initialize(m, DataType.FLOAT32, new Shape(2, 800), new Shape(2, 640));
            NDList filmed = film.forward(new ParameterStore(m, false),
                    new NDList(m.randomNormal(new Shape(2, 800)), m.randomNormal(new Shape(2, 640))), false);
            assertEquals(new Shape(2, 1, 800), filmed.get(0).getShape());
            var names = film.getParameters().keys();
            assertEquals(true, names.stream().anyMatch(k -> k.contains("speaker_bias_")), names.toString());
            assertEquals(true, names.stream().anyMatch(k -> k.contains("speaker_tcn2_")), "a third enrolment block");
            assertEquals(false, tse.getParameters().keys().stream().anyMatch(k -> k.contains("speaker_bias_")),
                    "the default multiplies only: a checkpoint of the earlier model loads");
        }
    }

    @Test
    void overlapAddSumsHalfFrames() {
        try (NDManager m = NDManager.newBaseManager()) {
            // two frames of length 4, hop 2: [1 2 3 4] and [10 20 30 40] -> [1 2 13 24 30 40]
            NDArray frames = m.create(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, new Shape(1, 2, 4));
            float[] out = ConvTasNet.overlapAdd(frames, 2).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2, 13, 24, 30, 40}, out);
        }
    }

    @Test
    void maskedClassesGetZeroProbabilityInEveryHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray cos = m.create(new float[] {0.9f, 0.8f, -0.2f, 0.1f, 0.3f, 0.95f, 0.2f, -0.5f}, new Shape(2, 4));
            NDArray oneHot = m.create(new float[] {1, 0, 0, 0, 0, 0, 0, 1}, new Shape(2, 4));
            BitSet live = new BitSet();
            live.set(0);
            live.set(3);
            for (ClassifierHead head : new ClassifierHead[] {ClassifierHead.softmax(), ClassifierHead.named("am"),
                    ClassifierHead.named("aam")}) {
                for (NDArray logits : new NDArray[] {head.trainingLogits(cos, oneHot, live),
                        head.inferenceLogits(cos, live)}) {
                    float[] p = logits.softmax(1).toFloatArray();
                    for (int row = 0; row < 2; row++) {
                        assertEquals(0f, p[row * 4 + 1], head.kind() + " class 1");
                        assertEquals(0f, p[row * 4 + 2], head.kind() + " class 2");
                        assertEquals(1f, p[row * 4] + p[row * 4 + 3], 1e-5, head.kind() + " live mass");
                    }
                }
            }
            // CosFace lowers the true class's logit by s*m = 12
            float[] am = ClassifierHead.named("am").trainingLogits(cos, oneHot, null).toFloatArray();
            assertEquals(30 * (0.9f - 0.4f), am[0], 1e-4);
            assertEquals(30 * 0.8f, am[1], 1e-4);
        }
    }

    @Test
    void xVectorGivesScoresAndEmbeddings() {
        try (NDManager m = NDManager.newBaseManager()) {
            XVectorConfig cfg = XVectorConfig.tiny(5);
            XVectorTdnn net = XVectorTdnn.of(cfg, LogMelFilterbank.standard(TestSupport.RATE, cfg.mels()),
                    ClassifierHead.named("am"));
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(m, DataType.FLOAT32, new Shape(3, 4000));
            NDList out = net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(3, 4000))),
                    false);
            assertEquals(new Shape(3, 5), out.get(0).getShape());
            assertEquals(new Shape(3, 64), out.get(1).getShape());
            float[] cos = out.get(0).toFloatArray();
            for (float c : cos) {
                assertTrue(c >= -1.0001f && c <= 1.0001f, "cosine " + c);
            }
        }
    }

    @Test
    void ecapaTdnnGivesScoresAndEmbeddingsAndItsGradientReachesEveryParameter() {
        try (NDManager m = NDManager.newBaseManager()) {
            EcapaTdnn.Config cfg = EcapaTdnn.Config.tiny(5);
            EcapaTdnn net = EcapaTdnn.of(cfg, LogMelFilterbank.standard(TestSupport.RATE, cfg.mels()), true);
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(m, DataType.FLOAT32, new Shape(3, 4000));
            NDList out = net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(3, 4000))),
                    false);
            assertEquals(new Shape(3, 5), out.get(0).getShape());
            assertEquals(new Shape(3, 64), out.get(1).getShape());
            for (float c : out.get(0).toFloatArray()) {
                assertTrue(c >= -1.0001f && c <= 1.0001f, "cosine " + c);
            }
            // under a class mask (live rows as a second input) the scores are the full scores' live columns
            NDArray wave = m.randomNormal(new Shape(3, 4000));
            NDArray full = net.forward(new ParameterStore(m, false), new NDList(wave), false).get(0);
            NDArray rows = m.create(new long[] {0, 2, 3});
            NDArray sliced = net.forward(new ParameterStore(m, false), new NDList(wave, rows), false).get(0);
            assertEquals(new Shape(3, 3), sliced.getShape());
            float[] a = full.get(new ai.djl.ndarray.index.NDIndex(":, {}", rows)).toFloatArray();
            float[] b = sliced.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5f, "live column " + i);
            }
            // a training forward and backward: every parameter gets a finite, non-zero gradient
            net.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(p.getValue().requiresGradient()));
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDList train = net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(3, 4000))),
                        true);
                gc.backward(train.get(0).sum().add(train.get(1).square().sum()));
            }
            for (var p : net.getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue;   // batch norms' running statistics
                }
                NDArray g = p.getValue().getArray().getGradient();
                float[] v = g.toFloatArray();
                double norm = 0;
                for (float x : v) {
                    assertTrue(Float.isFinite(x), p.getKey());
                    norm += x * x;
                }
                assertTrue(norm > 0, "no gradient reaches " + p.getKey());
            }
        }
    }
}
