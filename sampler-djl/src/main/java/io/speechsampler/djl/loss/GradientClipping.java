package io.speechsampler.djl.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.speechsampler.djl.ndarray.Scalars;
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
                // in double, so that a float32 sum of squares cannot overflow; the gradients near 1e19
                // once blamed on near-silent estimates were very likely freed scalars read as garbage
                // (io.speechsampler.djl.ndarray), not real gradients
                sq += g.toType(DataType.FLOAT64, false).square().sum().getDouble();
            }
            double norm = Math.sqrt(sq);
            if (!Double.isFinite(norm)) {
                // a non-finite gradient must not reach the optimizer: zero it, the caller skips the update
                for (NDArray g : grads) {
                    // an in-place fill of the same storage (arithmetic would keep NaN: NaN * 0 = NaN);
                    // PyTorch's fused Adam zeroes gradients only when it runs
                    g.set(new NDIndex("..."), 0f);
                }
                return norm;
            }
            if (norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (NDArray g : grads) {
                    g.muli(Scalars.of(g, scale));
                }
            }
            return norm;
        }
    }
}
