package io.speechsampler.audio.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Equal error rate of a verification trial list, and cosine scoring of embeddings.
 *
 * <p>A trial is accepted when its score is at least the threshold. Sweeping the threshold
 * upward over the sorted distinct scores traces the detection error trade-off from
 * (FAR, FRR) = (1, 0) to (0, 1); trials with equal scores move together. The EER is where
 * the piecewise-linear curve through those points crosses FAR = FRR, as the VoxCeleb baseline
 * code computes it ({@code brentq} on the linearly interpolated ROC; Nagrani, Chung and
 * Zisserman, "VoxCeleb: a large-scale speaker identification dataset", Interspeech 2017).
 * Perfectly separated scores give 0.
 */
public final class Eer {

    private Eer() {
    }

    /**
     * The equal error rate as a fraction in [0, 1] (multiply by 100 for the usual percent).
     *
     * @param scores one finite score per trial, higher meaning "same speaker"
     * @param isTarget whether each trial is a target (same-speaker) trial
     * @throws IllegalArgumentException if the lengths differ, a score is not finite, or there is
     *     not at least one target and one non-target trial
     */
    public static double of(double[] scores, boolean[] isTarget) {
        if (scores.length != isTarget.length) {
            throw new IllegalArgumentException("scores and isTarget must have the same length: scores has "
                    + scores.length + ", isTarget has " + isTarget.length);
        }
        long targets = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("scores must be finite: scores[" + i + "] = " + scores[i]);
            }
            if (isTarget[i]) {
                targets++;
            }
        }
        long nonTargets = scores.length - targets;
        if (targets == 0 || nonTargets == 0) {
            throw new IllegalArgumentException("trials must include both kinds: " + targets
                    + " target and " + nonTargets + " non-target trials");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));

        long rejectedTargets = 0;
        long rejectedNonTargets = 0;
        double far = 1.0;
        double frr = 0.0;
        double previousFar;
        double previousFrr;
        int k = 0;
        // Ends by the last group at the latest, where (FAR, FRR) = (0, 1).
        do {
            previousFar = far;
            previousFrr = frr;
            double groupScore = scores[order[k]];
            while (k < order.length && scores[order[k]] == groupScore) {
                if (isTarget[order[k]]) {
                    rejectedTargets++;
                } else {
                    rejectedNonTargets++;
                }
                k++;
            }
            far = (double) (nonTargets - rejectedNonTargets) / nonTargets;
            frr = (double) rejectedTargets / targets;
        } while (far > frr);
        double before = previousFar - previousFrr;
        double after = far - frr;
        double lambda = before / (before - after);
        return previousFar + lambda * (far - previousFar);
    }

    /**
     * Cosine similarity {@code <a, b> / (|a| |b|)}, accumulated in double.
     *
     * @throws IllegalArgumentException if the lengths differ, are zero, or either vector has
     *     zero norm
     */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("a and b must have the same length: a has " + a.length
                    + ", b has " + b.length);
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("a is empty: length 0");
        }
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        if (aa == 0 || bb == 0) {
            throw new IllegalArgumentException("cosine is undefined for a zero vector: |a|^2 = " + aa
                    + ", |b|^2 = " + bb);
        }
        return dot / Math.sqrt(aa * bb);
    }
}
