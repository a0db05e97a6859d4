package io.speechsampler.djl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Global L2-norm gradient clipping as the papers use it (clip at 5): when the norm of all
 * gradients together exceeds {@code maxNorm}, every gradient is scaled by {@code maxNorm / norm}.
 * DJL's {@code optClipGrad} clips element-wise on PyTorch, which is a different thing.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Clips in place and returns the norm before clipping. When the norm is not finite (a NaN or
     * infinite gradient) every gradient is set to zero and the non-finite norm is returned, so the
     * caller can skip the update.
     *
     * @param parameters the model's parameters
     * @param maxNorm    the largest norm kept, above 0
     * @param scratch    a manager for temporaries (the gradient views are closed with it)
     */
    public static double clipGlobalNorm(PairList<String, Parameter> parameters, double maxNorm, NDManager scratch) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip norm is not above 0: " + maxNorm);
        }
        try (NDManager sub = scratch.newSubManager()) {
            List<NDArray> grads = new ArrayList<>();
            double sq = 0;
            for (Pair<String, Parameter> p : parameters) {
                Parameter param = p.getValue();
                if (!param.requiresGradient() || !param.isInitialized()) {
                    continue;
                }
                NDArray g = param.getArray().getGradient();
                g.attach(sub);
                grads.add(g);
                sq += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(sq);
            if (!Double.isFinite(norm)) {
                // a non-finite gradient must not reach the optimizer: zero it, the caller skips the update
                // a masked fill in place: copying a Java buffer into the gradient aborted the JVM in training
                for (NDArray g : grads) {
                    try (NDArray all = g.onesLike().toType(DataType.BOOLEAN, false)) {
                        g.set(all, 0);
                    }
                }
                return norm;
            }
            if (norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (NDArray g : grads) {
                    g.muli(scale);
                }
            }
            return norm;
        }
    }
}
