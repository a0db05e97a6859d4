package io.speechsampler.audio.metrics;

import java.util.Objects;

/**
 * How a separator with more outputs than a mixture has sources did on it (the over-separation of
 * mixture invariant training: Zhang et al. 2021, paper 001; Wisdom et al. 2020). For a mixture of
 * S sources and a model's M >= S outputs:
 * <ul>
 *   <li>{@link #bestSingleSiSnri}: the SI-SNRi of the best assignment of S distinct single outputs
 *       to the S references (the mean over references of SI-SNR(output, reference) minus the mean
 *       of SI-SNR(mixture, reference));</li>
 *   <li>{@link #mergedSiSnri}: the same after an oracle merge: every output assigned to one
 *       reference and each reference's outputs summed (every reference gets at least one), the
 *       best of the S^M assignments, as MixIT's loss assigns outputs to mixtures;</li>
 *   <li>{@link #activeOutputs}: the outputs holding more than {@code share} of the estimates' total
 *       energy; the mixture is over-separated when 3 or more are ({@link #overSeparated}), that is
 *       more than S for S = 2.</li>
 * </ul>
 *
 * @param bestSingleSiSnri dB
 * @param mergedSiSnri     dB; every output is merged into some reference, so an output of noise
 *                         makes it lower than {@code bestSingleSiSnri}, a source split over outputs higher
 * @param activeOutputs    outputs above the energy share
 * @param sources          S
 */
public record OverSeparation(double bestSingleSiSnri, double mergedSiSnri, int activeOutputs, int sources) {

    /** The energy share above which an output counts as active, by default (the 10%). */
    public static final double DEFAULT_SHARE = 0.10;

    /** More outputs active than the mixture has sources (for 2 sources: 3 or more). */
    public boolean overSeparated() {
        return activeOutputs > sources;
    }

    /**
     * @param mixture the input, T samples
     * @param refs    S references of T samples
     * @param outputs M >= S outputs of T samples, M at most 12 (S^M assignments are searched)
     * @param share   in (0, 1): the energy share that makes an output active
     */
    public static OverSeparation of(float[] mixture, float[][] refs, float[][] outputs, double share) {
        Objects.requireNonNull(mixture, "mixture");
        int s = refs.length;
        int m = outputs.length;
        if (s < 1 || m < s) {
            throw new IllegalArgumentException("needs at least one reference and at least as many outputs: " + s
                    + " references, " + m + " outputs");
        }
        if (m > 12) {
            throw new IllegalArgumentException("at most 12 outputs (the merge searches S^M assignments), got " + m);
        }
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("share is not in (0, 1): " + share);
        }
        double baseline = 0;
        for (float[] r : refs) {
            baseline += SiSnr.siSnr(mixture, r);
        }
        baseline /= s;
        double[][] single = new double[m][s];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < s; j++) {
                single[i][j] = SiSnr.siSnr(outputs[i], refs[j]);
            }
        }
        double best = bestInjective(single, new boolean[m], 0, 0);
        double merged = Double.NEGATIVE_INFINITY;
        int t = mixture.length;
        int[] group = new int[m];
        long assignments = (long) Math.pow(s, m);
        float[][] sums = new float[s][t];
        for (long code = 0; code < assignments; code++) {
            long c = code;
            int[] count = new int[s];
            for (int i = 0; i < m; i++) {
                group[i] = (int) (c % s);
                c /= s;
                count[group[i]]++;
            }
            boolean all = true;
            for (int n : count) {
                all &= n > 0;
            }
            if (!all) {
                continue;
            }
            for (float[] row : sums) {
                java.util.Arrays.fill(row, 0f);
            }
            for (int i = 0; i < m; i++) {
                float[] o = outputs[i];
                float[] dst = sums[group[i]];
                for (int k = 0; k < t; k++) {
                    dst[k] += o[k];
                }
            }
            double score = 0;
            for (int j = 0; j < s; j++) {
                score += SiSnr.siSnr(sums[j], refs[j]);
            }
            merged = Math.max(merged, score / s);
        }
        double[] energy = new double[m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            for (float v : outputs[i]) {
                energy[i] += (double) v * v;
            }
            total += energy[i];
        }
        int active = 0;
        for (double e : energy) {
            active += total > 0 && e / total > share ? 1 : 0;
        }
        return new OverSeparation(best / s - baseline, merged - baseline, active, s);
    }

    /** The largest sum of {@code single[output][ref]} over injective maps of refs {@code ref..} to unused outputs. */
    private static double bestInjective(double[][] single, boolean[] used, int ref, double sum) {
        int s = single[0].length;
        if (ref == s) {
            return sum;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < single.length; i++) {
            if (!used[i]) {
                used[i] = true;
                best = Math.max(best, bestInjective(single, used, ref + 1, sum + single[i][ref]));
                used[i] = false;
            }
        }
        return best;
    }
}
