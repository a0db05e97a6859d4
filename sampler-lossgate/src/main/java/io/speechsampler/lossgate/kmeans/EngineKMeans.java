package io.speechsampler.lossgate.kmeans;

import ai.djl.ndarray.NDManager;
import io.speechsampler.api.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Lloyd's k-means (S. P. Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2),
 * 1982) over N embeddings of dimension d with K clusters, as loss-gated learning clusters its
 * embeddings into pseudo-labels (the authors use faiss, K = 6000, 25 iterations): {@link
 * KMeansPlusPlus} seeding from a seeded provider, then up to {@code iterations} rounds of an
 * assignment step on DJL's engine ({@link EngineAssignment}: a blocked matrix product, exact
 * labels) and an update step in Java in double (each centroid the mean of its embeddings, summed in
 * row order), then one last assignment to the final centroids for the labels and the inertia. The
 * fit stops early when an assignment changes no label (a fixed point).
 *
 * <p><b>Empty clusters</b> are re-seeded in the update step: taking the empty clusters in ascending
 * order, each one's centroid becomes the embedding farthest from the centroid it was just assigned
 * to (the largest squared distance of that assignment step, ties to the lowest row; each row used
 * at most once per step), so the next assignment gives it at least that embedding unless another
 * centroid is as close. The objective does not rise: no embedding was assigned to the moved
 * centroid. With fewer distinct embeddings than K, some clusters may stay empty.
 *
 * <p><b>Determinism:</b> labels, centroids and inertia depend only on the embeddings, K, the
 * iterations and the provider's draws (those of {@link KMeansPlusPlus}; none after seeding), bit
 * for bit, whatever the block size, thread count, engine threads or device: the engine decides a
 * label only where float rounding cannot change it and every sum is in double in a fixed order.
 *
 * <p><b>Bad input:</b> settings are checked by {@link Builder#build()} ({@link
 * IllegalArgumentException}, as for any argument); the data by {@link EmbeddingMatrix} and
 * {@code fit} ({@link ConfigException}, one line naming the value: K above N, rows of mixed
 * dimension, non-finite values).
 */
public final class EngineKMeans {

    /** The iterations of the authors' clustering (faiss, 25). */
    public static final int DEFAULT_ITERATIONS = 25;

    /** Floats of one block's product that the default block size aims at (16 MiB). */
    static final int DEFAULT_TILE_FLOATS = 1 << 22;

    private final int clusters;
    private final int iterations;
    private final int blockRows;
    private final int threads;
    private final NDManager manager;

    private EngineKMeans(Builder b) {
        this.clusters = b.clusters;
        this.iterations = b.iterations;
        this.blockRows = b.blockRows;
        this.threads = b.threads;
        this.manager = b.manager;
    }

    /** A builder; {@link Builder#setClusters} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a fit. */
    public static final class Builder {
        private int clusters = -1;
        private int iterations = DEFAULT_ITERATIONS;
        private int blockRows;
        private int threads = 1;
        private NDManager manager;

        private Builder() {
        }

        /** K, the number of clusters (pseudo-labels); at least 1 and at most N at fit time. */
        public Builder setClusters(int clusters) {
            this.clusters = clusters;
            return this;
        }

        /** Lloyd iterations (assignment + update) at most; default {@value #DEFAULT_ITERATIONS}. */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /**
         * Rows per engine product: memory on the device and here is {@code blockRows x K} floats
         * each; default about {@value #DEFAULT_TILE_FLOATS} floats ({@link #defaultBlockRows}). The
         * result does not depend on it.
         */
        public Builder optBlockRows(int blockRows) {
            this.blockRows = blockRows;
            return this;
        }

