package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.ndarray.Scalars;
import org.junit.jupiter.api.Test;

/**
 * A MixIT teacher trained under mixture consistency is evaluated on its projected estimates (the
 * projection is in its task, not its network): {@link Evaluator#withMixtureConsistency()} outputs
 * sum to the mixture and equal the raw outputs plus (x - sum) / M each.
 */
class EvaluatorConsistencyTest {

    static {
        TestSupport.offline();
    }

    @Test
    void projectedOutputsSumToTheMixture() {
        float[][] mixture = {TestSupport.audio("s00-u00", 400), TestSupport.audio("s01-u00", 400)};
        RenderedBatch r = RenderedBatch.separation(mixture, new float[][][] {{mixture[0], mixture[0]},
                {mixture[1], mixture[1]}});
        try (Model model = Model.newInstance("teacher")) {
            // 4 outputs: 0.1, 0.5, 0.2 and 0.4 times the input (sum 1.2 x)
            model.setBlock(new LambdaBlock(in -> {
                NDArray x = in.get(0).expandDims(1);
                return new NDList(NDArrays.concat(new NDList(Scalars.mul(x, 0.1f), Scalars.mul(x, 0.5f),
                        Scalars.mul(x, 0.2f), Scalars.mul(x, 0.4f)), 1));
            }));
            float[][][] raw = Evaluator.separation(model, 4).outputs(r);
            float[][][] projected = Evaluator.separation(model, 4).withMixtureConsistency().outputs(r);
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 400; k += 23) {
                    float x = mixture[i][k];
                    assertEquals(0.5f * x, raw[i][1][k], 1e-6f, "raw: the network's own outputs");
                    float sum = 0;
                    for (int c = 0; c < 4; c++) {
                        assertEquals(raw[i][c][k] - 0.05f * x, projected[i][c][k], 1e-6f);
                        sum += projected[i][c][k];
                    }
                    assertEquals(x, sum, 1e-5f, "the projected estimates sum to the mixture");
                }
            }
        }
    }
}
