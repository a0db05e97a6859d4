package io.speechsampler.benchmarks;

import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.hardmining.mining.MatMulRate;
import io.speechsampler.lossgate.kmeans.EmbeddingMatrix;
import io.speechsampler.lossgate.kmeans.EngineAssignment;
import io.speechsampler.lossgate.kmeans.EngineKMeans;
import io.speechsampler.lossgate.kmeans.KMeansResult;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
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
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * k-means for loss-gated learning's pseudo-labels at N = 1e5, d = 192, K = 1000 (issue 14, section
 * 3), single shots. {@code assignment}: one assignment step of {@link EngineKMeans} on DJL's engine
 * (the embeddings already on the device, as in a fit), whose useful rate {@code 2 N K d / time} is
 * compared with libtorch's own {@code NDArray.matMul} in the same run: {@code engineMatMul}, the
 * whole {@code (N x d) (d x K)} product at once, and {@code engineBlock}, the assignment's own
 * products ({@code N / block} products of {@code block x d} by {@code d x K}), both without copies
 * back ({@link MatMulRate#engine}). {@code seeding} and {@code fit}: k-means++ alone and a whole
 * 25-iteration fit. {@code tribuoFit}: Tribuo's {@code KMeansTrainer} (Euclidean, k-means++, on
 * {@code threads} threads) with {@code tribuoIterations} iterations; its set-up times Tribuo's
 * k-means++ alone (a trainer with 0 iterations returns its seeding) and keeps those centroids, and
 * its tear-down runs {@link EngineKMeans} from them for the same iterations and prints both
 * inertias: the same start. {@code pairedAssignment} runs libtorch's block products and one
 * assignment back to back in each shot and prints their rates side by side. The slow three run one shot each, with no warm-up.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class KMeansBenchmark {

    /** Tribuo logs each iteration through java.util.logging; held so the level sticks. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    /**
     * Synthetic embeddings: K Gaussian blobs, centres uniform in [-1, 1]^d, spread 1 a dimension:
     * they overlap (centres about 11 apart, points about 14 from their own), so a fit does not reach
     * a fixed point in 25 iterations.
     */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"100000"})
        public int n;

        @Param({"192"})
        public int d;

        @Param({"1000"})
        public int k;

        /** Java threads of the k-means (selection, distances, seeding, sums); the engine's are its own. */
        @Param({"2"})
        public int threads;

        EmbeddingMatrix embeddings;
        EngineKMeans kmeans;

        @Setup(Level.Trial)
        public void setUp() {
            UniformRandomProvider rng = RandomStreams.of(1, "kmeans-benchmark", n);
            ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
            double[][] centres = new double[k][d];
            for (double[] c : centres) {
                for (int j = 0; j < d; j++) {
                    c[j] = 2 * rng.nextDouble() - 1;
                }
            }
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                double[] c = centres[rng.nextInt(k)];
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) (c[j] + gauss.sample());
                }
            }
            embeddings = EmbeddingMatrix.wrap(x, n, d);
            kmeans = EngineKMeans.builder().setClusters(k).optThreads(threads).build();
        }

        /** K embeddings drawn uniformly, as centroids for a single assignment. */
        double[][] someCentroids() {
            UniformRandomProvider rng = RandomStreams.of(2, "kmeans-benchmark-centroids", 0);
            double[][] c = new double[k][d];
            for (int q = 0; q < k; q++) {
                int row = rng.nextInt(n);
                for (int j = 0; j < d; j++) {
                    c[q][j] = embeddings.get(row, j);
                }
            }
            return c;
        }
    }

    /** An assignment step opened once (the embeddings on the device), and centroids for it. */
    @State(Scope.Benchmark)
    public static class Assigner {
        EngineAssignment assignment;
        double[][] centroids;

        @Setup(Level.Trial)
        public void open(Data data) {
            assignment = data.kmeans.openAssignment(data.embeddings);
            centroids = data.someCentroids();
        }

        @TearDown(Level.Trial)
        public void close() {
            assignment.close();
        }
    }

    /** Tribuo's data set, and its k-means++ centroids (timed once in the set-up). */
    @State(Scope.Benchmark)
    public static class Tribuo {
        /** Iterations of Tribuo's fit (and of ours from its start, in the tear-down). */
        @Param({"2"})
        public int tribuoIterations;

        MutableDataset<ClusterID> dataset;
        double[][] start;
        KMeansModel last;

        @Setup(Level.Trial)
        public void setUp(Data data) {
            TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
            ClusteringFactory factory = new ClusteringFactory();
            dataset = new MutableDataset<>(new SimpleDataSourceProvenance("embeddings", factory), factory);
            String[] names = new String[data.d];
            for (int j = 0; j < data.d; j++) {
                names[j] = String.format(Locale.ROOT, "f%03d", j);
            }
            for (int i = 0; i < data.n; i++) {
                double[] values = new double[data.d];
                for (int j = 0; j < data.d; j++) {
                    values[j] = data.embeddings.get(i, j);
                }
                dataset.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, values));
            }
            long t0 = System.nanoTime();
            start = centroids(trainer(data, 0).train(dataset), data.d);
            System.out.printf(Locale.ROOT, "%n  [Tribuo k-means++ seeding alone: %.1f s]%n", (System.nanoTime() - t0) / 1e9);
        }

        KMeansTrainer trainer(Data data, int iterations) {
            return new KMeansTrainer(data.k, iterations, new L2Distance(), KMeansTrainer.Initialisation.PLUSPLUS,
                    data.threads, RandomStreams.derive(1, "tribuo-kmeans", 0));
        }

        /** Ours from Tribuo's start, the same iterations; both inertias (Tribuo's by our exact assignment). */
        @TearDown(Level.Trial)
        public void compare(Data data) {
            long t0 = System.nanoTime();
            KMeansResult ours = EngineKMeans.builder().setClusters(data.k).optIterations(tribuoIterations)
                    .optThreads(data.threads).build().fit(data.embeddings, start);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double theirs;
            try (EngineAssignment a = data.kmeans.openAssignment(data.embeddings)) {
                theirs = a.assign(centroids(last, data.d)).inertia();
            }
            System.out.printf(Locale.ROOT, "  [same start, %d iterations: engine inertia %.6e in %.1f s, Tribuo %.6e;"
                    + " relative difference %.2e]%n", ours.iterations(), ours.inertia(), seconds, theirs,
                    (ours.inertia() - theirs) / theirs);
        }

        static double[][] centroids(KMeansModel model, int d) {
            List<List<Feature>> centroids = model.getCentroids();
            double[][] c = new double[centroids.size()][d];
            for (int q = 0; q < c.length; q++) {
                for (Feature f : centroids.get(q)) {
                    c[q][Integer.parseInt(f.getName().substring(1))] = f.getValue();
                }
            }
            return c;
        }
    }

    /** Libtorch's reference shapes. */
    @State(Scope.Benchmark)
    public static class Products {
        int block;
        int blocks;

        @Setup(Level.Trial)
        public void setUp(Data data) {
            block = Math.min(EngineKMeans.defaultBlockRows(data.k), data.n);
            blocks = (data.n + block - 1) / block;
        }
    }

    /** One assignment step on the engine: N x K scores, exact labels, distances in double. */
    @Benchmark
    public EngineAssignment.Assignment assignment(Assigner a, MiningBenchmark.ShotCpu cpu) {
        EngineAssignment.Assignment r = a.assignment.assign(a.centroids);
        System.out.printf(Locale.ROOT, "  [rows decided in double: %d of %d]%n", r.refinedRows(), r.labels().length);
        return r;
    }

    /**
     * The assignment and libtorch's products of its shape back to back in one shot, so that both
     * meet the same load on a shared machine: prints both rates and their ratio.
     */
    @Benchmark
    @Measurement(iterations = 5)
    public EngineAssignment.Assignment pairedAssignment(Data d, Assigner a, Products p, MiningBenchmark.ShotCpu cpu) {
        MatMulRate.Rate products = MatMulRate.engine(p.block, d.k, d.d, p.blocks);
        long start = System.nanoTime();
        EngineAssignment.Assignment r = a.assignment.assign(a.centroids);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = 2.0 * d.n * d.k * d.d / seconds / 1e9;
        System.out.printf(Locale.ROOT, "  [libtorch block products %.2f GFLOP/s (%.3f s); assignment %.2f GFLOP/s (%.3f s):"
                + " %.0f%%]%n", products.gflopsPerSecond(), products.seconds(), rate, seconds,
                100 * rate / products.gflopsPerSecond());
        return r;
    }

    /** libtorch's own rate on the whole product: {@code (N x d) matMul (d x K)}. */
    @Benchmark
    public MatMulRate.Rate engineMatMul(Data d, MiningBenchmark.ShotCpu cpu) {
        return printed(MatMulRate.engine(d.n, d.k, d.d, 1));
    }

    /** libtorch's rate on the assignment's products: {@code N / block} products of {@code block x d} by {@code d x K}. */
    @Benchmark
    public MatMulRate.Rate engineBlock(Data d, Products p, MiningBenchmark.ShotCpu cpu) {
        return printed(MatMulRate.engine(p.block, d.k, d.d, p.blocks));
    }

    /** The products' own time (the shot also makes the random matrices). */
    private static MatMulRate.Rate printed(MatMulRate.Rate rate) {
        System.out.printf(Locale.ROOT, "  [products alone: %s]%n", rate);
        return rate;
    }

    /** k-means++ seeding alone (K passes over the embeddings in double). */
    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public double[][] seeding(Data d, MiningBenchmark.ShotCpu cpu) {
        return d.kmeans.initialise(d.embeddings, RandomStreams.of(3, "kmeans", 0));
    }

    /** A whole fit: k-means++ seeding, 25 iterations, the final assignment. */
    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public KMeansResult fit(Data d, MiningBenchmark.ShotCpu cpu) {
        KMeansResult r = d.kmeans.fit(d.embeddings, RandomStreams.of(3, "kmeans", 0));
        System.out.printf(Locale.ROOT, "  [fit: %d iterations, inertia %.6e]%n", r.iterations(), r.inertia());
        return r;
    }

    /** Tribuo's KMeansTrainer: its k-means++ seeding and {@code tribuoIterations} iterations. */
    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public KMeansModel tribuoFit(Data d, Tribuo t, MiningBenchmark.ShotCpu cpu) {
        t.last = t.trainer(d, t.tribuoIterations).train(t.dataset);
        return t.last;
    }
}
