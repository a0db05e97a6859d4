package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class HnswEmbeddingMinerTest {

    /** Speakers as x-vectors are: a direction per speaker, utterances scattered around it. */
    static final class Clustered {
        final List<String> ids = new ArrayList<>();
        final List<String> speakers = new ArrayList<>();
        final float[][] rows;

        Clustered(int speakers, int perSpeaker, int depth, double spread, long seed) {
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
            ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
            rows = new float[speakers * perSpeaker][depth];
            for (int s = 0; s < speakers; s++) {
                double[] centre = new double[depth];
                for (int k = 0; k < depth; k++) {
                    centre[k] = g.sample();
                }
                for (int u = 0; u < perSpeaker; u++) {
                    int i = s * perSpeaker + u;
                    ids.add("spk" + s + "-" + u);
                    this.speakers.add("spk" + s);
                    for (int k = 0; k < depth; k++) {
                        rows[i][k] = (float) (centre[k] + spread * g.sample());
                    }
                }
            }
        }
    }

    @Test
    void findsAlmostAllOfTheExactPartnersWithTheirExactDistances() {
        Clustered c = new Clustered(100, 20, 32, 0.8, 7);
        int m = 10;
        HardPairTable exact = EmbeddingMiner.of(PartnerCount.nearest(m), EmbeddingMiner.Kernel.JAVA, 256, 1)
                .mine(c.ids, c.speakers, c.rows).table();
        HardPairTable approx = HnswEmbeddingMiner.of(m, HnswEmbeddingMiner.Settings.DEFAULT, 1,
                HnswEmbeddingMiner.Progress.NONE).mine(c.ids, c.speakers, c.rows).table();
        Map<String, String> speakerOf = new HashMap<>();
        for (int i = 0; i < c.ids.size(); i++) {
            speakerOf.put(c.ids.get(i), c.speakers.get(i));
        }
        long hits = 0;
        long wanted = 0;
        for (String id : c.ids) {
            List<String> a = approx.partnersOf(id);
            double[] d = approx.distancesOf(id);
            assertEquals(m, a.size(), id);
            Set<String> truth = new HashSet<>(exact.partnersOf(id));
            wanted += truth.size();
            List<String> e = exact.partnersOf(id);
            double[] ed = exact.distancesOf(id);
            for (int k = 0; k < a.size(); k++) {
                assertNotEquals(speakerOf.get(id), speakerOf.get(a.get(k)), "same-speaker partner of " + id);
                if (k > 0) {
                    assertTrue(d[k - 1] <= d[k], "partners of " + id + " not nearest first");
                }
                if (truth.contains(a.get(k))) {
                    hits++;
                    // the same float dot as the Java kernel's: the same distance, bit for bit
                    assertEquals(ed[e.indexOf(a.get(k))], d[k], 0.0, id + " -> " + a.get(k));
                }
            }
        }
        double recall = (double) hits / wanted;
        assertTrue(recall >= 0.95, "recall " + recall);
    }

    @Test
    void oneThreadGivesTheSameTableEveryTime() {
        Clustered c = new Clustered(30, 10, 16, 0.8, 3);
        HnswEmbeddingMiner miner = HnswEmbeddingMiner.of(5, new HnswEmbeddingMiner.Settings(8, 50, 20), 1,
                HnswEmbeddingMiner.Progress.NONE);
        assertEquals(miner.mine(c.ids, c.speakers, c.rows).table(), miner.mine(c.ids, c.speakers, c.rows).table());
    }

    @Test
    void rowsWithoutDirectionAreExcludedAndFewOthersGiveFewPartners() {
        List<String> ids = List.of("a1", "a2", "b1", "z");
        List<String> speakers = List.of("a", "a", "b", "c");
        float[][] rows = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {0, 0}};
        MiningResult r = HnswEmbeddingMiner.of(5, HnswEmbeddingMiner.Settings.DEFAULT, 2,
                HnswEmbeddingMiner.Progress.NONE).mine(ids, speakers, rows);
        assertEquals(List.of("z"), r.excluded());
        assertEquals(List.of("b1"), r.table().partnersOf("a1"));
        assertEquals(List.of("a2", "a1"), r.table().partnersOf("b1"));
        assertEquals(0, r.table().partnerCount("z"));
    }

    @Test
    void settingsOutOfRangeAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HnswEmbeddingMiner.Settings(1, 200, 100))
                .getMessage().contains("m is not in [2, 256]: 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HnswEmbeddingMiner.Settings(16, 0, 100))
                .getMessage().contains("efConstruction is not in [1, 100000]: 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HnswEmbeddingMiner.Settings(16, 200, 0))
                .getMessage().contains("ef is not in [1, 100000]: 0"));
        assertThrows(IllegalArgumentException.class, () -> HnswEmbeddingMiner.of(0,
                HnswEmbeddingMiner.Settings.DEFAULT, 1, HnswEmbeddingMiner.Progress.NONE));
    }
}
