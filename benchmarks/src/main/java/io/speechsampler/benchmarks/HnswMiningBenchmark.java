package io.speechsampler.benchmarks;

import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.HardPairTable;
import io.speechsampler.hardmining.mining.HnswEmbeddingMiner;
import io.speechsampler.hardmining.mining.PartnerCount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
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
 * Approximate x-vector mining ({@code mine --index hnsw}) against exact mining ({@code mine
 * --index exact}, the engine kernel) at the same N, M and embeddings, in one run: the time of each
 * (single shots) and the HNSW table's recall of the exact M partners, printed at the end of each
 * HNSW shot ({@code recall}: the share of the exact table's pairs the HNSW table holds, over all
 * utterances).
 *
 * <p>Embeddings as x-vectors are: speakers of 20 utterances, each speaker a random direction
 * ({@code N(0, I)} in 192 dimensions), each utterance its speaker's direction plus {@code N(0,
 * spread^2 I)}; at spread 0.8 two utterances of a speaker have cosine about 0.6, of two speakers
 * about 0. That makes the other-speaker neighbours a sea of nearly equal distances, a hard case for
 * a graph index.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dai.djl.offline=true"})
public class HnswMiningBenchmark {

    static final int DEPTH = 192;
    static final int PER_SPEAKER = 20;

    /** The corpus, the exact table (for recall) and the settings. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"10000", "100000"})
        public int n;

        /** M: partners per utterance. */
        @Param({"32"})
        public int partners;

        @Param({"2"})
        public int threads;

        /** HNSW links per node and layer. */
        @Param({"16"})
        public int m;

        @Param({"200"})
        public int efConstruction;

        @Param({"100"})
        public int ef;

        @Param({"0.8"})
        public double spread;

        final List<String> ids = new ArrayList<>();
        final List<String> speakers = new ArrayList<>();
        float[][] rows;
        HardPairTable exact;
        HardPairTable approximate;

        @Setup(Level.Trial)
        public void setUp() {
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(20261201L);
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            rows = new float[n][DEPTH];
            double[] centre = new double[DEPTH];
            for (int i = 0; i < n; i++) {
                if (i % PER_SPEAKER == 0) {
                    for (int k = 0; k < DEPTH; k++) {
                        centre[k] = g.sample();
                    }
                }
                ids.add(String.format(Locale.ROOT, "u%07d", i));
                speakers.add("s" + i / PER_SPEAKER);
                for (int k = 0; k < DEPTH; k++) {
                    rows[i][k] = (float) (centre[k] + spread * g.sample());
                }
            }
            exact = exactMiner(this).mine(ids, speakers, rows).table();
        }

        @TearDown(Level.Iteration)
        public void recall() {
            if (approximate == null) {
                return;
            }
            long hits = 0;
            long wanted = 0;
            for (String id : ids) {
                Set<String> truth = new HashSet<>(exact.partnersOf(id));
                wanted += truth.size();
                for (String p : approximate.partnersOf(id)) {
                    hits += truth.contains(p) ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "%nrecall: %.4f of the exact %d pairs (N=%d, M=%d, m=%d, efConstruction=%d,"
                    + " ef=%d, %d threads)%n", (double) hits / wanted, wanted, n, partners, m, efConstruction, ef,
                    threads);
            approximate = null;
        }
    }

    static EmbeddingMiner exactMiner(Data d) {
        return EmbeddingMiner.of(PartnerCount.nearest(d.partners), EmbeddingMiner.Kernel.ENGINE,
                EmbeddingMiner.Kernel.ENGINE.defaultBlock(), d.threads);
    }

    /** Exact mining (every pair, libtorch's matrix products), as {@code mine --index exact}. */
    @Benchmark
    public long exact(Data d) {
        return exactMiner(d).mine(d.ids, d.speakers, d.rows).table().pairCount();
    }

    /** HNSW mining, as {@code mine --index hnsw}: building the graph and querying every utterance. */
    @Benchmark
    public long hnsw(Data d) {
        d.approximate = HnswEmbeddingMiner.of(d.partners, new HnswEmbeddingMiner.Settings(d.m, d.efConstruction, d.ef),
                d.threads, HnswEmbeddingMiner.Progress.NONE).mine(d.ids, d.speakers, d.rows).table();
        return d.approximate.pairCount();
    }
}
