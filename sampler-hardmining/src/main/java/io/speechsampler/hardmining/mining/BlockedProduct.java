package io.speechsampler.hardmining.mining;

import java.util.ArrayList;
import io.speechsampler.api.concurrent.Futures;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives {@link BlockedDotKernel} over all tiles of {@code A * A^T} for a row-major {@code n x
 * depth} matrix: query blocks of rows are tasks spread over a fixed number of threads; each task
 * walks every column panel in order and hands its tiles to a {@link TileSink}. A task touches
 * only its own rows' results, so the outcome does not depend on the thread count. Memory: the
 * panels (a transposed copy of A) plus one {@code block x block} tile and scratch per thread.
 */
final class BlockedProduct {

    /**
     * Receives one tile: {@code dots[offset + r * width + j]} is the dot of row {@code rowFrom + r}
     * and column {@code colFrom + j}.
     */
    interface TileSink {
        void tile(int rowFrom, int rowCount, int colFrom, int width, float[] dots, int offset);
    }

    /** Creates the per-query-block sink (e.g. the selection of those rows) and finishes it. */
    interface BlockTask {
        TileSink open(int rowFrom, int rowCount);

        void close(TileSink sink);
    }

    private BlockedProduct() {
    }

    static void run(float[] rows, int n, int depth, int block, int threads, BlockTask task) {
        int blocks = (n + block - 1) / block;
        float[][] panels = new float[blocks][];
        for (int b = 0; b < blocks; b++) {
            panels[b] = BlockedDotKernel.panel(rows, depth, b * block, Math.min(block, n - b * block));
        }
        ExecutorService pool = pool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>(blocks);
            for (int qb = 0; qb < blocks; qb++) {
                int rowFrom = qb * block;
                int rowCount = Math.min(block, n - rowFrom);
                futures.add(pool.submit(() -> queryBlock(rows, n, depth, block, panels, rowFrom, rowCount, task)));
            }
            join(futures);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A fixed pool of daemon threads named {@code hard-mining-K}. */
    static ExecutorService pool(int threads) {
        AtomicInteger threadNo = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hard-mining-" + threadNo.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits for every task; a task's exception is rethrown as it was thrown. */
    static void join(List<Future<?>> futures) {
        Futures.joinAll(futures, "mining");
    }

    private static void queryBlock(float[] rows, int n, int depth, int block, float[][] panels, int rowFrom,
                                   int rowCount, BlockTask task) {
        float[] dots = new float[block * block];
        float[] c0 = new float[block];
        float[] c1 = new float[block];
        float[] c2 = new float[block];
        float[] c3 = new float[block];
        TileSink sink = task.open(rowFrom, rowCount);
        for (int cb = 0; cb < panels.length; cb++) {
            int colFrom = cb * block;
            int width = Math.min(block, n - colFrom);
            BlockedDotKernel.multiply(rows, depth, rowFrom, rowCount, panels[cb], width, dots, c0, c1, c2, c3);
            sink.tile(rowFrom, rowCount, colFrom, width, dots, 0);
        }
        task.close(sink);
    }
}
