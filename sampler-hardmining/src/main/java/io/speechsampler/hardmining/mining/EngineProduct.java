package io.speechsampler.hardmining.mining;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Drives DJL's default engine over all tiles of {@code A * A^T} for a row-major {@code n x depth}
 * matrix, with the same {@link BlockedProduct.BlockTask} contract as {@link BlockedProduct}. A
 * goes to the engine's default device once. The product is symmetric, so only the tiles on and
 * above the diagonal are multiplied: tile {@code (q, c)} with {@code q <= c}, one {@code matMul}
 * of the {@code block} rows of block q by the {@code block} rows of block c, serves the rows of
 * block q as it is and, transposed, the rows of block c (about half the multiplications; each
 * pair's dot is one float, the same for both rows). The product is copied back in one bulk copy
 * from a view of the engine's memory into a reused array ({@code toFloatArray} would allocate a
 * direct buffer and an array per tile and copy twice, measurably slower at 16 MiB a tile); the
 * slices of block c transpose their own columns of it in Java, in parallel.
 *
 * <p>Tiles go in row-major order ({@code q} ascending, then {@code c}), so every row sees its
 * columns in ascending order: from the transposed tiles above it, then along its own block row.
 * The rows of a block are split into {@code threads} slices, each with its own sink, opened by its
 * first tile; a tile's slices are selected in parallel on Java threads between two products (the
 * engine's own threads are the engine's setting, e.g. {@code ai.djl.pytorch.num_threads}). A
 * block's sinks are closed after its block row. Every row is owned by one sink, so the selection
 * threads never change the outcome. Memory: A on the device, every row's sink (O(N M)), one
 * product there, and here its copy and transpose ({@code 2 block^2} floats). Each tile's arrays
 * live in their own {@link NDManager}, closed after the copy.
 */
final class EngineProduct {

    private EngineProduct() {
    }

    static void run(float[] rows, int n, int depth, int block, int threads, BlockedProduct.BlockTask task) {
        int blocks = (n + block - 1) / block;
        Slices[] slices = new Slices[blocks];
        for (int b = 0; b < blocks; b++) {
            slices[b] = new Slices(b * block, Math.min(block, n - b * block), threads, task);
        }
        ExecutorService pool = threads > 1 ? BlockedProduct.pool(threads) : null;
        float[] dots = new float[0];
        float[] transposed = new float[0];
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray a = root.create(rows, new Shape(n, depth));
            for (int q = 0; q < blocks; q++) {
                Slices rowsOfQ = slices[q];
                NDIndex queryRows = new NDIndex().addSliceDim(rowsOfQ.from, rowsOfQ.from + rowsOfQ.count);
                for (int c = q; c < blocks; c++) {
                    Slices rowsOfC = slices[c];
                    int tileSize = rowsOfQ.count * rowsOfC.count;
                    if (dots.length < tileSize) {
                        dots = new float[tileSize];
                        transposed = new float[tileSize];
                    }
                    try (NDManager tile = root.newSubManager()) {
                        NDArray product = a.get(tile, queryRows).matMul(a.get(tile,
                                new NDIndex().addSliceDim(rowsOfC.from, rowsOfC.from + rowsOfC.count)).transpose());
                        product.toByteBuffer(true).asFloatBuffer().get(dots, 0, tileSize);
                    }
                    List<Runnable> work = new ArrayList<>();
                    rowsOfQ.select(rowsOfC.from, rowsOfC.count, dots, null, work);
                    if (c != q) {
                        rowsOfC.select(rowsOfQ.from, rowsOfQ.count, dots, transposed, work);
                    }
                    run(work, pool);
                }
                List<Runnable> closing = new ArrayList<>();
                rowsOfQ.close(closing);
                run(closing, pool);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Writes rows {@code [from, from + count)} of the transpose of the row-major {@code rows x
     * width} {@code tile} (its columns) to the same place in the row-major {@code width x rows}
     * {@code into}, in 64 x 64 blocks so that reads and writes stay in cache.
     */
    private static void transpose(float[] tile, int rows, int width, int from, int count, float[] into) {
        for (int c0 = from; c0 < from + count; c0 += 64) {
            int c1 = Math.min(c0 + 64, from + count);
            for (int r0 = 0; r0 < rows; r0 += 64) {
                int r1 = Math.min(r0 + 64, rows);
                for (int c = c0; c < c1; c++) {
                    int out = c * rows;
                    for (int r = r0; r < r1; r++) {
                        into[out + r] = tile[r * width + c];
                    }
                }
            }
        }
    }

    private static void run(List<Runnable> work, ExecutorService pool) {
        if (pool == null || work.size() == 1) {
            work.forEach(Runnable::run);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(work.size());
        for (Runnable r : work) {
            futures.add(pool.submit(r));
        }
        BlockedProduct.join(futures);
    }

    /** The rows of one block, split into slices with a sink each. */
    private static final class Slices {
        final int from;
        final int count;
        private final int[] sliceFrom;
        private final BlockedProduct.TileSink[] sinks;
        private final BlockedProduct.BlockTask task;

        Slices(int from, int count, int threads, BlockedProduct.BlockTask task) {
            this.from = from;
            this.count = count;
            this.task = task;
            int slices = Math.min(threads, count);
            sliceFrom = new int[slices + 1];
            sinks = new BlockedProduct.TileSink[slices];
            for (int s = 0; s <= slices; s++) {
                sliceFrom[s] = from + (int) ((long) count * s / slices);
            }
        }

        /**
         * Adds the selection of a tile of these rows times columns {@code [colFrom, colFrom + width)}:
         * {@code tileDots} row-major, or, when {@code transposed} is given, {@code tileDots} is the
         * {@code width x count} tile of those columns times these rows, and each slice first writes
         * its part of the transpose there. A slice's sink is opened by its first selection, on a
         * worker (so the selections' memory is allocated and first touched in parallel, when needed).
         */
        void select(int colFrom, int width, float[] tileDots, float[] transposed, List<Runnable> work) {
            for (int s = 0; s < sinks.length; s++) {
                int slice = s;
                int rowFrom = sliceFrom[s];
                int rowCount = sliceFrom[s + 1] - rowFrom;
                int offset = (rowFrom - from) * width;
                work.add(() -> {
                    if (sinks[slice] == null) {
                        sinks[slice] = task.open(rowFrom, rowCount);
                    }
                    float[] mine = tileDots;
                    if (transposed != null) {
                        transpose(tileDots, width, count, rowFrom - from, rowCount, transposed);
                        mine = transposed;
                    }
                    sinks[slice].tile(rowFrom, rowCount, colFrom, width, mine, offset);
                });
            }
        }

        void close(List<Runnable> work) {
            for (BlockedProduct.TileSink sink : sinks) {
                work.add(() -> task.close(sink));
            }
        }
    }
}
