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
 * matrix, with the same {@link BlockedProduct.BlockTask} contract as {@link BlockedProduct}: A goes
 * to the engine's default device once; each query block of {@code block} rows times each column
 * panel of {@code block} columns is one engine product ({@code NDArray.matMul}), copied back with
 * one {@code toFloatArray} and handed to the sinks. The rows of a query block are split into
 * {@code threads} slices, each with its own sink, which select a tile in parallel on Java threads
 * between two products (the engine's own threads are the engine's setting, e.g.
 * {@code ai.djl.pytorch.num_threads}). Every row is owned by one sink, so the selection threads
 * never change the outcome. Memory: A on the device, one product there and its copy here
 * ({@code 2 block^2} floats). Each tile's arrays live in their own {@link NDManager}, closed after
 * the copy.
 */
final class EngineProduct {

    private EngineProduct() {
    }

    static void run(float[] rows, int n, int depth, int block, int threads, BlockedProduct.BlockTask task) {
        ExecutorService pool = threads > 1 ? BlockedProduct.pool(threads) : null;
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray a = root.create(rows, new Shape(n, depth));
            for (int rowFrom = 0; rowFrom < n; rowFrom += block) {
                queryBlock(a, n, block, threads, rowFrom, Math.min(block, n - rowFrom), task, pool);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static void queryBlock(NDArray a, int n, int block, int threads, int rowFrom, int rowCount,
                                   BlockedProduct.BlockTask task, ExecutorService pool) {
        int slices = Math.min(threads, rowCount);
        int[] sliceFrom = new int[slices + 1];
        BlockedProduct.TileSink[] sinks = new BlockedProduct.TileSink[slices];
        for (int s = 0; s <= slices; s++) {
            sliceFrom[s] = rowFrom + (int) ((long) rowCount * s / slices);
        }
        for (int s = 0; s < slices; s++) {
            sinks[s] = task.open(sliceFrom[s], sliceFrom[s + 1] - sliceFrom[s]);
        }
        NDIndex queryRows = new NDIndex().addSliceDim(rowFrom, rowFrom + rowCount);
        for (int colFrom = 0; colFrom < n; colFrom += block) {
            int width = Math.min(block, n - colFrom);
            float[] dots;
            try (NDManager tile = a.getManager().newSubManager()) {
                NDArray q = a.get(tile, queryRows);
                NDArray panel = a.get(tile, new NDIndex().addSliceDim(colFrom, colFrom + width));
                dots = q.matMul(panel.transpose()).toFloatArray();
            }
            if (slices == 1) {
                sinks[0].tile(rowFrom, rowCount, colFrom, width, dots, 0);
                continue;
            }
            List<Future<?>> futures = new ArrayList<>(slices);
            for (int s = 0; s < slices; s++) {
                BlockedProduct.TileSink sink = sinks[s];
                int from = sliceFrom[s];
                int count = sliceFrom[s + 1] - from;
                int col = colFrom;
                futures.add(pool.submit(() -> sink.tile(from, count, col, width, dots, (from - rowFrom) * width)));
            }
            BlockedProduct.join(futures);
        }
        for (BlockedProduct.TileSink sink : sinks) {
            task.close(sink);
        }
    }
}
