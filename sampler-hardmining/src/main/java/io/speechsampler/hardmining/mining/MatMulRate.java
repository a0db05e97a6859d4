package io.speechsampler.hardmining.mining;

import io.speechsampler.api.random.RandomStreams;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Measures this machine's plain-Java matrix-multiply rate with the very kernel and blocking that
 * {@link EmbeddingMiner} uses ({@code A * A^T} for a random {@code n x depth} float matrix, no
 * selection), so that a benchmark can report x-vector mining speed as a fraction of it. The
 * matrix comes from {@link RandomStreams} (purpose {@code matmul-rate}, one {@code nextFloat}
 * per entry). Wall-clock timing: for benchmarks and reports, never for tests' assertions.
 */
public final class MatMulRate {

    /**
     * One measurement.
     *
     * @param flops   floating-point operations done ({@code 2 n^2 depth})
     * @param seconds wall-clock seconds
     */
    public record Rate(long flops, double seconds) {

        /** Billions of floating-point operations per second. */
        public double gflopsPerSecond() {
            return flops / seconds / 1e9;
        }

        @Override
        public String toString() {
            return String.format("%.2f GFLOP/s (%d flops in %.3f s)", gflopsPerSecond(), flops, seconds);
        }
    }

    private MatMulRate() {
    }

    /** {@link #measure(int, int, int, int)} with the miner's default block of 256. */
    public static Rate measure(int n, int depth, int threads) {
        return measure(n, depth, EmbeddingMiner.DEFAULT_BLOCK, threads);
    }

    /**
     * Times one {@code A * A^T} of a random {@code n x depth} matrix in blocks of {@code block}
     * over {@code threads} threads; run it a few times and keep the best to skip JIT warm-up.
     */
    public static Rate measure(int n, int depth, int block, int threads) {
        EmbeddingMiner.checkShape(n, depth, block, threads);
        UniformRandomProvider rng = RandomStreams.of(0, "matmul-rate", 0);
        float[] a = new float[n * depth];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextFloat() - 0.5f;
        }
        long start = System.nanoTime();
        BlockedProduct.run(a, n, depth, block, threads, new BlockedProduct.BlockTask() {
            @Override
            public BlockedProduct.TileSink open(int rowFrom, int rowCount) {
                return (r, rc, c, w, dots) -> { };
            }

            @Override
            public void close(BlockedProduct.TileSink sink) {
                // nothing is selected: the rate is the kernel's alone
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Rate(2L * n * n * depth, seconds);
    }
}
