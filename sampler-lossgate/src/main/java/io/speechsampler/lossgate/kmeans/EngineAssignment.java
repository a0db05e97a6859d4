package io.speechsampler.lossgate.kmeans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The assignment step of k-means on DJL's engine: every embedding's nearest centroid, from
 * {@code ||x - c||^2 = ||x||^2 + (||c||^2 - 2 x.c)}, whose bracket is one matrix product per block
 * of rows. The embeddings go to the engine's device once, centred on their mean (k-means does not
 * change under a shift, and centred values keep the float error bound below small) and with a
 * column of ones appended ({@code N x (d + 1)}); each call sends the centred centroids as one
 * {@code (d + 1) x K} matrix whose columns are {@code -2 c} over {@code ||c||^2}, so that a block's
 * product is its rows' scores {@code s_ik = ||c_k||^2 - 2 x_i.c_k} with no other engine operation.
 * The scores of a block come back in one bulk copy from a view of the engine's memory into a reused
 * array (as the hard-mining kernel does) and Java threads find each row's smallest and second
 * smallest.
 *
 * <p><b>Exact labels.</b> The scores are float; every score is within {@code E_i = F (2 ||x_i||
 * R + R^2)} of the exact one for the double centroids (x and c centred; {@link #errorFactor}: F
 * is about {@code (d + 6) 2^-24}, R the largest centroid norm; Higham's bound for a float dot
 * product in any summation order, so for any BLAS blocking, plus the rounding of the centred
 * values to float; it assumes IEEE float products, as libtorch's CPU kernels compute and CUDA does
 * with TF32 off, PyTorch's default). A row takes the engine's choice only when its second smallest
 * score exceeds its smallest by more than {@code 2 E_i}: then no rounding can change the argmin.
 * Otherwise (near ties) the row is decided in double among the centroids whose score is within
 * {@code 2 E_i} of its smallest, since no other can be nearest; where a product could overflow
 * float, over all K. Ties go to the lowest index. So every label is the plain double-precision
 * argmin of {@code sum_j (x_j - c_j)^2} (ties to the lowest index) up to double rounding, whatever
 * the engine's kernel, threads or device, and a fit is reproducible bit for bit. Each row's squared
 * distance to its centroid is then summed in double ({@link SquaredDistance}) from the embeddings
 * as given.
 *
 * <p>Memory: the embeddings here and on the device (O(N d); a centred copy here while they are
 * uploaded), the centroid matrix (O(K d)), and one block's product on the device and its copy here
 * ({@code block x K} floats each). One assignment at a time: not for concurrent use.
 */
public final class EngineAssignment implements AutoCloseable {

    private static final double UNIT_ROUNDOFF = 0x1p-24;

    /**
     * The outcome of one assignment.
     *
     * @param labels           each embedding's nearest centroid (ties to the lowest index)
     * @param squaredDistances each embedding's squared distance to it, in double
     * @param inertia          their sum in row order
     * @param refinedRows      rows the engine's float scores left undecided, decided in double
     */
    public record Assignment(int[] labels, double[] squaredDistances, double inertia, int refinedRows) {
    }

    private final EmbeddingMatrix embeddings;
    private final int blockRows;
    private final RowWorkers workers;
    private final NDManager manager;
    private final NDArray augmented;
    private final double[] mean;
    private final double[] norms;
    private final double[] squaredNorms;
    private final double largestRow;
    private final double boundFactor;
    private final double boundFloor;
    private float[] tile = new float[0];

    private EngineAssignment(EmbeddingMatrix embeddings, int blockRows, RowWorkers workers, NDManager manager) {
        this.embeddings = embeddings;
        this.blockRows = blockRows;
        this.workers = workers;
        this.manager = manager;
        int n = embeddings.rows();
        int d = embeddings.dimension();
        float[] v = embeddings.values();
        mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        float[] centred = new float[n * d];
        norms = new double[n];
        squaredNorms = new double[n];
        workers.forEachSlice(n, (slice, from, to) -> {
            for (int i = from; i < to; i++) {
                double exact = 0;
                double rounded = 0;
                for (int j = 0; j < d; j++) {
                    double e = v[i * d + j] - mean[j];
                    float f = (float) e;
                    centred[i * d + j] = f;
                    exact += e * e;
                    rounded += (double) f * f;
                }
                squaredNorms[i] = exact;
                norms[i] = Math.sqrt(rounded) * (1 + 0x1p-20);
            }
        });
        try (NDManager upload = manager.newSubManager()) {
            NDArray x = upload.create(centred, new Shape(n, d));
            NDArray augmentedHere = x.concat(upload.ones(new Shape(n, 1)), 1);
            augmentedHere.attach(manager);
            this.augmented = augmentedHere;
        }
        double largestNorm = 0;
        for (double norm : norms) {
            largestNorm = Math.max(largestNorm, norm);
        }
        this.largestRow = largestNorm;
        boundFactor = errorFactor(d);
        boundFloor = (d + 2) * 0x1p-148;
    }

    /**
     * Puts {@code embeddings} on the device of {@code parent} (a sub-manager of it, closed with this
     * assignment), or, when {@code parent} is null, of a new base manager of DJL's default engine
     * (the GPU when DJL sees one).
     */
    static EngineAssignment open(EmbeddingMatrix embeddings, NDManager parent, int blockRows, int threads) {
        RowWorkers workers = RowWorkers.of(threads);
        NDManager manager = parent == null ? NDManager.newBaseManager() : parent.newSubManager();
        try {
            return new EngineAssignment(embeddings, blockRows, workers, manager);
        } catch (RuntimeException | Error e) {
            manager.close();
            workers.close();
            throw e;
        }
    }

    RowWorkers workers() {
        return workers;
    }

    /** The embeddings this assignment holds on the device. */
    public EmbeddingMatrix embeddings() {
        return embeddings;
    }

    /**
     * Assigns every embedding to its nearest of {@code centroids} ({@code K x d}).
     *
     * @throws IllegalArgumentException when there are no centroids, one is not of dimension d, or a
     *                                  value is not finite
     */
    public Assignment assign(double[][] centroids) {
        int d = embeddings.dimension();
        int n = embeddings.rows();
        int k = checkCentroids(centroids, d);
        float[] x = embeddings.values();
        float[] weights = new float[(d + 1) * k];
        double largestNorm = 0;
        for (int c = 0; c < k; c++) {
            double normSquared = 0;
            for (int j = 0; j < d; j++) {
                float cj = (float) (centroids[c][j] - mean[j]);
                weights[j * k + c] = -2 * cj;
                normSquared += (double) cj * cj;
            }
            weights[d * k + c] = (float) normSquared;
            largestNorm = Math.max(largestNorm, Math.sqrt(normSquared));
        }
        double largest = largestNorm * (1 + 0x1p-20);
        boolean overflowFree = overflowFree(largest);
        int[] labels = new int[n];
        double[] distances = new double[n];
        int[] refined = new int[workers.threads()];
        try (NDManager call = manager.newSubManager()) {
            NDArray w = call.create(weights, new Shape(d + 1, k));
            for (int from = 0; from < n; from += blockRows) {
                int rows = Math.min(blockRows, n - from);
                int size = rows * k;
                if (tile.length < size) {
                    tile = new float[size];
                }
                try (NDManager block = call.newSubManager()) {
                    NDArray scores = augmented.get(block, new NDIndex().addSliceDim(from, from + rows)).matMul(w);
                    scores.toByteBuffer(true).asFloatBuffer().get(tile, 0, size);
                }
                int blockFrom = from;
                float[] s = tile;
                workers.forEachSlice(rows, (slice, r0, r1) -> {
                    double[] nearest = new double[1];
                    for (int r = r0; r < r1; r++) {
                        int i = blockFrom + r;
                        int offset = r * k;
                        float m1 = Float.POSITIVE_INFINITY;
                        float m2 = Float.POSITIVE_INFINITY;
                        int best = -1;
                        for (int c = 0; c < k; c++) {
                            float v = s[offset + c];
                            if (v < m2) {
                                if (v < m1) {
                                    m2 = m1;
                                    m1 = v;
                                    best = c;
                                } else {
                                    m2 = v;
                                }
                            }
                        }
                        double window = 2 * bound(i, largest);
                        if (overflowFree && Float.isFinite(m1) && (double) m2 - m1 > window) {
                            labels[i] = best;
                            distances[i] = SquaredDistance.of(x, i * d, centroids[best]);
                            continue;
                        }
                        refined[slice]++;
                        if (overflowFree && Float.isFinite(m1)) {
                            labels[i] = nearestCandidate(x, i * d, centroids, s, offset, m1 + window, nearest);
                        } else {
                            labels[i] = SquaredDistance.nearest(x, i * d, centroids, nearest);
                        }
                        distances[i] = nearest[0];
                    }
                });
            }
        }
        double inertia = 0;
        for (double di : distances) {
            inertia += di;
        }
        int refinedRows = 0;
        for (int r : refined) {
            refinedRows += r;
        }
        return new Assignment(labels, distances, inertia, refinedRows);
    }

    /**
     * A screen for k-means++: every embedding's score against one centroid, {@code ||c||^2 - 2 x.c}
     * (both centred) in float, as one matrix-vector product on the engine, into {@code out} (N floats). With
     * {@link #squaredNorm} it estimates the squared distance within {@link #bound}.
     *
     * @return the centroid's norm as the bound takes it, or NaN where the product could overflow
     *         float (then the scores mean nothing)
     */
    double scores(double[] centroid, float[] out) {
        int d = embeddings.dimension();
        float[] w = new float[d + 1];
        double normSquared = 0;
        for (int j = 0; j < d; j++) {
            float cj = (float) (centroid[j] - mean[j]);
            w[j] = -2 * cj;
            normSquared += (double) cj * cj;
        }
        w[d] = (float) normSquared;
        double norm = Math.sqrt(normSquared) * (1 + 0x1p-20);
        if (!overflowFree(norm)) {
            return Double.NaN;
        }
        try (NDManager call = manager.newSubManager()) {
            NDArray product = augmented.matMul(call.create(w, new Shape(d + 1, 1)));
            product.toByteBuffer(true).asFloatBuffer().get(out, 0, embeddings.rows());
        }
        return norm;
    }

    /** {@code ||x_i - mean||^2} in double: with a score, the squared distance. */
    double squaredNorm(int i) {
        return squaredNorms[i];
    }

    /** The bound on the error of row i's float score against a centroid of norm {@code centroidNorm}. */
    double bound(int i, double centroidNorm) {
        return boundFactor * (2 * norms[i] * centroidNorm + centroidNorm * centroidNorm) + boundFloor;
    }

    /** Whether no partial sum of a product with centroids of norm at most {@code centroidNorm} can overflow float. */
    private boolean overflowFree(double centroidNorm) {
        return 2 * (largestRow + centroidNorm) * (largestRow + centroidNorm) < Float.MAX_VALUE;
    }

    /**
     * The factor F of the bound {@code |score - exact| <= F (2 ||x|| R + R^2)} (x and the centroids
     * centred): {@code gamma_{d+1} (1 + u)^3} for the (d+1)-term float product of the rounded
     * values (Higham, "Accuracy and stability of numerical algorithms", 2nd ed., section 3.1: any
     * summation order), {@code 5u} for the rounding to float of the centred embeddings and
     * centroids in {@code x.c} and of {@code ||c||^2}, and 0.1% over for the double arithmetic of
     * the mean, the norms and the bound.
     */
    static double errorFactor(int d) {
        double nu = (d + 1) * UNIT_ROUNDOFF;
        if (nu >= 0.5) {
            return Double.POSITIVE_INFINITY;
        }
        double onePlusU = 1 + UNIT_ROUNDOFF;
        return (nu / (1 - nu) * onePlusU * onePlusU * onePlusU + 5 * UNIT_ROUNDOFF) * 1.001;
    }

    /**
     * The nearest centroid in double among those whose float score is at most {@code threshold}
     * (ties to the lowest index): no other can be nearest, as its exact score exceeds the smallest
     * float score plus the bound. Its distance goes to {@code out[0]}.
     */
    private static int nearestCandidate(float[] x, int offset, double[][] centroids, float[] scores, int scoreOffset,
                                        double threshold, double[] out) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            if (scores[scoreOffset + c] <= threshold) {
                double dc = SquaredDistance.of(x, offset, centroids[c]);
                if (dc < bestDistance) {
                    bestDistance = dc;
                    best = c;
                }
            }
        }
        out[0] = bestDistance;
        return best;
    }

    private static int checkCentroids(double[][] centroids, int d) {
        if (centroids == null || centroids.length == 0) {
            throw new IllegalArgumentException("centroids: none given");
        }
        for (int c = 0; c < centroids.length; c++) {
            if (centroids[c] == null || centroids[c].length != d) {
                throw new IllegalArgumentException("centroid " + c + " has dimension "
                        + (centroids[c] == null ? 0 : centroids[c].length) + ", the embeddings have " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(centroids[c][j])) {
                    throw new IllegalArgumentException("centroid " + c + " has a non-finite value at dimension " + j
                            + ": " + centroids[c][j]);
                }
            }
        }
        return centroids.length;
    }

    /** Frees the device's copy of the embeddings (and the manager, when this assignment made it) and the threads. */
    @Override
    public void close() {
        try {
            manager.close();
        } finally {
            workers.close();
        }
    }
}
