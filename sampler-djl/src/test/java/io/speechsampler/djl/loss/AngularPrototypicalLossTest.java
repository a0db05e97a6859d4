package io.speechsampler.djl.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Crop;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.TwoViewDraw;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.train.PerSample;
import io.speechsampler.djl.train.RenderedBatch;
import io.speechsampler.djl.train.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The angular prototypical loss against a hand computation in doubles. */
class AngularPrototypicalLossTest {

    static {
        TestSupport.offline();
    }

    /** Three pairs of 2-d embeddings: rows 0 and 2 nearest their own second view, row 1 nearest row 0's. */
    private static final float[][] FIRST = {{1, 0}, {2, 0.5f}, {1, 1}};
    private static final float[][] SECOND = {{3, 1}, {-0.5f, 1}, {1, 1.2f}};

    /** -log softmax(w cos(a_i, p_.) + b)[i] by hand. */
    private static double[] byHand(double w, double b) {
        int n = FIRST.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double[] z = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double dot = FIRST[i][0] * SECOND[j][0] + FIRST[i][1] * SECOND[j][1];
                double na = Math.hypot(FIRST[i][0], FIRST[i][1]);
                double nb = Math.hypot(SECOND[j][0], SECOND[j][1]);
                z[j] = Math.max(w, 1e-6) * dot / (na * nb) + b;
                max = Math.max(max, z[j]);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            out[i] = -(z[i] - max - Math.log(sum));
        }
        return out;
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        }
        return out;
    }

    @Test
    void perSampleLossEqualsTheHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(flat(FIRST), new Shape(3, 2));
            NDArray p = m.create(flat(SECOND), new Shape(3, 2));
            for (float[] wb : new float[][] {{10, -5}, {3.5f, 0.25f}, {-2, 1}}) {
                NDArray logits = AngularPrototypicalLoss.logits(a, p, m.create(new float[] {wb[0]}),
                        m.create(new float[] {wb[1]}));
                float[] got = AngularPrototypicalLoss.perSample(logits).toFloatArray();
                double[] want = byHand(wb[0], wb[1]);
                for (int i = 0; i < 3; i++) {
                    assertEquals(want[i], got[i], 1e-5, "w " + wb[0] + ", b " + wb[1] + ", row " + i);
                }
            }
        }
    }

    @Test
    void theTaskScoresFirstViewsAgainstSecondViewsWithOneLossPerDraw() {
        List<Draw> draws = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            draws.add(TwoViewDraw.of("u" + i, new Crop(0, 10), new Crop(1, 10)));
        }
        Batch batch = new Batch(0, 0, 0, 0, draws);
        RenderedBatch r = RenderedBatch.twoViews(new float[3][10], new float[3][10]);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] both = new float[12];
            System.arraycopy(flat(FIRST), 0, both, 0, 6);
            System.arraycopy(flat(SECOND), 0, both, 6, 6);
            NDList outputs = new NDList(m.zeros(new Shape(6, 4)), m.create(both, new Shape(6, 2)),
                    m.create(new float[] {10}), m.create(new float[] {-5}));
            PerSample per = Task.contrastive().evaluate(outputs, batch, r, null, true);
            double[] want = byHand(10, -5);
            float[] got = per.loss().toFloatArray();
            assertEquals(3, got.length, "one loss per draw");
            for (int i = 0; i < 3; i++) {
                assertEquals(want[i], got[i], 1e-5, "row " + i);
            }
            // rows 0 and 2 score their own second view highest; row 1 scores row 0's
            assertArrayEquals(new double[] {1, 0, 1}, per.metric());
        }
    }

    @Test
    void aBatchOfOneDrawHasNoMetric() {
        Batch batch = new Batch(0, 0, 0, 0, List.of(TwoViewDraw.of("u", new Crop(0, 4), new Crop(0, 4))));
        try (NDManager m = NDManager.newBaseManager()) {
            NDList outputs = new NDList(m.zeros(new Shape(2, 1)), m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)),
                    m.create(new float[] {10}), m.create(new float[] {-5}));
            PerSample per = Task.contrastive().evaluate(outputs, batch, RenderedBatch.twoViews(new float[1][4],
                    new float[1][4]), null, true);
            assertTrue(Double.isNaN(per.metric()[0]));
            assertEquals(0, per.loss().getFloat(0), 1e-7, "no negatives: loss 0");
        }
    }

    @Test
    void argmaxTiesGoToTheFirstColumn() {
        assertArrayEquals(new boolean[] {true, false}, AngularPrototypicalLoss.diagonalIsArgmax(
                new float[] {1, 1, 2, 2}, 2));
    }
}
