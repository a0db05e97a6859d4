package io.speechsampler.benchmarks;

import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.HardPairTable;
import io.speechsampler.hardmining.mining.IvfEmbeddingMiner;
import io.speechsampler.hardmining.mining.PartnerCount;
import io.speechsampler.lossgate.kmeans.EmbeddingMatrix;
import io.speechsampler.lossgate.kmeans.EngineKMeans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * Approximate x-vector mining with an inverted-file index ({@code mine --index ivf}) against exact
 * mining ({@code mine --index exact}, the engine kernel) at the same N, M and embeddings, in one
 * run: the time of each (single shots) and the IVF table's recall of the exact M partners, printed
 * at the end of each IVF shot ({@code recall}: the share of the exact pairs the IVF table holds).
 * The embeddings are {@link HnswMiningBenchmark}'s (speakers of 20 utterances around random
 * directions in 192 dimensions, spread 0.8), a sea of nearly equal other-speaker distances with
 * little structure for lists to follow. With {@code groups > 0} the speaker directions are
 * themselves grouped instead (each speaker its group's random direction plus {@code N(0,
 * groupSpread^2 I)}), as accents, languages or channels group real x-vectors.
 *
 * <p>{@code reference}: {@code exact} mines the whole table exactly in the set-up (as the HNSW
 * benchmark does; at N = 1e5 about half a minute on 2 cores); {@code sample} is for N where that
 * is too slow (1e6): the exact M partners of {@code sampleQueries} utterances drawn with a seeded
 * provider, by brute force over every other-speaker utterance for those only, with the Java
 * kernel's distances (the IVF miner's own), and the recall over those utterances.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-Dai.djl.offline=true"})
public class IvfMiningBenchmark {

    /** The corpus, the reference partners (for recall) and the settings. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"100000"})
        public int n;

        /** M: partners per utterance. */
        @Param({"32"})
        public int partners;

        @Param({"2"})
        public int threads;

        /** K: 0 for the default, round(sqrt(N)). */
        @Param({"0"})
        public int lists;

        /** P: lists each utterance searches; 0 for the default, ceil(K / 8). */
        @Param({"0", "80", "160"})
        public int probes;

        @Param({"10"})
        public int iterations;

        @Param({"0.8"})
        public double spread;

        /** 0: the HNSW benchmark's embeddings; else speakers in this many groups. */
        @Param({"0"})
        public int groups;

        @Param({"0.6"})
        public double groupSpread;

        /** exact (the whole exact table) or sample (brute force for sampleQueries utterances). */
        @Param({"exact"})
        public String reference;

        @Param({"1000"})
        public int sampleQueries;

        final List<String> ids = new ArrayList<>();
        final List<String> speakers = new ArrayList<>();
        float[][] rows;
        /** The utterances whose recall is measured and their exact partners. */
        int[] queries;
        List<Set<String>> truth;
        HardPairTable approximate;

        @Setup(Level.Trial)
        public void setUp() {
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(20261201L);
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            rows = new float[n][HnswMiningBenchmark.DEPTH];
            double[] centre = new double[HnswMiningBenchmark.DEPTH];
            double[][] group = new double[Math.max(groups, 0)][HnswMiningBenchmark.DEPTH];
            for (double[] a : group) {
                for (int k = 0; k < a.length; k++) {
                    a[k] = g.sample();
                }
            }
            for (int i = 0; i < n; i++) {
                if (i % HnswMiningBenchmark.PER_SPEAKER == 0) {
                    for (int k = 0; k < HnswMiningBenchmark.DEPTH; k++) {
                        centre[k] = groups > 0 ? group[i / HnswMiningBenchmark.PER_SPEAKER % groups][k]
                                + groupSpread * g.sample() : g.sample();
                    }
                }
                ids.add(String.format(Locale.ROOT, "u%07d", i));
                speakers.add("s" + i / HnswMiningBenchmark.PER_SPEAKER);
                for (int k = 0; k < HnswMiningBenchmark.DEPTH; k++) {
                    rows[i][k] = (float) (centre[k] + spread * g.sample());
                }
            }
            truth = new ArrayList<>();
            if (reference.equals("exact")) {
                HardPairTable exact = exactMiner(this).mine(ids, speakers, rows).table();
                queries = IntStream.range(0, n).toArray();
                for (String id : ids) {
                    truth.add(new HashSet<>(exact.partnersOf(id)));
                }
            } else if (reference.equals("sample")) {
                queries = sampledQueries(n, Math.min(n, sampleQueries));
                truth = bruteForce(this, queries);
            } else {
                throw new IllegalArgumentException("reference is not exact or sample: " + reference);
            }
        }