        /**
         * Java threads for the work per row (each product's selection, exact distances, seeding,
         * the update's sums by dimension); default 1. The engine's own threads are its setting
         * (e.g. {@code ai.djl.pytorch.num_threads}). The result does not depend on it.
         */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * The manager whose engine and device hold the embeddings (a sub-manager of it per fit,
         * closed after); default a new base manager of DJL's default engine (the GPU when DJL sees
         * one).
         */
        public Builder optManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * @throws IllegalArgumentException when clusters is unset or below 1, iterations below 1,
         *                                  blockRows negative or too large for one product, or
         *                                  threads below 1
         */
        public EngineKMeans build() {
            if (clusters == -1) {
                throw new IllegalArgumentException("clusters (K) is not set");
            }
            checkClusters(clusters);
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations is not at least 1: " + iterations);
            }
            if (blockRows < 0) {
                throw new IllegalArgumentException("blockRows is negative: " + blockRows);
            }
            if ((long) blockRows * clusters > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("blockRows x clusters exceeds one array: " + blockRows + " x "
                        + clusters);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads is not at least 1: " + threads);
            }
            return new EngineKMeans(this);
        }
    }

    static void checkClusters(int clusters) {
        if (clusters < 1) {
            throw new IllegalArgumentException("clusters (K) is not at least 1: " + clusters);
        }
    }

    static void checkClustersFit(int clusters, int n) {
        if (clusters > n) {
            throw new ConfigException("clusters (K) exceeds the number of embeddings (N): " + clusters + " > " + n);
        }
    }

    /** Rows per product for K clusters when none is set: about 2^22 floats, a multiple of 256, at least 256. */
    public static int defaultBlockRows(int clusters) {
        checkClusters(clusters);
        return Math.max(256, DEFAULT_TILE_FLOATS / clusters / 256 * 256);
    }

    /** K. */
    public int clusters() {
        return clusters;
    }

    /** The iterations at most. */
    public int iterations() {
        return iterations;
    }

    /** {@link #fit(EmbeddingMatrix, UniformRandomProvider)} of {@link EmbeddingMatrix#of(float[][])}. */
    public KMeansResult fit(float[][] embeddings, UniformRandomProvider rng) {
        return fit(EmbeddingMatrix.of(embeddings), rng);
    }

    /**
     * k-means++ seeding with draws from {@code rng} ({@link KMeansPlusPlus}), then Lloyd's
     * iterations.
     *
     * @throws ConfigException when K exceeds N
     */
    public KMeansResult fit(EmbeddingMatrix embeddings, UniformRandomProvider rng) {
        checkClustersFit(clusters, embeddings.rows());
        try (EngineAssignment assignment = openAssignment(embeddings)) {
            double[][] start = KMeansPlusPlus.initialise(embeddings, clusters, rng, assignment.workers(), assignment);
            return iterate(embeddings, start, assignment);
        }
    }

    /**
     * The k-means++ centroids a fit with {@code rng} starts from ({@link KMeansPlusPlus}, on this
     * fit's threads and engine), e.g. to start another implementation from the same place.
     *
     * @throws ConfigException when K exceeds N
     */
    public double[][] initialise(EmbeddingMatrix embeddings, UniformRandomProvider rng) {
        checkClustersFit(clusters, embeddings.rows());
        try (EngineAssignment assignment = openAssignment(embeddings)) {
            return KMeansPlusPlus.initialise(embeddings, clusters, rng, assignment.workers(), assignment);
        }
    }

    /**
     * Lloyd's iterations from the given centroids (copied, not changed); no random draws.
     *
     * @throws ConfigException          when K exceeds N
     * @throws IllegalArgumentException when {@code initialCentroids} is not K rows of dimension d
     *                                  with finite values
     */
    public KMeansResult fit(EmbeddingMatrix embeddings, double[][] initialCentroids) {
        int d = embeddings.dimension();
        checkClustersFit(clusters, embeddings.rows());
        if (initialCentroids == null || initialCentroids.length != clusters) {
            throw new IllegalArgumentException("initial centroids: " + (initialCentroids == null ? 0
                    : initialCentroids.length) + " given for " + clusters + " clusters");
        }
        double[][] centroids = new double[clusters][];
        for (int k = 0; k < clusters; k++) {
            if (initialCentroids[k] == null || initialCentroids[k].length != d) {
                throw new IllegalArgumentException("initial centroid " + k + " has dimension " + (initialCentroids[k]
                        == null ? 0 : initialCentroids[k].length) + ", the embeddings have " + d);
            }
            centroids[k] = initialCentroids[k].clone();
        }
        try (EngineAssignment assignment = openAssignment(embeddings)) {
            return iterate(embeddings, centroids, assignment);
        }
    }

    /** Lloyd's iterations from {@code centroids}, which they overwrite. */
    private KMeansResult iterate(EmbeddingMatrix embeddings, double[][] centroids, EngineAssignment assignment) {
        List<Double> history = new ArrayList<>();
        int reseeded = 0;
        EngineAssignment.Assignment current = assignment.assign(centroids);
        int[] previousLabels = null;
        boolean previousReseeded = false;
        int done = 0;
        while (done < iterations) {
            if (previousLabels != null && !previousReseeded && Arrays.equals(previousLabels, current.labels())) {
                break;
            }
            history.add(current.inertia());
            int moved = update(embeddings, current, centroids, assignment.workers());
            reseeded += moved;
            previousReseeded = moved > 0;
            previousLabels = current.labels();
            done++;
            current = assignment.assign(centroids);
        }
        double[] perIteration = history.stream().mapToDouble(Double::doubleValue).toArray();
        return new KMeansResult(current.labels(), centroids, current.inertia(), done, perIteration, reseeded);
    }

    /**
     * Opens the assignment step on this fit's engine and settings, for one assignment at a time
     * (benchmarks, diagnostics); close it after.
     */
    public EngineAssignment openAssignment(EmbeddingMatrix embeddings) {
        int block = blockRows > 0 ? blockRows : defaultBlockRows(clusters);
        return EngineAssignment.open(embeddings, manager, Math.min(block, embeddings.rows()), threads);
    }

    /**
     * The update step: each non-empty cluster's centroid becomes the mean of its embeddings (sums in
     * double in row order, by slices of dimensions); each empty one is re-seeded by the far-point
     * rule. Returns the number re-seeded.
     */
    static int update(EmbeddingMatrix embeddings, EngineAssignment.Assignment assigned, double[][] centroids,
                      RowWorkers workers) {
        int n = embeddings.rows();
        int d = embeddings.dimension();
        int k = centroids.length;
        float[] x = embeddings.values();
        int[] labels = assigned.labels();
        int[] counts = new int[k];
        for (int label : labels) {
            counts[label]++;
        }
        double[][] sums = new double[k][d];
        workers.forEachSlice(d, (slice, j0, j1) -> {
            for (int i = 0; i < n; i++) {
                double[] sum = sums[labels[i]];
                int row = i * d;
                for (int j = j0; j < j1; j++) {
                    sum[j] += x[row + j];
                }
            }
        });
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                for (int j = 0; j < d; j++) {
                    centroids[c][j] = sums[c][j] / counts[c];
                }
            }
        }
        int moved = 0;
        boolean[] used = null;
        double[] distances = assigned.squaredDistances();
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                continue;
            }
            if (used == null) {
                used = new boolean[n];
            }
            int far = -1;
            for (int i = 0; i < n; i++) {
                if (!used[i] && (far < 0 || distances[i] > distances[far])) {
                    far = i;
                }
            }
            if (far < 0) {
                break;
            }
            used[far] = true;
            for (int j = 0; j < d; j++) {
                centroids[c][j] = x[far * d + j];
            }
            moved++;
        }
        return moved;
    }
}
