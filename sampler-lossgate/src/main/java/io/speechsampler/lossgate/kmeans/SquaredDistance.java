package io.speechsampler.lossgate.kmeans;

/**
 * Squared Euclidean distance of a float embedding and a double centroid, in double: the exact
 * distances of this package (inertia, k-means++ weights, the far-point rule, the rows the engine
 * leaves undecided). Summed as {@code (x_j - c_j)^2} (no cancellation) in four partial sums over
 * {@code j mod 4}, added in a fixed order: the same value on every machine and thread count.
 */
final class SquaredDistance {

    private SquaredDistance() {
    }

    /** {@code sum_j (x[offset + j] - c[j])^2} over {@code j < c.length}. */
    static double of(float[] x, int offset, double[] c) {
        int d = c.length;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            double e0 = x[offset + j] - c[j];
            double e1 = x[offset + j + 1] - c[j + 1];
            double e2 = x[offset + j + 2] - c[j + 2];
            double e3 = x[offset + j + 3] - c[j + 3];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }
        for (; j < d; j++) {
            double e = x[offset + j] - c[j];
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The nearest of {@code centroids} to row {@code i}, ties to the lowest index; its distance in {@code out[0]}. */
    static int nearest(float[] x, int offset, double[][] centroids, double[] out) {
        int best = 0;
        double bestDistance = of(x, offset, centroids[0]);
        for (int k = 1; k < centroids.length; k++) {
            double dk = of(x, offset, centroids[k]);
            if (dk < bestDistance) {
                bestDistance = dk;
                best = k;
            }
        }
        out[0] = bestDistance;
        return best;
    }
}
