package io.speechsampler.lossgate.kmeans;

import io.speechsampler.api.random.RandomStreams;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/** Test data: seeded uniform matrices and Gaussian blobs, and the plain double-precision reference. */
final class KMeansData {

    private KMeansData() {
    }

    /** N x d values uniform in [-0.5, 0.5). */
    static float[][] uniform(long seed, int n, int d) {
        UniformRandomProvider rng = RandomStreams.of(seed, "kmeans-test-uniform", 0);
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rng.nextFloat() - 0.5f;
            }
        }
        return x;
    }

    /**
     * {@code perBlob} points around each of {@code centres} (row i belongs to blob {@code i /
     * perBlob}), Gaussian with standard deviation {@code spread} per dimension.
     */
    static float[][] blobs(long seed, double[][] centres, int perBlob, double spread) {
        UniformRandomProvider rng = RandomStreams.of(seed, "kmeans-test-blobs", 0);
        ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
        int d = centres[0].length;
        float[][] x = new float[centres.length * perBlob][d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (centres[i / perBlob][j] + spread * gauss.sample());
            }
        }
        return x;
    }

    /** K centres uniform in [-scale, scale)^d. */
    static double[][] centres(long seed, int k, int d, double scale) {
        UniformRandomProvider rng = RandomStreams.of(seed, "kmeans-test-centres", 0);
        double[][] c = new double[k][d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                c[i][j] = scale * (2 * rng.nextDouble() - 1);
            }
        }
        return c;
    }

    /** The plain reference: {@code sum_j (x_j - c_j)^2} in double, j ascending. */
    static double distance(float[] x, double[] c) {
        double s = 0;
        for (int j = 0; j < c.length; j++) {
            double e = x[j] - c[j];
            s += e * e;
        }
        return s;
    }

    /** The reference assignment: the nearest centroid by {@link #distance}, ties to the lowest index. */
    static int[] nearest(float[][] x, double[][] centroids) {
        int[] labels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < centroids.length; k++) {
                double dk = distance(x[i], centroids[k]);
                if (dk < best) {
                    best = dk;
                    labels[i] = k;
                }
            }
        }
        return labels;
    }

    /** The reference inertia of {@code labels} under {@code centroids}. */
    static double inertia(float[][] x, double[][] centroids, int[] labels) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += distance(x[i], centroids[labels[i]]);
        }
        return s;
    }
}
