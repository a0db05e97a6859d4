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
    private final boolean consistency;

    private Evaluator(Model model, Task task, boolean consistency) {
        this.model = model;
        this.task = task;
        this.consistency = consistency;
    }

    /** For a separation model with {@code sources} outputs. */
    public static Evaluator separation(Model model, int sources) {
        return new Evaluator(model, Task.separation(sources), false);
    }

    /**
     * This evaluator with the estimates projected to sum to the mixture first
     * ({@link io.speechsampler.djl.loss.MixItLoss#mixtureConsistency}), as a MixIT teacher trained with
     * {@code mixture_consistency: true} computes them (the projection is part of its task, not of
     * its network).
     */
    public Evaluator withMixtureConsistency() {
        return new Evaluator(model, task, true);
    }

    /** For an extraction model (inputs: mixture and enrolment; one output). */
    public static Evaluator extraction(Model model) {
        return new Evaluator(model, Task.extraction(), false);
    }

    /** The model's output waveforms per row: [rows][outputs][T] (a separation model's first output). */
    public float[][][] outputs(RenderedBatch r) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            ai.djl.ndarray.NDArray est = forward(store, m, r).get(0);
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

    private NDList forward(ParameterStore store, NDManager m, RenderedBatch r) {
        NDList inputs = task.inputs(m, r);
        NDList outputs = model.getBlock().forward(store, inputs, false);
        if (!consistency) {
            return outputs;
        }
        NDList projected = new NDList(io.speechsampler.djl.loss.MixItLoss.mixtureConsistency(outputs.get(0), inputs.get(0)));
        for (int i = 1; i < outputs.size(); i++) {
            projected.add(outputs.get(i));
        }
        return projected;
    }

    /** SI-SNRi per mixture, in the order of the batches and their rows. */
    public double[] siSnrImprovement(List<RenderedBatch> batches) {
        int total = batches.stream().mapToInt(RenderedBatch::size).sum();
        double[] out = new double[total];
        int k = 0;
        for (RenderedBatch r : batches) {
            try (NDManager m = model.getNDManager().newSubManager()) {
                ParameterStore store = new ParameterStore(m, false);
                NDList outputs = forward(store, m, r);
                PerSample per = task.evaluate(outputs, new Batch(0, -1, -1, 0, List.of()), r, null, false);
                for (double v : per.metric()) {
                    out[k++] = v;
                }
            }
        }
        return out;
    }
}
