package io.speechsampler.djl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.djl.ndarray.Scalars;

/**
 * Mixture invariant training (Wisdom et al. 2020; jisizhang/MixIT and Asteroid's
 * {@code MixITLossWrapper}): M estimates of the mixture of mixtures {@code x1 + x2} are assigned
 * to the two reference mixtures by every one of the 2^M binary assignments (each estimate to
 * exactly one mixture); per sample the loss is the minimum over assignments of
 * {@code 1/2 sum_i -SNR_tau(x_i, (A s)_i)}, with the thresholded SNR
 * {@code 10 log10(|x|^2 / (|x - y|^2 + tau |x|^2))}, tau = 1e-3 (so the loss is at least -30 dB).
 * METHODS.md writes the same loss without the constant {@code -10 log10 |x_i|^2}; keeping it
 * makes the value read in dB and changes neither the chosen assignment nor the gradient.
 */
public final class MixItLoss {

    /** The threshold tau = 10^-3 of the papers. */
    public static final float TAU = 1e-3f;
    private static final float EPS = 1e-8f;

    private final int outputs;
    private final float[] assignments;

    private MixItLoss(int outputs) {
        this.outputs = outputs;
        int count = 1 << outputs;
        this.assignments = new float[count * 2 * outputs];
        for (int a = 0; a < count; a++) {
            for (int m = 0; m < outputs; m++) {
                int mixture = (a >> m) & 1;
                assignments[(a * 2 + mixture) * outputs + m] = 1f;
            }
        }
    }

    /** @param outputs M estimates, in [2, 8] */
    public static MixItLoss of(int outputs) {
        if (outputs < 2 || outputs > 8) {
            throw new IllegalArgumentException("MixIT outputs is not in [2, 8]: " + outputs);
        }
        return new MixItLoss(outputs);
    }

    /**
     * @param est      (batch, M, T) estimates
     * @param mixtures (batch, 2, T) the two reference mixtures
     * @return per-sample loss (batch)
     */
    public NDArray compute(NDArray est, NDArray mixtures) {
        Shape s = est.getShape();
        if (s.dimension() != 3 || s.get(1) != outputs || mixtures.getShape().dimension() != 3
                || mixtures.getShape().get(1) != 2 || mixtures.getShape().get(2) != s.get(2)) {
            throw new IllegalArgumentException("MixIT needs estimates (batch, " + outputs
                    + ", T) and mixtures (batch, 2, T): got " + s + " and " + mixtures.getShape());
        }
        NDManager m = est.getManager();
        int count = 1 << outputs;
        NDArray a = m.create(assignments, new Shape(1, (long) count * 2, outputs));
        NDArray remixed = a.matMul(est).reshape(s.get(0), count, 2, s.get(2)); // (batch, A, 2, T)
        NDArray x = mixtures.expandDims(1);
        NDArray xx = x.square().sum(new int[] {3}); // (batch, 1, 2)
        NDArray err = x.sub(remixed).square().sum(new int[] {3}); // (batch, A, 2)
        NDArray floor = Scalars.add(err.add(Scalars.mul(xx, TAU)), EPS).log10();
        NDArray snr = Scalars.mul(Scalars.add(xx, EPS).log10().sub(floor), 10f);
        NDArray perAssignment = Scalars.mul(snr.sum(new int[] {2}), -0.5f); // (batch, A)
        return perAssignment.min(new int[] {1});
    }

    /**
     * Mixture consistency (Wisdom et al. 2019) as MixIT's teacher uses it: each of the M estimates
     * gets {@code (x - sum s) / M}, so the estimates sum to the mixture x.
     *
     * @param est     (batch, M, T)
     * @param mixture (batch, T)
     */
    public static NDArray mixtureConsistency(NDArray est, NDArray mixture) {
        long m = est.getShape().get(1);
        NDArray residual = Scalars.div(mixture.sub(est.sum(new int[] {1})), (float) m);
        return est.add(residual.expandDims(1));
    }

}
