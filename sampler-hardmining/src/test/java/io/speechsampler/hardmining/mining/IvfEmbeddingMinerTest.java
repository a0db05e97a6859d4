package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.lossgate.kmeans.EmbeddingMatrix;
import io.speechsampler.lossgate.kmeans.EngineKMeans;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class IvfEmbeddingMinerTest {

    /** k-means on the engine, as the command line fits the coarse quantiser. */
    static final IvfEmbeddingMiner.CoarseQuantiser KMEANS = (rows, count, depth, lists, iterations, rng) ->
            EngineKMeans.builder().setClusters(lists).optIterations(iterations).build()
                    .fit(EmbeddingMatrix.wrap(rows, count, depth), rng).centroids();

    /** Utterances around speakers around groups (as accents or channels group real x-vectors). */
    static final class Grouped {
        final List<String> ids = new ArrayList<>();
        final List<String> speakers = new ArrayList<>();
        final float[][] rows;

        Grouped(int groups, int speakersPerGroup, int perSpeaker, int depth, double speakerSpread,
                double utteranceSpread, long seed) {
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            rows = new float[groups * speakersPerGroup * perSpeaker][depth];
            int i = 0;
            for (int a = 0; a < groups; a++) {
                double[] group = new double[depth];
                for (int k = 0; k < depth; k++) {
                    group[k] = g.sample();
                }
                for (int s = 0; s < speakersPerGroup; s++) {
                    double[] centre = new double[depth];
                    for (int k = 0; k < depth; k++) {
                        centre[k] = group[k] + speakerSpread * g.sample();
                    }
                    String speaker = "g" + a + "s" + s;
                    for (int u = 0; u < perSpeaker; u++, i++) {
                        ids.add(speaker + "-" + u);
                        speakers.add(speaker);
                        for (int k = 0; k < depth; k++) {
                            rows[i][k] = (float) (centre[k] + utteranceSpread * g.sample());
                        }
                    }
                }
            }
        }
    }

    private static HardPairTable exact(int m, List<String> ids, List<String> speakers, float[][] rows) {
        return EmbeddingMiner.of(PartnerCount.nearest(m), EmbeddingMiner.Kernel.JAVA, 64, 1)
                .mine(ids, speakers, rows).table();
    }

    @Test
    void probingEveryListIsExactMiningPairForPair() {
        Grouped c = new Grouped(6, 8, 6, 24, 0.5, 0.5, 11);
        List<String> ids = new ArrayList<>(c.ids);
        List<String> speakers = new ArrayList<>(c.speakers);
        List<float[]> rows = new ArrayList<>(List.of(c.rows));
        // exact ties (copies of earlier rows under other speakers), a zero row and a NaN row (excluded)
        for (int k = 0; k < 12; k++) {
            ids.add("copy" + k);
            speakers.add("copier" + k % 3);
            rows.add(c.rows[k * 23].clone());
        }
        ids.add("zero");
        speakers.add("z");
        rows.add(new float[24]);
        float[] nan = c.rows[5].clone();
        nan[3] = Float.NaN;
        ids.add("nan");
        speakers.add("z");
        rows.add(nan);
        float[][] x = rows.toArray(new float[0][]);
        int m = 7;
        MiningResult reference = EmbeddingMiner.of(PartnerCount.nearest(m), EmbeddingMiner.Kernel.JAVA, 64, 1)
                .mine(ids, speakers, x);
        for (int lists : new int[] {1, 5, 30}) {
            for (int threads : new int[] {1, 3}) {
                MiningResult ivf = IvfEmbeddingMiner.of(m, new IvfEmbeddingMiner.Settings(lists, lists, 5, 3), KMEANS,
                        threads).mine(ids, speakers, x);
                assertEquals(reference.table(), ivf.table(), "K = P = " + lists + ", " + threads + " threads");
                assertEquals(List.of("zero", "nan"), ivf.excluded());
            }
        }
    }

    /**
     * 40 speakers of one row each, all within 1e-6 of one another: a query's candidates are within
     * rounding of each other across its cut-off, so the engine's distances cannot tell its M exact
     * partners, and every candidate gets its exact distance.
     */
    @Test
    void tiesAcrossTheCutOffAreBrokenAsExactMiningBreaksThem() {
        Grouped c = new Grouped(2, 3, 4, 12, 0.5, 0.5, 17);
        List<String> ids = new ArrayList<>(c.ids);
        List<String> speakers = new ArrayList<>(c.speakers);
        List<float[]> rows = new ArrayList<>(List.of(c.rows));
        for (int k = 0; k < 40; k++) {
            ids.add("same" + k);
            speakers.add("same" + k);
            float[] near = c.rows[0].clone();
            for (int j = 0; j < near.length; j++) {
                near[j] += (float) (1e-6 * (((k * 7 + j * 3) % 5) - 2));
            }
            rows.add(near);
        }
        float[][] x = rows.toArray(new float[0][]);
        HardPairTable reference = exact(5, ids, speakers, x);
        for (int lists : new int[] {1, 3, 8}) {
            assertEquals(reference, IvfEmbeddingMiner.of(5, new IvfEmbeddingMiner.Settings(lists, lists, 5, 1), KMEANS,
                    2).mine(ids, speakers, x).table(), "K = P = " + lists);
        }
    }

    @Test
    void aQuantiserOnASampleStillGivesExactMiningWhenEveryListIsProbed() {
        // N = 300 > 256 K for K = 1: the quantiser sees a sample of 256 rows
        Grouped c = new Grouped(3, 10, 10, 16, 0.5, 0.5, 5);
        List<Integer> seen = new ArrayList<>();
        IvfEmbeddingMiner.CoarseQuantiser counting = (rows, count, depth, lists, iterations, rng) -> {
            seen.add(count);
            return KMEANS.centroids(rows, count, depth, lists, iterations, rng);
        };
        HardPairTable ivf = IvfEmbeddingMiner.of(4, new IvfEmbeddingMiner.Settings(1, 1, 3, 9), counting, 1)
                .mine(c.ids, c.speakers, c.rows).table();
        assertEquals(List.of(256), seen);
        assertEquals(exact(4, c.ids, c.speakers, c.rows), ivf);
    }

    @Test
    void theSampleIsDistinctAscendingAndSeeded() {
        int[] a = IvfEmbeddingMiner.sample(1000, 300, RandomSource.XO_RO_SHI_RO_128_PP.create(1L));
        int[] b = IvfEmbeddingMiner.sample(1000, 300, RandomSource.XO_RO_SHI_RO_128_PP.create(1L));
        assertArrayEquals(a, b);
        for (int k = 1; k < a.length; k++) {
            assertTrue(a[k - 1] < a[k]);
        }
        assertTrue(a[0] >= 0 && a[a.length - 1] < 1000);
    }

    /**
     * 40 groups of 6 speakers of 10 utterances (N = 2400, d = 32): a row's nearest other speakers are
     * mostly of its group. K = 48 (about sqrt N), P = 3: a sixteenth of the lists. Measured 0.961 with
     * this seed (deterministic); the threshold 0.9 leaves a margin, and a wrong probe or list falls far below.
     */
    @Test
    void probingASixteenthOfTheListsFindsAlmostAllExactPartnersOnClusteredEmbeddings() {
        Grouped c = new Grouped(40, 6, 10, 32, 0.6, 0.8, 2026);
        int m = 10;
        HardPairTable truth = exact(m, c.ids, c.speakers, c.rows);
        HardPairTable ivf = IvfEmbeddingMiner.of(m, new IvfEmbeddingMiner.Settings(48, 3, 10, 1), KMEANS, 2)
                .mine(c.ids, c.speakers, c.rows).table();
        long hits = 0;
        long wanted = 0;
        for (int i = 0; i < c.ids.size(); i++) {
            String id = c.ids.get(i);
            Set<String> exactSet = new HashSet<>(truth.partnersOf(id));
            wanted += exactSet.size();
            List<String> found = ivf.partnersOf(id);
            double[] d = ivf.distancesOf(id);
            for (int k = 0; k < found.size(); k++) {
                assertNotEquals(c.speakers.get(i), found.get(k).substring(0, found.get(k).indexOf('-')), id);
                if (k > 0) {
                    assertTrue(d[k - 1] <= d[k], "partners of " + id + " not nearest first");
                }
                hits += exactSet.contains(found.get(k)) ? 1 : 0;
            }
        }
        double recall = (double) hits / wanted;
        System.out.printf("IVF recall on grouped embeddings: %.4f%n", recall);
        assertTrue(recall >= 0.9, "recall " + recall);
    }

    @Test
    void settingsOutOfRangeAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IvfEmbeddingMiner.Settings(-1, 0, 10, 0))
                .getMessage().contains("lists is not at least 1 (or 0 for the default): -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IvfEmbeddingMiner.Settings(4, 5, 10, 0))
                .getMessage().contains("probes is not in [1, lists = 4] (or 0 for the default): 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IvfEmbeddingMiner.Settings(4, 2, 0, 0))
                .getMessage().contains("iterations is not in [1, 1000]: 0"));
        assertThrows(IllegalArgumentException.class, () -> IvfEmbeddingMiner.of(0,
                IvfEmbeddingMiner.Settings.DEFAULT, KMEANS, 1));
        assertThrows(IllegalArgumentException.class, () -> IvfEmbeddingMiner.of(3,
                IvfEmbeddingMiner.Settings.DEFAULT, KMEANS, 0));
    }

    @Test
    void badDataIsRefusedBeforeAnythingIsFitted() {
        IvfEmbeddingMiner.CoarseQuantiser never = (rows, count, depth, lists, iterations, rng) -> {
            throw new AssertionError("fitted");
        };
        List<String> ids = List.of("a1", "a2", "b1");
        List<String> speakers = List.of("a", "a", "b");
        IvfEmbeddingMiner miner = IvfEmbeddingMiner.of(1, new IvfEmbeddingMiner.Settings(4, 1, 10, 0), never, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> miner.mine(ids, speakers,
                new float[][] {{1, 0}, {0, 1}, {1, 1}})).getMessage().contains("lists (K) exceeds the mined rows: 4 > 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IvfEmbeddingMiner.of(1,
                IvfEmbeddingMiner.Settings.DEFAULT, never, 1).mine(ids, speakers, new float[][] {{1, 0}, {0, 1, 0},
                    {1, 1}})).getMessage().contains("embedding of 'a2' has dimension 3, expected 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IvfEmbeddingMiner.of(1,
                new IvfEmbeddingMiner.Settings(3, 3, 10, 0), never, 1).mine(ids, speakers, new float[][] {{1, 0},
                    {0, 1}, {Float.NaN, 1}})).getMessage().contains("lists (K) exceeds the mined rows: 3 > 2"));
    }

    @Test
    void defaultsGrowWithN() {
        assertEquals(1, IvfEmbeddingMiner.defaultLists(1));
        assertEquals(316, IvfEmbeddingMiner.defaultLists(100_000));
        assertEquals(1000, IvfEmbeddingMiner.defaultLists(1_000_000));
        assertEquals(1, IvfEmbeddingMiner.defaultProbes(1));
        assertEquals(40, IvfEmbeddingMiner.defaultProbes(316));
    }
}
