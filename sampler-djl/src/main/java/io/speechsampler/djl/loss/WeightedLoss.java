package io.speechsampler.djl.loss;

import ai.djl.ndarray.NDArray;
import io.speechsampler.djl.ndarray.Scalars;

/**
 * The loop's reduction of per-sample losses with constant weights (from a
 * {@link io.speechsampler.api.spi.LossWeighting}): {@code sum(w * l) / sum(w)}.
 */
public final class WeightedLoss {

    private WeightedLoss() {
    }

    /**
     * @param perSample (batch) losses
     * @param weights   one finite weight at least 0 per sample, not all 0
     */
    public static NDArray reduce(NDArray perSample, double[] weights) {
        long n = perSample.getShape().size();
        if (weights.length != n) {
            throw new IllegalArgumentException("weights length " + weights.length + " is not the batch size " + n);
        }
        float[] w = new float[weights.length];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weight " + i + " is not finite and at least 0: " + weights[i]);
            }
            w[i] = (float) weights[i];
            total += weights[i];
        }
        if (total == 0) {
            throw new IllegalArgumentException("weights are all 0: nothing to train on");
        }
        NDArray wa = perSample.getManager().create(w);
        return Scalars.div(perSample.mul(wa).sum(), (float) total);
    }
}
