package io.speechsampler.djl.train;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.speechsampler.api.draw.Batch;
import java.util.List;

/**
 * Per-mixture SI-SNRi (dB) of a separation model over rendered mixtures, with PIT: for each
 * mixture, the mean SI-SNR of the best permutation of the estimates minus the mean SI-SNR of
 * the mixture itself against the references.
 */
public final class Evaluator {

    private final Model model;
    private final Task task;

    private Evaluator(Model model, Task task) {
        this.model = model;
        this.task = task;
    }

    /** For a separation model with {@code sources} outputs. */
    public static Evaluator separation(Model model, int sources) {
        return new Evaluator(model, Task.separation(sources));
    }

    /** For an extraction model (inputs: mixture and enrolment; one output). */
    public static Evaluator extraction(Model model) {
        return new Evaluator(model, Task.extraction());
    }

    /** The model's output waveforms per row: [rows][outputs][T] (a separation model's first output). */
    public float[][][] outputs(RenderedBatch r) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            NDList outputs = model.getBlock().forward(store, task.inputs(m, r), false);
            ai.djl.ndarray.NDArray est = outputs.get(0);
            int rows = (int) est.getShape().get(0);
            int channels = (int) est.getShape().get(1);
            int t = (int) est.getShape().get(2);
            float[] flat = est.toFloatArray();
            float[][][] out = new float[rows][channels][t];
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(flat, (i * channels + c) * t, out[i][c], 0, t);
                }
            }
            return out;
        }
    }

    /** SI-SNRi per mixture, in the order of the batches and their rows. */
    public double[] siSnrImprovement(List<RenderedBatch> batches) {
        int total = batches.stream().mapToInt(RenderedBatch::size).sum();
        double[] out = new double[total];
        int k = 0;
        for (RenderedBatch r : batches) {
            try (NDManager m = model.getNDManager().newSubManager()) {
                ParameterStore store = new ParameterStore(m, false);
                NDList outputs = model.getBlock().forward(store, task.inputs(m, r), false);
                PerSample per = task.evaluate(outputs, new Batch(0, -1, -1, 0, List.of()), r, null, false);
                for (double v : per.metric()) {
                    out[k++] = v;
                }
            }
        }
        return out;
    }
}
