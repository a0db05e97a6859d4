package io.speechsampler.hardmining.mining;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.speechsampler.api.random.RandomStreams;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Measures this machine's matrix-multiply rates, so that a benchmark can report x-vector mining
 * speed as a fraction of them: {@link #measure} with the very kernel and blocking of {@link
 * EmbeddingMiner.Kernel#JAVA} ({@code A * A^T} for a random {@code n x depth} float matrix, no
 * selection), and {@link #engine} with one {@code NDArray.matMul} on DJL's default engine, the
 * engine's own rate. Matrices come from {@link RandomStreams} (purpose {@code matmul-rate}, one
 * {@code nextFloat} per entry). Wall-clock timing: for benchmarks and reports, never for tests'
 * assertions.
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

    /** {@link #measure(int, int, int, int)} with the Java kernel's default block. */
    public static Rate measure(int n, int depth, int threads) {
        return measure(n, depth, EmbeddingMiner.Kernel.JAVA.defaultBlock(), threads);
    }

    /**
     * Times one {@code A * A^T} of a random {@code n x depth} matrix in blocks of {@code block}
     * over {@code threads} threads; run it a few times and keep the best to skip JIT warm-up.
     */
    public static Rate measure(int n, int depth, int block, int threads) {
        EmbeddingMiner.checkShape(n, depth, block, threads);
        float[] a = randomMatrix(n, depth, 0);
        long start = System.nanoTime();
        BlockedProduct.run(a, n, depth, block, threads, new BlockedProduct.BlockTask() {
            @Override
            public BlockedProduct.TileSink open(int rowFrom, int rowCount) {
                return (r, rc, c, w, dots, offset) -> { };
            }

            @Override
            public void close(BlockedProduct.TileSink sink) {
                // nothing is selected: the rate is the kernel's alone
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Rate(2L * n * n * depth, seconds);
    }

    /**
     * Times {@code repeats} engine products {@code A * B^T} of random {@code rows x depth} A and
     * {@code cols x depth} B ({@code B = A} when {@code rows == cols}: the product of A and its
     * transpose) on DJL's default engine and device, each from the call to {@code matMul} until
     * one entry of it can be read; products stay on the device (no copy is timed) and are closed
     * one by one. The engine's intra-op threads are its own setting. Run it a few times and keep
     * the best.
     */
    public static Rate engine(int rows, int cols, int depth, int repeats) {
        EmbeddingMiner.checkShape(rows, depth, 1, 1);
        EmbeddingMiner.checkShape(cols, depth, 1, 1);
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats is not at least 1: " + repeats);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(randomMatrix(rows, depth, 0), new Shape(rows, depth));
            NDArray b = rows == cols ? a : manager.create(randomMatrix(cols, depth, 1), new Shape(cols, depth));
            NDArray bt = b.transpose();
            long nanos = 0;
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                try (NDArray product = a.matMul(bt)) {
                    product.getFloat(0, 0);
                    nanos += System.nanoTime() - start;
                }
            }
            return new Rate(2L * rows * cols * depth * repeats, nanos / 1e9);
        }
    }

    private static float[] randomMatrix(int n, int depth, long stream) {
        UniformRandomProvider rng = RandomStreams.of(0, "matmul-rate", stream);
        float[] a = new float[n * depth];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextFloat() - 0.5f;
        }
        return a;
    }
}
