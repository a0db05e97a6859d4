package io.speechsampler.djl.loss;

import ai.djl.ndarray.NDArray;
import io.speechsampler.djl.ndarray.Scalars;

/**
 * The angular prototypical loss with one positive per speaker (Chung et al. 2020, "In defence of
 * metric learning for speaker recognition"; loss-gated learning's stage 1, Tao et al. 2022): for B
 * pairs of embeddings, the B x B matrix {@code S[i][j] = w cos(a_i, p_j) + b} between the first
 * views {@code a} (rows) and the second views {@code p} (columns), and for each row the
 * cross-entropy of its diagonal entry: {@code l_i = -log softmax(S[i])[i]}. The other rows' second
 * views are the negatives. {@code w} is clamped to at least {@value #MIN_SCALE} so that the
 * similarity cannot turn into a dissimilarity; the authors' code calls {@code torch.clamp(self.w,
 * 1e-6)} without using its result, so there the clamp does nothing: here it applies, which changes
 * nothing while {@code w} stays above it (it starts at 10).
 *
 * <p>Cosines are taken as dot products of rows normalised by {@code sqrt(|x|^2 + 1e-12)}, where
 * PyTorch's {@code cosine_similarity} divides by {@code max(|x| |y|, 1e-8)}: the same but for rows
 * of norm near 0.
 */
public final class AngularPrototypicalLoss {

    /** The smallest scale the logits use. */
    public static final float MIN_SCALE = 1e-6f;

    private AngularPrototypicalLoss() {
    }

    /**
     * The scaled cosine matrix.
     *
     * @param first  (B, D) first views' embeddings, the rows
     * @param second (B, D) second views' embeddings, the columns
     * @param w      (1) scale, an array of the batch (not the parameter itself: see {@link Scalars})
     * @param b      (1) bias, likewise
     * @return (B, B)
     */
    public static NDArray logits(NDArray first, NDArray second, NDArray w, NDArray b) {
        NDArray cos = normaliseRows(first).matMul(normaliseRows(second).transpose());
        return cos.mul(Scalars.maximum(w, MIN_SCALE)).add(b);
    }

    /** Per-row cross-entropy with the diagonal as targets: (B, B) logits to (B). */
    public static NDArray perSample(NDArray logits) {
        long n = logits.getShape().get(0);
        NDArray eye = logits.getManager().eye((int) n).toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(eye).sum(new int[] {1}).neg();
    }

    /**
     * Whether each row's largest logit is its diagonal entry (the first largest on ties, as
     * {@code argmax} picks), from the logits' values; B x B row-major.
     */
    public static boolean[] diagonalIsArgmax(float[] logits, int n) {
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (logits[i * n + j] > logits[i * n + best]) {
                    best = j;
                }
            }
            out[i] = best == i;
        }
        return out;
    }

    private static NDArray normaliseRows(NDArray x) {
        return x.div(Scalars.add(x.square().sum(new int[] {1}, true), 1e-12f).sqrt());
    }
}
