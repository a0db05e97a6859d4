package io.speechsampler.benchmarks;

import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.MatMulRate;
import io.speechsampler.hardmining.mining.MiningResult;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Global hard-sample mining time against N (single shots: one mining per measurement), and the
 * same machine's matrix-multiply rate with the miner's own kernel, in one run: x-vector mining
 * does N^2 D multiply-adds, so its rate as a fraction of the GEMM rate is
 * {@code 2 N^2 D / seconds / gemmFlopsPerSecond}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(1)
public class MiningBenchmark {

    /** Speakers with 20 utterances each, random f0 and random 512-d embeddings. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"1000", "10000"})
        public int n;

        @Param({"2"})
        public int threads;

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
            embeddings = new float[n][512];
            for (int i = 0; i < n; i++) {
                ids.add("u" + i);
                speakers.add("s" + i / 20);
                f0[i] = 80 + 180 * rng.nextDouble();
                for (int d = 0; d < 512; d++) {
                    embeddings[i][d] = (float) (rng.nextDouble() - 0.5);
                }
            }
        }
    }

    /** Pitch mining, P_M 2%. */
    @Benchmark
    public MiningResult pitch(Data d) {
        return ScalarParameterMiner.pitch(0.02).mine(d.ids, d.speakers, d.f0);
    }

    /** x-vector mining, P_M 4%, 512-d. */
    @Benchmark
    public MiningResult xvector(Data d) {
        return EmbeddingMiner.of(0.04, EmbeddingMiner.DEFAULT_BLOCK, d.threads).mine(d.ids, d.speakers, d.embeddings);
    }

    /** The same kernel's GEMM, A A^T for A of n x 512 (2 n^2 512 flops). */
    @Benchmark
    public MatMulRate.Rate gemm(Data d) {
        return MatMulRate.measure(d.n, 512, d.threads);
    }
}
