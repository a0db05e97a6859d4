package io.speechsampler.lossgate.kmeans;

import java.util.ArrayList;
import io.speechsampler.api.concurrent.Futures;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Java threads for work that is independent per row (a tile's selection, distances to a new
 * centroid): rows {@code [0, n)} are cut into one slice per thread, and every row's result depends
 * on that row alone, so the outcome does not depend on the thread count. Sums over rows are left to
 * the caller, in row order. One thread runs the slices on the calling thread.
 */
final class RowWorkers implements AutoCloseable {

    /** Work on rows {@code [from, to)}; {@code slice} numbers the slice (for per-slice counters). */
    interface SliceTask {
        void run(int slice, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    private RowWorkers(int threads) {
        this.threads = threads;
        AtomicInteger threadNo = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "k-means-" + threadNo.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    static RowWorkers of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is not at least 1: " + threads);
        }
        return new RowWorkers(threads);
    }

    int threads() {
        return threads;
    }

    /** Runs {@code task} over {@code threads} slices of {@code [0, n)} and waits for all of them. */
    void forEachSlice(int n, SliceTask task) {
        int slices = Math.max(1, Math.min(threads, n));
        if (pool == null || slices == 1) {
            for (int s = 0; s < slices; s++) {
                task.run(s, bound(n, slices, s), bound(n, slices, s + 1));
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            int slice = s;
            futures.add(pool.submit(() -> task.run(slice, bound(n, slices, slice), bound(n, slices, slice + 1))));
        }
        Futures.joinAll(futures, "k-means");
    }

    private static int bound(int n, int slices, int s) {
        return (int) ((long) n * s / slices);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
