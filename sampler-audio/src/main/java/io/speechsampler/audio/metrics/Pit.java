package io.speechsampler.audio.metrics;

import java.util.Arrays;

/**
 * Permutation-invariant evaluation (PIT): the pairing of estimated and reference sources that
 * minimises the mean per-source loss. Yu, Kolbaek, Tan and Jensen, "Permutation invariant
 * training of deep models for speaker-independent multi-talker speech separation",
 * ICASSP 2017.
 *
 * <p>Up to {@value #EXHAUSTIVE_MAX_SOURCES} sources every permutation is tried, as Asteroid's
 * {@code PITLossWrapper} does; above that the assignment problem is solved by the Hungarian
 * algorithm (Kuhn, "The Hungarian method for the assignment problem", Naval Research Logistics
 * Quarterly 2, 1955; Munkres, "Algorithms for the assignment and transportation problems",
 * J. SIAM 5, 1957) in its O(N^3) shortest-augmenting-path form with dual potentials, which
 * gives the same optimum (ties may pick a different optimal pairing).
 *
 * <p>Convention throughout: {@code pairwiseLoss[i][j]} is the loss of estimate {@code i}
 * against reference {@code j}, and {@code permutation[j]} is the estimate paired with reference
 * {@code j}, so {@code estimates[permutation[j]]} is the estimate aligned to reference
 * {@code j}.
 */
public final class Pit {

    /** Source counts up to this are solved by trying every permutation. */
    public static final int EXHAUSTIVE_MAX_SOURCES = 3;

    private Pit() {
    }

    /**
     * The best pairing for a loss matrix.
     *
     * @param permutation {@code permutation[j]} is the estimate paired with reference {@code j}
     * @param meanLoss the mean over references of {@code pairwiseLoss[permutation[j]][j]}
     */
    public record Assignment(int[] permutation, double meanLoss) {
        public Assignment {
            permutation = permutation.clone();
        }

        @Override
        public int[] permutation() {
            return permutation.clone();
        }
    }

    /**
     * The PIT result under SI-SNR.
     *
     * @param permutation {@code permutation[j]} is the estimate paired with reference {@code j}
     * @param siSnr {@code siSnr[j]} is the SI-SNR in dB of estimate {@code permutation[j]}
     *     against reference {@code j}
     * @param meanSiSnr the mean of {@code siSnr}, the largest over all pairings
     */
    public record SiSnrResult(int[] permutation, double[] siSnr, double meanSiSnr) {
        public SiSnrResult {
            permutation = permutation.clone();
            siSnr = siSnr.clone();
        }

        @Override
        public int[] permutation() {
            return permutation.clone();
        }

        @Override
        public double[] siSnr() {
            return siSnr.clone();
        }
    }

