package io.speechsampler.lossgate.kmeans;

/**
 * The outcome of a k-means fit. The labels are the assignment to the final centroids (one last
 * assignment step after the last update), so {@code inertia} is the objective of the centroids
 * returned.
 *
 * @param labels              each embedding's cluster in {@code [0, K)}: its nearest final
 *                            centroid, ties to the lowest index
 * @param centroids           the K final centroids, {@code K x d}, in double
 * @param inertia             the sum over embeddings of the squared distance to their centroid
 * @param iterations          update steps done: the fit's {@code iterations}, or fewer when an
 *                            assignment changed no label (a fixed point)
 * @param inertiaPerIteration entry t: the inertia of the assignment step of iteration t + 1 (to
 *                            the centroids before its update); non-increasing, and at least
 *                            {@code inertia}
 * @param reseeded            empty clusters re-seeded over the fit ({@link EngineKMeans}'s rule)
 */
public record KMeansResult(int[] labels, double[][] centroids, double inertia, int iterations,
                           double[] inertiaPerIteration, int reseeded) {

    /** K, the number of clusters. */
    public int clusters() {
        return centroids.length;
    }

    /** The number of embeddings labelled with each cluster. */
    public int[] sizes() {
        int[] sizes = new int[centroids.length];
        for (int label : labels) {
            sizes[label]++;
        }
        return sizes;
    }
}
