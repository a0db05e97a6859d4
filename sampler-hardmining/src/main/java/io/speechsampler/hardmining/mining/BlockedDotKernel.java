package io.speechsampler.hardmining.mining;

import java.util.Arrays;

/**
 * The dot-product kernel shared by {@link EmbeddingMiner} and {@link MatMulRate}: a tile of rows
 * of a row-major matrix times a column panel stored depth-major ({@code panel[k * width + j]}).
 * Four rows share each load of the panel, and the innermost loop runs over contiguous columns so
 * that the JIT vectorises it. Every dot product is accumulated in float in the order
 * {@code k = 0, 1, ..., depth - 1}, whatever the tile, block or thread: results are bitwise
 * reproducible and equal to the plain loop {@code s += a[k] * b[k]}.
 */
final class BlockedDotKernel {

    private BlockedDotKernel() {
    }

    /**
     * Copies columns {@code [from, from + width)} of row-major {@code rows} ({@code depth} floats a
     * row) into a depth-major panel.
     */
    static float[] panel(float[] rows, int depth, int from, int width) {
        float[] p = new float[depth * width];
        for (int j = 0; j < width; j++) {
            int src = (from + j) * depth;
            for (int k = 0; k < depth; k++) {
                p[k * width + j] = rows[src + k];
            }
        }
        return p;
    }

    /**
     * {@code out[r * width + j] = dot(row rowFrom + r of a, column j of panel)} for
     * {@code r < rowCount}; {@code c0..c3} are scratch rows of at least {@code width} floats.
     */
    static void multiply(float[] a, int depth, int rowFrom, int rowCount, float[] panel, int width, float[] out,
                         float[] c0, float[] c1, float[] c2, float[] c3) {
        int r = 0;
        for (; r + 4 <= rowCount; r += 4) {
            Arrays.fill(c0, 0, width, 0f);
            Arrays.fill(c1, 0, width, 0f);
            Arrays.fill(c2, 0, width, 0f);
            Arrays.fill(c3, 0, width, 0f);
            int a0 = (rowFrom + r) * depth;
            for (int k = 0; k < depth; k++) {
                float x0 = a[a0 + k];
                float x1 = a[a0 + depth + k];
                float x2 = a[a0 + 2 * depth + k];
                float x3 = a[a0 + 3 * depth + k];
                int pk = k * width;
                for (int j = 0; j < width; j++) {
                    float b = panel[pk + j];
                    c0[j] += x0 * b;
                    c1[j] += x1 * b;
                    c2[j] += x2 * b;
                    c3[j] += x3 * b;
                }
            }
            System.arraycopy(c0, 0, out, r * width, width);
            System.arraycopy(c1, 0, out, (r + 1) * width, width);
            System.arraycopy(c2, 0, out, (r + 2) * width, width);
            System.arraycopy(c3, 0, out, (r + 3) * width, width);
        }
        for (; r < rowCount; r++) {
            Arrays.fill(c0, 0, width, 0f);
            int a0 = (rowFrom + r) * depth;
            for (int k = 0; k < depth; k++) {
                float x0 = a[a0 + k];
                int pk = k * width;
                for (int j = 0; j < width; j++) {
                    c0[j] += x0 * panel[pk + j];
                }
            }
            System.arraycopy(c0, 0, out, r * width, width);
        }
    }
}