        @TearDown(Level.Iteration)
        public void recall() {
            if (approximate == null) {
                return;
            }
            long hits = 0;
            long wanted = 0;
            for (int q = 0; q < queries.length; q++) {
                Set<String> exact = truth.get(q);
                wanted += exact.size();
                for (String p : approximate.partnersOf(ids.get(queries[q]))) {
                    hits += exact.contains(p) ? 1 : 0;
                }
            }
            int k = lists > 0 ? lists : IvfEmbeddingMiner.defaultLists(n);
            int p = probes > 0 ? probes : IvfEmbeddingMiner.defaultProbes(k);
            System.out.printf(Locale.ROOT, "%nrecall: %.4f of the exact %d pairs of %d utterances (%s; N=%d, M=%d, K=%d,"
                    + " P=%d, %d k-means iterations, %d threads, groups %d)%n", (double) hits / wanted, wanted,
                    queries.length, reference, n, partners, k, p, iterations, threads, groups);
            approximate = null;
        }
    }

    static EmbeddingMiner exactMiner(Data d) {
        return EmbeddingMiner.of(PartnerCount.nearest(d.partners), EmbeddingMiner.Kernel.ENGINE,
                EmbeddingMiner.Kernel.ENGINE.defaultBlock(), d.threads);
    }

    /** {@code count} distinct utterances, ascending, drawn with a seeded provider. */
    static int[] sampledQueries(int n, int count) {
        return IvfEmbeddingMiner.sample(n, count, RandomSource.XO_RO_SHI_RO_128_PP.create(7L));
    }

    /**
     * The exact M other-speaker partners of each query: distances {@code 1.0 - (double) dot} of the
     * unit rows, the dot in float in dimension order (the Java kernel's), ties to the lower index.
     */
    static List<Set<String>> bruteForce(Data d, int[] queries) {
        int depth = HnswMiningBenchmark.DEPTH;
        float[][] unit = new float[d.n][depth];
        for (int i = 0; i < d.n; i++) {
            double s = 0;
            for (float v : d.rows[i]) {
                s += (double) v * v;
            }
            double norm = Math.sqrt(s);
            for (int k = 0; k < depth; k++) {
                unit[i][k] = (float) (d.rows[i][k] / norm);
            }
        }
        return IntStream.range(0, queries.length).parallel().mapToObj(q -> {
            int i = queries[q];
            String speaker = d.speakers.get(i);
            double[] dist = new double[d.n];
            Integer[] order = new Integer[d.n];
            int count = 0;
            for (int j = 0; j < d.n; j++) {
                if (!d.speakers.get(j).equals(speaker)) {
                    float dot = 0f;
                    for (int k = 0; k < depth; k++) {
                        dot += unit[i][k] * unit[j][k];
                    }
                    dist[j] = 1.0 - (double) dot;
                    order[count++] = j;
                }
            }
            Integer[] others = Arrays.copyOf(order, count);
            Arrays.sort(others, (a, b) -> dist[a] != dist[b] ? Double.compare(dist[a], dist[b]) : Integer.compare(a, b));
            Set<String> best = new HashSet<>();
            for (int k = 0; k < Math.min(d.partners, count); k++) {
                best.add(d.ids.get(others[k]));
            }
            return best;
        }).toList();
    }

    /** Exact mining (every pair, libtorch's matrix products), as {@code mine --index exact}. */
    @Benchmark
    public long exact(Data d) {
        return exactMiner(d).mine(d.ids, d.speakers, d.rows).table().pairCount();
    }

    /** IVF mining, as {@code mine --index ivf}: k-means, the probe product and the lists' products. */
    @Benchmark
    public long ivf(Data d) {
        IvfEmbeddingMiner.CoarseQuantiser kMeans = (rows, count, depth, k, iterations, rng) -> EngineKMeans.builder()
                .setClusters(k).optIterations(iterations).optThreads(d.threads).build()
                .fit(EmbeddingMatrix.wrap(rows, count, depth), rng).centroids();
        d.approximate = IvfEmbeddingMiner.of(d.partners, new IvfEmbeddingMiner.Settings(d.lists, d.probes, d.iterations,
                0), kMeans, d.threads).mine(d.ids, d.speakers, d.rows).table();
        return d.approximate.pairCount();
    }
}