    /**
     * The pairing that maximises the mean SI-SNR of {@code N >= 1} estimates against
     * {@code N} references (equivalently minimises the mean negative SI-SNR, the loss Asteroid
     * and SpeechBrain train with).
     *
     * @throws IllegalArgumentException if the counts differ, are zero, or signals differ in
     *     length
     */
    public static SiSnrResult siSnr(float[][] estimates, float[][] references) {
        double[][] gain = SiSnr.pairwise(estimates, references);
        int n = gain.length;
        double[][] loss = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                loss[i][j] = -gain[i][j];
            }
        }
        int[] permutation = best(loss).permutation();
        double[] perSource = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            perSource[j] = gain[permutation[j]][j];
            sum += perSource[j];
        }
        return new SiSnrResult(permutation, perSource, sum / n);
    }

    /**
     * The pairing of minimum mean loss: exhaustive for up to {@value #EXHAUSTIVE_MAX_SOURCES}
     * sources, Hungarian above.
     *
     * @param pairwiseLoss square matrix of finite values, {@code [estimate][reference]}
     * @throws IllegalArgumentException if the matrix is empty, not square, or has a
     *     non-finite entry
     */
    public static Assignment best(double[][] pairwiseLoss) {
        return pairwiseLoss.length <= EXHAUSTIVE_MAX_SOURCES
                ? exhaustive(pairwiseLoss)
                : hungarian(pairwiseLoss);
    }

    /** Tries all N! permutations in lexicographic order; the first of equal minima wins. */
    static Assignment exhaustive(double[][] loss) {
        checkSquareFinite(loss);
        int n = loss.length;
        int[] perm = new int[n];
        for (int j = 0; j < n; j++) {
            perm[j] = j;
        }
        int[] bestPerm = perm.clone();
        double bestMean = mean(loss, perm);
        while (nextPermutation(perm)) {
            double m = mean(loss, perm);
            if (m < bestMean) {
                bestMean = m;
                bestPerm = perm.clone();
            }
        }
        return new Assignment(bestPerm, bestMean);
    }

    /**
     * Kuhn-Munkres with row and column potentials, in the O(N^3) shortest augmenting path form
     * (Tomizawa 1971; Edmonds and Karp, J. ACM 19(2), 1972): one row enters the matching per
     * outer step, along a Dijkstra-like search over reduced costs, which stay non-negative.
     */
    static Assignment hungarian(double[][] loss) {
        checkSquareFinite(loss);
        int n = loss.length;
        // 1-based: index 0 is the virtual column that starts each augmenting path.
        double[] rowPotential = new double[n + 1];
        double[] colPotential = new double[n + 1];
        int[] rowOfCol = new int[n + 1];
        int[] previousCol = new int[n + 1];
        double[] minReduced = new double[n + 1];
        boolean[] used = new boolean[n + 1];
        for (int row = 1; row <= n; row++) {
            rowOfCol[0] = row;
            int col0 = 0;
            Arrays.fill(minReduced, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[col0] = true;
                int row0 = rowOfCol[col0];
                double delta = Double.POSITIVE_INFINITY;
                int col1 = 0;
                for (int col = 1; col <= n; col++) {
                    if (!used[col]) {
                        double reduced = loss[row0 - 1][col - 1] - rowPotential[row0] - colPotential[col];
                        if (reduced < minReduced[col]) {
                            minReduced[col] = reduced;
                            previousCol[col] = col0;
                        }
                        if (minReduced[col] < delta) {
                            delta = minReduced[col];
                            col1 = col;
                        }
                    }
                }
                for (int col = 0; col <= n; col++) {
                    if (used[col]) {
                        rowPotential[rowOfCol[col]] += delta;
                        colPotential[col] -= delta;
                    } else {
                        minReduced[col] -= delta;
                    }
                }
                col0 = col1;
            } while (rowOfCol[col0] != 0);
            do {
                int col1 = previousCol[col0];
                rowOfCol[col0] = rowOfCol[col1];
                col0 = col1;
            } while (col0 != 0);
        }
        int[] perm = new int[n];
        for (int col = 1; col <= n; col++) {
            perm[col - 1] = rowOfCol[col] - 1;
        }
        return new Assignment(perm, mean(loss, perm));
    }

    private static double mean(double[][] loss, int[] perm) {
        double sum = 0;
        for (int j = 0; j < perm.length; j++) {
            sum += loss[perm[j]][j];
        }
        return sum / perm.length;
    }

    /** Advances to the next permutation in lexicographic order; false after the last. */
    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        swap(a, i, j);
        for (int lo = i + 1, hi = a.length - 1; lo < hi; lo++, hi--) {
            swap(a, lo, hi);
        }
        return true;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static void checkSquareFinite(double[][] m) {
        if (m.length == 0) {
            throw new IllegalArgumentException("pairwiseLoss is empty: 0 rows");
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i].length != m.length) {
                throw new IllegalArgumentException("pairwiseLoss must be square: row " + i + " has "
                        + m[i].length + " columns, expected " + m.length);
            }
            for (int j = 0; j < m.length; j++) {
                if (!Double.isFinite(m[i][j])) {
                    throw new IllegalArgumentException(
                            "pairwiseLoss must be finite: [" + i + "][" + j + "] = " + m[i][j]);
                }
            }
        }
    }
}
