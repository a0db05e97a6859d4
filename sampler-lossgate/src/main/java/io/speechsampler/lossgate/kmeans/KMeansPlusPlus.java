package io.speechsampler.lossgate.kmeans;

import io.speechsampler.api.config.ConfigException;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * k-means++ seeding (D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful
 * seeding", SODA 2007): the first centroid is an embedding drawn uniformly, each further one an
 * embedding drawn with probability proportional to D(x)^2, its squared distance to the nearest
 * centroid chosen so far. Distances are exact double sums ({@code (x_j - c_j)^2}), the running
 * total is summed in row order, so the centroids depend only on the embeddings and the draws.
 *
 * <p>Random draws, all from the given provider, exactly K of them: {@code nextInt(N)} for the first
 * centroid, then one {@code nextDouble()} u per further centroid, which picks the first row whose
 * cumulative D^2 (in row order) exceeds {@code u * total}. Rows already chosen (D = 0) are never
 * drawn again. When every row lies on a chosen centroid (fewer than K distinct embeddings), the
 * total is 0 and u picks row {@code floor(u N)} instead; the clusters then repeat a centroid and
 * some stay empty.
 *
 * <p>Each new centroid's distances skip the rows it cannot be nearer to, by the triangle
 * inequality (as in Elkan's k-means): a row whose nearest centroid q lies at least twice the row's
 * distance D from the new one ({@code ||c_new - c_q||^2 >= 4 D^2}, with a margin far above
 * rounding) keeps D. The result is that of the plain algorithm, bit for bit; only fewer distances
 * are computed. Within a fit ({@link EngineKMeans}), the engine also estimates each new
 * centroid's distances to all rows at once (one matrix-vector product, float, with the error bound
 * of {@link EngineAssignment}); only rows whose estimate could fall below their D^2 get an exact
 * distance. Both rules skip only rows whose D could not change, so neither changes the result.
 */
public final class KMeansPlusPlus {

    /**
     * Slack on the pruning test, far above the relative rounding of the double distances (about d
     * 2^-53), so that a pruned row is one whose computed distance could not have been smaller.
     */
    private static final double PRUNING_MARGIN = 1 + 1e-9;

    /** Relative slack for the double sum {@code ||x||^2 + score} of the engine's estimate. */
    private static final double ROUNDING_MARGIN = 1e-12;

    private KMeansPlusPlus() {
    }

    /**
     * K centroids seeded from {@code embeddings} with draws from {@code rng}, in the order drawn.
     *
     * @throws IllegalArgumentException when {@code clusters < 1}
     * @throws ConfigException          when {@code clusters} exceeds the number of embeddings
     */
    public static double[][] initialise(EmbeddingMatrix embeddings, int clusters, UniformRandomProvider rng) {
        try (RowWorkers workers = RowWorkers.of(1)) {
            return initialise(embeddings, clusters, rng, workers, null);
        }
    }

    /**
     * With {@code screen} (may be null), the engine's float estimate of each new centroid's
     * distances rules out, exactly, the rows it cannot be nearer to: those whose estimate less its
     * error bound is still above their current D^2 (with a margin for double rounding).
     */
    static double[][] initialise(EmbeddingMatrix embeddings, int clusters, UniformRandomProvider rng,
                                 RowWorkers workers, EngineAssignment screen) {
        EngineKMeans.checkClusters(clusters);
        int n = embeddings.rows();
        EngineKMeans.checkClustersFit(clusters, n);
        int d = embeddings.dimension();
        float[] x = embeddings.values();
        double[][] centroids = new double[clusters][];
        double[] nearest = new double[n];
        int[] owner = new int[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        Arrays.fill(owner, -1);
        double[] apart = new double[clusters];
        float[] scores = screen == null ? null : new float[n];
        centroids[0] = rowAsDouble(x, rng.nextInt(n), d);
        for (int k = 1; k < clusters; k++) {
            int newest = k - 1;
            double[] added = centroids[newest];
            for (int q = 0; q < newest; q++) {
                apart[q] = squaredDistance(added, centroids[q]);
            }
            double addedNorm = screen == null || k == 1 ? Double.NaN : screen.scores(added, scores);
            workers.forEachSlice(n, (slice, from, to) -> {
                for (int i = from; i < to; i++) {
                    int o = owner[i];
                    if (o >= 0 && apart[o] >= 4 * nearest[i] * PRUNING_MARGIN) {
                        continue;
                    }
                    if (!Double.isNaN(addedNorm)) {
                        double estimate = screen.squaredNorm(i) + scores[i];
                        double rounding = ROUNDING_MARGIN * (screen.squaredNorm(i) + Math.abs(scores[i]));
                        if (estimate - screen.bound(i, addedNorm) - rounding > nearest[i] * PRUNING_MARGIN) {
                            continue;
                        }
                    }
                    double di = SquaredDistance.of(x, i * d, added);
                    if (di < nearest[i]) {
                        nearest[i] = di;
                        owner[i] = newest;
                    }
                }
            });
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += nearest[i];
            }
            double u = rng.nextDouble();
            centroids[k] = rowAsDouble(x, total > 0 ? drawn(nearest, u * total) : (int) (u * n), d);
        }
        return centroids;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double e = a[j] - b[j];
            s += e * e;
        }
        return s;
    }

    /** The first row whose cumulative weight exceeds {@code target}; the last row of positive weight if rounding leaves none. */
    private static int drawn(double[] weights, double target) {
        double cumulative = 0;
        int lastPositive = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                cumulative += weights[i];
                lastPositive = i;
                if (cumulative > target) {
                    return i;
                }
            }
        }
        return lastPositive;
    }

    private static double[] rowAsDouble(float[] x, int i, int d) {
        double[] c = new double[d];
        for (int j = 0; j < d; j++) {
            c[j] = x[i * d + j];
        }
        return c;
    }
}
