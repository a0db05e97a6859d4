package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.LambdaBlock;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.djl.TestSupport;
import io.speechsampler.djl.ndarray.Scalars;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The teacher-student task's targets: the teacher's outputs of largest RMS (after the mixture
 * consistency projection), and a PIT loss against them that is 0-valued for a student that
 * reproduces them.
 */
class TeacherStudentTest {

    static {
        TestSupport.offline();
    }

    /** A teacher whose 4 outputs are 0.1, 0.5, 0.2 and 0.4 times its input. */
    private static LambdaBlock teacher() {
        return new LambdaBlock(in -> {
            NDArray x = in.get(0).expandDims(1);
            return new NDList(NDArrays.concat(new NDList(Scalars.mul(x, 0.1f), Scalars.mul(x, 0.5f),
                    Scalars.mul(x, 0.2f), Scalars.mul(x, 0.4f)), 1));
        });
    }

    @Test
    void theTargetsAreTheTeachersOutputsOfLargestRms() {
        float[][] mixture = {TestSupport.audio("s00-u00", 400)};
        try (NDManager m = NDManager.newBaseManager()) {
            float[][][] plain = new TeacherStudent(teacher(), null, 2, false).targets(m, mixture);
            float[][][] projected = new TeacherStudent(teacher(), null, 2, true).targets(m, mixture);
            for (int k = 0; k < 400; k += 37) {
                float x = mixture[0][k];
                assertEquals(0.5f * x, plain[0][0][k], 1e-6f, "largest first");
                assertEquals(0.4f * x, plain[0][1][k], 1e-6f);
                // consistency adds (x - 1.2 x) / 4 = -0.05 x to every output: the order holds
                assertEquals(0.45f * x, projected[0][0][k], 1e-6f);
                assertEquals(0.35f * x, projected[0][1][k], 1e-6f);
            }
        }
    }

    @Test
    void aStudentThatReproducesTheTargetsHasTheLowestLoss() {
        float[][] mixture = {TestSupport.audio("s00-u00", 400), TestSupport.audio("s01-u00", 400)};
        TeacherStudent task = new TeacherStudent(teacher(), null, 2, false);
        try (NDManager m = NDManager.newBaseManager()) {
            float[][][] t = task.targets(m, mixture);
            // the student's outputs: the targets in the other order (PIT finds the permutation)
            float[][][] swapped = {{t[0][1], t[0][0]}, {t[1][1], t[1][0]}};
            RenderedBatch r = RenderedBatch.separation(mixture, new float[][][] {{mixture[0], mixture[0]},
                    {mixture[1], mixture[1]}});
            Batch b = new Batch(0, 0, 0, 0, List.of(io.speechsampler.api.draw.ItemDraw.of("a"),
                    io.speechsampler.api.draw.ItemDraw.of("b")));
            float[] exact = task.evaluate(new NDList(Tasks.cube(m, swapped)), b, r, null, true).loss().toFloatArray();
            // one output right, the other an unrelated signal
            float[] other = TestSupport.audio("s03-u01", 400);
            float[][][] noisy = {{t[0][0], other}, {t[1][0], other}};
            float[] worse = task.evaluate(new NDList(Tasks.cube(m, noisy)), b, r, null, true).loss().toFloatArray();
            for (int i = 0; i < 2; i++) {
                assertTrue(exact[i] < -40, "the targets themselves: " + exact[i]);
                assertTrue(worse[i] > exact[i] + 20, worse[i] + " vs " + exact[i]);
            }
            assertArrayEquals(new int[] {2, 2, 400}, new int[] {t.length, t[0].length, t[0][0].length});
        }
    }
}
