package io.speechsampler.lossgate.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.random.RandomStreams;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link EngineKMeans}: recovery, determinism, the empty-cluster rule, the objective, bad input. */
class EngineKMeansTest {

    private static final double[][] FOUR_CORNERS = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};

    /** Four 2-D blobs 10 apart with spread 0.5: every seed finds them exactly (labels up to renaming). */
    @Test
    void wellSeparatedBlobsAreRecoveredExactly() {
        float[][] x = KMeansData.blobs(1, FOUR_CORNERS, 60, 0.5);
        EngineKMeans kmeans = EngineKMeans.builder().setClusters(4).build();
        for (long seed = 0; seed < 5; seed++) {
            KMeansResult r = kmeans.fit(x, RandomStreams.of(seed, "kmeans", 0));
            int[] blobOfCluster = new int[4];
            Arrays.fill(blobOfCluster, -1);
            for (int i = 0; i < x.length; i++) {
                int blob = i / 60;
                int cluster = r.labels()[i];
                if (blobOfCluster[cluster] == -1) {
                    blobOfCluster[cluster] = blob;
                }
                assertEquals(blobOfCluster[cluster], blob, "seed " + seed + ": row " + i + " of blob " + blob
                        + " is in cluster " + cluster + " with blob " + blobOfCluster[cluster]);
            }
            assertArrayEquals(new int[] {60, 60, 60, 60}, r.sizes(), "seed " + seed);
            for (int c = 0; c < 4; c++) {
                double[] centre = FOUR_CORNERS[blobOfCluster[c]];
                assertEquals(centre[0], r.centroids()[c][0], 0.2, "seed " + seed);
                assertEquals(centre[1], r.centroids()[c][1], 0.2, "seed " + seed);
            }
            assertTrue(r.iterations() < EngineKMeans.DEFAULT_ITERATIONS, "blobs converge early: " + r.iterations());
        }
    }

    /** The same seed gives the same labels, centroids and inertia bit for bit, whatever the block and threads. */
    @Test
    void aSeedDeterminesTheFitBitForBit() {
        float[][] x = KMeansData.uniform(3, 700, 24);
        KMeansResult a = EngineKMeans.builder().setClusters(30).build().fit(x, RandomStreams.of(9, "kmeans", 0));
        KMeansResult b = EngineKMeans.builder().setClusters(30).build().fit(x, RandomStreams.of(9, "kmeans", 0));
        KMeansResult c = EngineKMeans.builder().setClusters(30).optBlockRows(37).optThreads(3).build()
                .fit(x, RandomStreams.of(9, "kmeans", 0));
        for (KMeansResult other : new KMeansResult[] {b, c}) {
            assertArrayEquals(a.labels(), other.labels());
            assertTrue(Arrays.deepEquals(a.centroids(), other.centroids()));
            assertEquals(Double.doubleToLongBits(a.inertia()), Double.doubleToLongBits(other.inertia()));
            assertArrayEquals(a.inertiaPerIteration(), other.inertiaPerIteration());
            assertEquals(a.iterations(), other.iterations());
        }
        KMeansResult otherSeed = EngineKMeans.builder().setClusters(30).build().fit(x, RandomStreams.of(10, "kmeans", 0));
        assertNotEquals(a.inertia(), otherSeed.inertia(), "another seed, another start");
    }

    /** k-means++ draws K values from the provider: nextInt(N) first, then one nextDouble per centroid. */
    @Test
    void seedingTakesExactlyKDrawsAndPicksEmbeddings() {
        float[][] x = KMeansData.uniform(4, 300, 5);
        var rng = RandomStreams.of(2, "kmeans", 0);
        double[][] c = KMeansPlusPlus.initialise(EmbeddingMatrix.of(x), 12, rng);
        var replay = RandomStreams.of(2, "kmeans", 0);
        replay.nextInt(300);
        for (int k = 1; k < 12; k++) {
            replay.nextDouble();
        }
        assertEquals(replay.nextLong(), rng.nextLong(), "the provider is left after exactly K draws");
        assertEquals(12, Arrays.stream(c).map(Arrays::toString).distinct().count(), "no embedding is drawn twice");
        for (double[] centroid : c) {
            assertTrue(Arrays.stream(x).anyMatch(r -> KMeansData.distance(r, centroid) == 0), "a centroid is an embedding");
        }
    }

    /**
     * The seeding with its shortcuts (the triangle rule alone; with the engine's screen in a fit)
     * picks exactly what the textbook algorithm picks (every distance computed, the same draws), on
     * blobs (where the triangle rule skips most rows), on uniform data in 40-d (where it skips few)
     * and on data with every fifth row a copy of an earlier one (exact ties with D), with 1 and 3
     * threads.
     */
    @Test
    void seedingIsTheTextbookAlgorithmBitForBit() {
        float[][] blobs = KMeansData.blobs(2, KMeansData.centres(2, 40, 8, 3), 75, 0.4);
        float[][] uniform = KMeansData.uniform(2, 3000, 40);
        float[][] copies = KMeansData.uniform(3, 2000, 6);
        for (int i = 5; i < copies.length; i += 5) {
            copies[i] = copies[i / 2].clone();
        }
        for (float[][] x : new float[][][] {blobs, uniform, copies}) {
            double[][] expected = textbookPlusPlus(x, 150, RandomStreams.of(4, "kmeans", 0));
            assertTrue(Arrays.deepEquals(expected, KMeansPlusPlus.initialise(EmbeddingMatrix.of(x), 150,
                    RandomStreams.of(4, "kmeans", 0))), "triangle rule alone");
            for (int threads : new int[] {1, 3}) {
                double[][] got = EngineKMeans.builder().setClusters(150).optThreads(threads).build()
                        .initialise(EmbeddingMatrix.of(x), RandomStreams.of(4, "kmeans", 0));
                assertTrue(Arrays.deepEquals(expected, got), "threads " + threads);
            }
        }
    }

    /** Arthur and Vassilvitskii's k-means++ as written, with this package's draws and distances. */
    private static double[][] textbookPlusPlus(float[][] x, int k, org.apache.commons.rng.UniformRandomProvider rng) {
        int n = x.length;
        double[][] c = new double[k][];
        c[0] = toDouble(x[rng.nextInt(n)]);
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        float[] flat = EmbeddingMatrix.of(x).values();
        for (int q = 1; q < k; q++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], SquaredDistance.of(flat, i * x[0].length, c[q - 1]));
                total += nearest[i];
            }
            double target = rng.nextDouble() * total;
            double cumulative = 0;
            int pick = -1;
            for (int i = 0; i < n && pick < 0; i++) {
                cumulative += nearest[i];
                if (nearest[i] > 0 && cumulative > target) {
                    pick = i;
                }
            }
            c[q] = toDouble(x[pick]);
        }
        return c;
    }

    private static double[] toDouble(float[] r) {
        double[] c = new double[r.length];
        for (int j = 0; j < r.length; j++) {
            c[j] = r[j];
        }
        return c;
    }

    /**
     * Lloyd's objective never rises: the inertia of each assignment step, then the final one; the
     * labels are the nearest final centroids and the centroids the means of their clusters.
     */
    @Test
    void theObjectiveDoesNotRiseAndTheResultIsConsistent() {
        float[][] x = KMeansData.uniform(6, 2000, 16);
        KMeansResult r = EngineKMeans.builder().setClusters(40).optIterations(12).build()
                .fit(x, RandomStreams.of(1, "kmeans", 0));
        double[] history = r.inertiaPerIteration();
        assertEquals(r.iterations(), history.length);
        for (int t = 1; t < history.length; t++) {
            assertTrue(history[t] <= history[t - 1] * (1 + 1e-12), "iteration " + t + ": " + history[t] + " > "
                    + history[t - 1]);
        }
        assertTrue(r.inertia() <= history[history.length - 1] * (1 + 1e-12));
        assertArrayEquals(KMeansData.nearest(x, r.centroids()), r.labels());
        assertEquals(KMeansData.inertia(x, r.centroids(), r.labels()), r.inertia(), 1e-9 * r.inertia());
        assertEquals(x.length, Arrays.stream(r.sizes()).sum());
        assertEquals(12, r.iterations(), "random data does not reach a fixed point in 12 iterations");
    }

    /**
     * Points 0, 1, 2, 10, 11 (1-D) from centroids 1, 1000, 10.5: centroid 1 gets no point and takes
     * the point farthest from its centroid, 0 (at distance 1 from centroid 1, tied with 2: the lower
     * row wins). A second empty cluster takes the next farthest, 2.
     */
    @Test
    void anEmptyClusterTakesTheFarthestPointLowestRowFirst() {
        EmbeddingMatrix x = EmbeddingMatrix.wrap(new float[] {0, 1, 2, 10, 11}, 5, 1);
        KMeansResult one = EngineKMeans.builder().setClusters(3).optIterations(1).build()
                .fit(x, new double[][] {{1}, {1000}, {10.5}});
        assertTrue(Arrays.deepEquals(new double[][] {{1}, {0}, {10.5}}, one.centroids()));
        assertArrayEquals(new int[] {1, 0, 0, 2, 2}, one.labels());
        assertEquals(1, one.reseeded());
        assertArrayEquals(new double[] {2.5}, one.inertiaPerIteration());
        assertEquals(1.5, one.inertia());

        KMeansResult two = EngineKMeans.builder().setClusters(4).optIterations(1).build()
                .fit(x, new double[][] {{1}, {1000}, {10.5}, {2000}});
        assertTrue(Arrays.deepEquals(new double[][] {{1}, {0}, {10.5}, {2}}, two.centroids()));
        assertArrayEquals(new int[] {1, 0, 3, 2, 2}, two.labels());
        assertEquals(2, two.reseeded());
    }

    /** A fixed point ends the fit: no label changed, so the centroids would not move. */
    @Test
    void aFixedPointEndsTheFitEarly() {
        EmbeddingMatrix x = EmbeddingMatrix.wrap(new float[] {0, 1, 2, 10, 11}, 5, 1);
        KMeansResult r = EngineKMeans.builder().setClusters(2).build().fit(x, new double[][] {{0}, {11}});
        assertEquals(1, r.iterations());
        assertTrue(Arrays.deepEquals(new double[][] {{1}, {10.5}}, r.centroids()));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, r.labels());
    }

    @Test
    void badInputIsOneLineNamingTheValue() {
        float[][] x = KMeansData.uniform(1, 50, 4);
        var rng = RandomStreams.of(1, "kmeans", 0);
        ConfigException tooMany = assertThrows(ConfigException.class,
                () -> EngineKMeans.builder().setClusters(60).build().fit(x, rng));
        assertEquals("clusters (K) exceeds the number of embeddings (N): 60 > 50", tooMany.getMessage());
        assertEquals("clusters (K) is not at least 1: 0",
                assertThrows(IllegalArgumentException.class, () -> EngineKMeans.builder().setClusters(0).build())
                        .getMessage());
        assertEquals("clusters (K) is not set",
                assertThrows(IllegalArgumentException.class, () -> EngineKMeans.builder().build()).getMessage());
        assertEquals("iterations is not at least 1: 0", assertThrows(IllegalArgumentException.class,
                () -> EngineKMeans.builder().setClusters(2).optIterations(0).build()).getMessage());
        assertEquals("threads is not at least 1: 0", assertThrows(IllegalArgumentException.class,
                () -> EngineKMeans.builder().setClusters(2).optThreads(0).build()).getMessage());

        float[][] mixed = {{1, 2, 3}, {4, 5, 6}, {7, 8}};
        assertEquals("embedding 2 has dimension 2, embedding 0 has 3",
                assertThrows(ConfigException.class, () -> EmbeddingMatrix.of(mixed)).getMessage());
        float[][] nan = {{1, 2}, {3, Float.NaN}};
        assertEquals("embedding 1 has a non-finite value at dimension 1: NaN",
                assertThrows(ConfigException.class, () -> EmbeddingMatrix.of(nan)).getMessage());
        assertEquals("embedding 1 has a non-finite value at dimension 0: Infinity", assertThrows(ConfigException.class,
                () -> EmbeddingMatrix.wrap(new float[] {0, 0, Float.POSITIVE_INFINITY, 0}, 2, 2)).getMessage());
        assertEquals("embeddings: no rows to cluster",
                assertThrows(ConfigException.class, () -> EmbeddingMatrix.of(new float[0][])).getMessage());
        assertEquals("embeddings: 5 values for 2 x 2",
                assertThrows(ConfigException.class, () -> EmbeddingMatrix.wrap(new float[5], 2, 2)).getMessage());

        EngineKMeans two = EngineKMeans.builder().setClusters(2).build();
        EmbeddingMatrix m = EmbeddingMatrix.of(x);
        assertEquals("initial centroids: 1 given for 2 clusters", assertThrows(IllegalArgumentException.class,
                () -> two.fit(m, new double[][] {{0, 0, 0, 0}})).getMessage());
        assertEquals("initial centroid 1 has dimension 3, the embeddings have 4", assertThrows(
                IllegalArgumentException.class, () -> two.fit(m, new double[][] {{0, 0, 0, 0}, {0, 0, 0}}))
                .getMessage());
        assertEquals("centroid 0 has a non-finite value at dimension 3: NaN", assertThrows(IllegalArgumentException.class,
                () -> two.fit(m, new double[][] {{0, 0, 0, Double.NaN}, {0, 0, 0, 0}})).getMessage());
    }
}
