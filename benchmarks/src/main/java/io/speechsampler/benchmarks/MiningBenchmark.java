package io.speechsampler.benchmarks;

import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.MatMulRate;
import io.speechsampler.hardmining.mining.MiningResult;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Global hard-sample mining time against N (single shots: one mining per measurement), and in the
 * same run the rates it is judged against. x-vector mining finds every pair's distance, 2 N^2 D
 * useful floating-point operations, so its rate is {@code 2 N^2 D / seconds} (whatever it
 * multiplies: the engine kernel multiplies only the tiles on and above the diagonal), reported as a
 * fraction of libtorch's own {@code NDArray.matMul} rate ({@code engineMatMul}: a 10,000 x 512
 * float matrix times its transpose; {@code engineTile}: the miner's tile, 2048 x 512 by 512 x 2048)
 * and, for the Java kernel, of that kernel's GEMM ({@code gemm}). Shots are timed whole;
 * {@code engineMatMul} and {@code engineTile} time the products alone (no copy back). Each shot
 * prints the JVM's CPU time beside its wall time ({@link ShotCpu}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(1)
public class MiningBenchmark {

    /** Embedding width of the synthetic x-vectors. */
    static final int DEPTH = 512;

    /** Speakers with 20 utterances each, random f0 and random 512-d embeddings. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"1000", "10000"})
        public int n;

        /** Java threads (mining; the Java kernel's products); the engine's threads are its own setting. */
        @Param({"2"})
        public int threads;

        /** {@code engine} or {@code java} ({@link EmbeddingMiner.Kernel}). */
        @Param({"engine"})
        public String kernel;

        /** P_M; the paper's best for x-vectors was 0.04. */
        @Param({"0.04"})
        public double fraction;

        List<String> ids;
        List<String> speakers;
        double[] f0;
        float[][] embeddings;

        @Setup(Level.Trial)
        public void setUp() {
            UniformRandomProvider rng = RandomStreams.of(1, "mining-benchmark", n);
            ids = new ArrayList<>(n);
            speakers = new ArrayList<>(n);
            f0 = new double[n];
            embeddings = new float[n][DEPTH];
            for (int i = 0; i < n; i++) {
                ids.add("u" + i);
                speakers.add("s" + i / 20);
                f0[i] = 80 + 180 * rng.nextDouble();
                for (int d = 0; d < DEPTH; d++) {
                    embeddings[i][d] = (float) (rng.nextDouble() - 0.5);
                }
            }
        }

        EmbeddingMiner.Kernel kernel() {
            return EmbeddingMiner.Kernel.valueOf(kernel.toUpperCase(Locale.ROOT));
        }
    }

    /** The shapes of the engine's reference products. */
    @State(Scope.Benchmark)
    public static class Products {
        /** Rows (= columns) of the A A^T product that {@code engineMatMul} times. */
        @Param({"10000"})
        public int rows;

        /** Products per shot of {@code engineTile}, so that a shot lasts about as long as one big product. */
        @Param({"16"})
        public int tiles;
    }

    /**
     * The JVM's CPU time beside each shot's wall time, printed after the shot ({@link CpuMeter}'s
     * counters are not reported in single-shot mode): about twice the wall time means the shot had
     * both cores of a 2-core machine, less means it shared them.
     */
    @State(Scope.Thread)
    public static class ShotCpu {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private long cpu;
        private long wall;

        @Setup(Level.Iteration)
        public void start() {
            cpu = OS.getProcessCpuTime();
            wall = System.nanoTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            System.out.printf(Locale.ROOT, "  [cpu %.2f s in %.2f s wall]%n", (OS.getProcessCpuTime() - cpu) / 1e9,
                    (System.nanoTime() - wall) / 1e9);
        }
    }

    /** Pitch mining, P_M 2%. */
    @Benchmark
    public MiningResult pitch(Data d) {
        return ScalarParameterMiner.pitch(0.02).mine(d.ids, d.speakers, d.f0);
    }

    /** x-vector mining, P_M {@code fraction}, 512-d, the kernel's default block. */
    @Benchmark
    public MiningResult xvector(Data d, ShotCpu cpu) {
        EmbeddingMiner.Kernel k = d.kernel();
        return EmbeddingMiner.of(d.fraction, k, k.defaultBlock(), d.threads).mine(d.ids, d.speakers, d.embeddings);
    }

    /** The Java kernel's GEMM, A A^T for A of n x 512 (2 n^2 512 flops). */
    @Benchmark
    public MatMulRate.Rate gemm(Data d) {
        return MatMulRate.measure(d.n, DEPTH, d.threads);
    }

    /** libtorch's own rate: {@code NDArray.matMul} of a {@code rows x 512} matrix and its transpose. */
    @Benchmark
    public MatMulRate.Rate engineMatMul(Products p, ShotCpu cpu) {
        return MatMulRate.engine(p.rows, p.rows, DEPTH, 1);
    }

    /** libtorch's rate on the miner's tile: {@code tiles} products of block x 512 by 512 x block. */
    @Benchmark
    public MatMulRate.Rate engineTile(Products p, ShotCpu cpu) {
        int block = EmbeddingMiner.Kernel.ENGINE.defaultBlock();
        return MatMulRate.engine(block, block, DEPTH, p.tiles);
    }
}
