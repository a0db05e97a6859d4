package io.speechsampler.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.djl.loss.MixItLoss;
import io.speechsampler.djl.loss.PitSiSnrLoss;
import java.util.BitSet;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * PIT against a frozen teacher's estimates (teacher-student MixIT, Zhang et al. 2021;
 * jisizhang/MixIT): inside each step the teacher separates the same mixtures, with no gradient
 * through it, on the same device; its {@code S} outputs of largest RMS (after the mixture
 * consistency projection when asked) are the student's PIT targets. Ties in RMS go to the lower
 * output index. Metric: SI-SNRi against the draw's true sources when it has {@code S} of them.
 */
final class TeacherStudent implements Task {

    private final ai.djl.nn.Block teacher;
    private final AutoCloseable owner;
    private final int outputs;
    private final boolean consistency;
    private final PitSiSnrLoss loss;

    TeacherStudent(ai.djl.nn.Block teacher, AutoCloseable owner, int outputs, boolean consistency) {
        this.teacher = teacher;
        this.owner = owner;
        this.outputs = outputs;
        this.consistency = consistency;
        this.loss = PitSiSnrLoss.of(outputs);
    }

    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the teacher failed", e);
            }
        }
    }

    @Override
    public NDList inputs(NDManager manager, RenderedBatch r) {
        return new NDList(Tasks.matrix(manager, r.mixture()));
    }

    @Override
    public float[][] infer(NDList out, ModelAccess.Output output) {
        return Tasks.sources(out, output);
    }

    /** The teacher's {@code outputs} estimates of largest RMS per mixture, as constants (batch, S, T). */
    float[][][] targets(NDManager m, float[][] mixture) {
        NDArray mix = Tasks.matrix(m, mixture);
        NDArray est = teacher.forward(new ParameterStore(m, false), new NDList(mix), false).get(0).stopGradient();
        if (consistency) {
            est = MixItLoss.mixtureConsistency(est, mix);
        }
        int b = (int) est.getShape().get(0);
        int teacherOutputs = (int) est.getShape().get(1);
        int t = (int) est.getShape().get(2);
        if (teacherOutputs < outputs) {
            throw new IllegalStateException("the teacher has " + teacherOutputs + " outputs, fewer than the student's "
                    + outputs);
        }
        float[] flat = est.toFloatArray();
        float[][][] out = new float[b][outputs][];
        for (int i = 0; i < b; i++) {
            double[] energy = new double[teacherOutputs];
            for (int j = 0; j < teacherOutputs; j++) {
                for (int k = 0; k < t; k++) {
                    float v = flat[(i * teacherOutputs + j) * t + k];
                    energy[j] += v * v;
                }
            }
            int[] top = IntStream.range(0, teacherOutputs).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> -energy[j]).thenComparingInt(j -> j))
                    .limit(outputs).mapToInt(Integer::intValue).toArray();
            for (int s = 0; s < outputs; s++) {
                out[i][s] = new float[t];
                System.arraycopy(flat, (i * teacherOutputs + top[s]) * t, out[i][s], 0, t);
            }
        }
        return out;
    }

    @Override
    public PerSample evaluate(NDList out, Batch batch, RenderedBatch r, BitSet live, boolean training) {
        NDArray est = out.get(0);
        NDManager m = est.getManager();
        PitSiSnrLoss.Result res = loss.compute(est, Tasks.cube(m, targets(m, r.mixture())));
        double[] metric = new double[r.size()];
        boolean known = r.sources() != null;
        for (int i = 0; i < metric.length && known; i++) {
            known = r.sources()[i] != null && r.sources()[i].length == outputs;
        }
        if (known) {
            float[] truth = loss.compute(est, Tasks.cube(m, r.sources())).loss().toFloatArray();
            for (int i = 0; i < metric.length; i++) {
                metric[i] = -truth[i] - Tasks.baseline(r.mixture()[i], r.sources()[i]);
            }
        } else {
            java.util.Arrays.fill(metric, Double.NaN);
        }
        return new PerSample(res.loss(), metric);
    }
}
