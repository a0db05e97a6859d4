package io.speechsampler.lossgate.kmeans;

import io.speechsampler.api.config.ConfigException;

/**
 * N embeddings of one dimension d, checked once: at least one row, every row of the same
 * dimension, every value finite. Held row-major in one float array ({@code values[i * d + j]}),
 * the layout the engine multiplies. The data are bad input from outside (a model's embeddings, a
 * file), so a violation is a {@link ConfigException} naming the row, the dimension and the value.
 */
public final class EmbeddingMatrix {

    private final float[] values;
    private final int rows;
    private final int dimension;

    private EmbeddingMatrix(float[] values, int rows, int dimension) {
        this.values = values;
        this.rows = rows;
        this.dimension = dimension;
    }

    /**
     * Copies {@code embeddings} (row i is embedding i) into one row-major array.
     *
     * @throws ConfigException when there are no rows, a row is null or empty, the rows differ in
     *                         dimension, a value is not finite, or N d exceeds the array limit
     */
    public static EmbeddingMatrix of(float[][] embeddings) {
        if (embeddings == null || embeddings.length == 0) {
            throw new ConfigException("embeddings: no rows to cluster");
        }
        int d = dimensionOf(embeddings, 0);
        for (int i = 1; i < embeddings.length; i++) {
            int di = dimensionOf(embeddings, i);
            if (di != d) {
                throw new ConfigException("embedding " + i + " has dimension " + di + ", embedding 0 has " + d);
            }
        }
        if ((long) embeddings.length * d > Integer.MAX_VALUE - 8) {
            throw new ConfigException("embeddings: N x d exceeds one array: " + embeddings.length + " x " + d);
        }
        float[] flat = new float[embeddings.length * d];
        for (int i = 0; i < embeddings.length; i++) {
            System.arraycopy(embeddings[i], 0, flat, i * d, d);
        }
        return checkedFinite(flat, embeddings.length, d);
    }

    /**
     * Wraps a row-major {@code rows x dimension} array without copying it: it must not change while
     * a fit uses it.
     *
     * @throws ConfigException when {@code rows} or {@code dimension} is below 1, the array's length
     *                         is not their product, or a value is not finite
     */
    public static EmbeddingMatrix wrap(float[] values, int rows, int dimension) {
        if (rows < 1) {
            throw new ConfigException("embeddings: rows is not at least 1: " + rows);
        }
        if (dimension < 1) {
            throw new ConfigException("embeddings: dimension is not at least 1: " + dimension);
        }
        if (values == null || values.length != (long) rows * dimension) {
            throw new ConfigException("embeddings: " + (values == null ? "no array" : values.length + " values")
                    + " for " + rows + " x " + dimension);
        }
        return checkedFinite(values, rows, dimension);
    }

    private static int dimensionOf(float[][] embeddings, int i) {
        if (embeddings[i] == null || embeddings[i].length == 0) {
            throw new ConfigException("embedding " + i + " is empty");
        }
        return embeddings[i].length;
    }

    private static EmbeddingMatrix checkedFinite(float[] values, int rows, int dimension) {
        for (int p = 0; p < values.length; p++) {
            if (!Float.isFinite(values[p])) {
                throw new ConfigException("embedding " + p / dimension + " has a non-finite value at dimension "
                        + p % dimension + ": " + values[p]);
            }
        }
        return new EmbeddingMatrix(values, rows, dimension);
    }

    /** N, the number of embeddings. */
    public int rows() {
        return rows;
    }

    /** d, the dimension of every embedding. */
    public int dimension() {
        return dimension;
    }

    /** Value {@code j} of embedding {@code i}. */
    public float get(int i, int j) {
        return values[i * dimension + j];
    }

    /** A copy of embedding {@code i}. */
    public float[] row(int i) {
        float[] r = new float[dimension];
        System.arraycopy(values, i * dimension, r, 0, dimension);
        return r;
    }

    /** The row-major array itself (not a copy), for this package's kernels. */
    float[] values() {
        return values;
    }
}
