package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@code mine --partners M}: each utterance's M nearest other-speaker utterances ({@link PartnerCount#nearest}). */
class NearestPartnersProperties {

    /**
     * Pitch-like values with unvoiced (NaN) utterances, or integer values with many exact ties (which
     * the rule breaks by partner index); M from 1 to more than any utterance has.
     */
    @Property(tries = 60)
    void scalarMiningMatchesBruteForce(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int numSpeakers,
                                       @ForAll @IntRange(min = 1, max = 320) int m, @ForAll boolean integerValues,
                                       @ForAll boolean energy) {
        MiningData data = new MiningData(seed, 300, numSpeakers);
        double[] v = new double[300];
        List<String> unvoiced = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            if (data.rng.nextInt(20) == 0) {
                v[i] = Double.NaN;
                unvoiced.add(data.ids.get(i));
            } else {
                v[i] = integerValues ? 90 + data.rng.nextInt(40) : 80 + 220 * data.rng.nextDouble();
            }
        }
        PartnerCount count = PartnerCount.nearest(m);
        ScalarParameterMiner miner = energy ? ScalarParameterMiner.energyDb(count) : ScalarParameterMiner.pitch(count);
        MiningResult r = miner.mine(data.ids, data.speakers, v);
        List<List<BruteForce.Pair>> want = BruteForce.scalarNearest(v, data.speaker, m);
        assertEquals(want, BruteForce.fromTable(r.table(), data.ids));
        assertEquals(unvoiced, r.excluded());
        assertOtherSpeakersOnly(r.table(), data);
    }

    /** The Java kernel is bitwise the plain float loop, so x-vector mining equals the brute force exactly. */
    @Property(tries = 20)
    void embeddingMiningMatchesBruteForce(@ForAll long seed, @ForAll @IntRange(min = 2, max = 48) int d,
                                          @ForAll @IntRange(min = 2, max = 6) int numSpeakers,
                                          @ForAll @IntRange(min = 1, max = 250) int m,
                                          @ForAll @IntRange(min = 1, max = 3) int threads) {
        MiningData data = new MiningData(seed, 250, numSpeakers);
        float[][] x = new float[250][d];
        for (int i = 0; i < x.length; i++) {
            if (i % 5 == 4) {
                x[i] = x[data.rng.nextInt(i)].clone(); // exact ties
            } else {
                for (int k = 0; k < d; k++) {
                    x[i][k] = (float) data.rng.nextDouble() - 0.5f;
                }
            }
        }
        MiningResult r = EmbeddingMiner.of(PartnerCount.nearest(m), EmbeddingMiner.Kernel.JAVA, 37, threads)
                .mine(data.ids, data.speakers, x);
        assertEquals(BruteForce.cosineNearest(x, data.speaker, m), BruteForce.fromTable(r.table(), data.ids));
        assertOtherSpeakersOnly(r.table(), data);
    }

    /** What a user checks in the table: M partners each (all when fewer), none of the pivot's speaker. */
    private static void assertOtherSpeakersOnly(HardPairTable table, MiningData data) {
        for (String id : data.ids) {
            for (String p : table.partnersOf(id)) {
                assertNotEquals(data.speakers.get(data.ids.indexOf(id)), data.speakers.get(data.ids.indexOf(p)),
                        id + " -> " + p);
            }
        }
    }

    @Example
    void everyUtteranceGetsItsMNearestAndAPairFoundFromBothSidesIsInBothRows() {
        // f0: a 100, b 101, c 103, d 110, e 111; speakers: a, b = x; c = y; d, e = z
        MiningResult r = ScalarParameterMiner.pitch(PartnerCount.nearest(2)).mine(List.of("a", "b", "c", "d", "e"),
                List.of("x", "x", "y", "z", "z"), new double[] {100, 101, 103, 110, 111});
        assertEquals(List.of("c", "d"), r.table().partnersOf("a"));
        assertEquals(List.of("c", "d"), r.table().partnersOf("b"));
        assertEquals(List.of("b", "a"), r.table().partnersOf("c"));
        assertEquals(List.of("c", "b"), r.table().partnersOf("d"));
        assertEquals(List.of("c", "b"), r.table().partnersOf("e"));
        assertEquals(10, r.table().pairCount(), "N x M");
        assertEquals(List.of(7.0, 9.0), List.of(r.table().distancesOf("d")[0], r.table().distancesOf("d")[1]));
        // a and c are each among the other's two nearest: the pair is in both rows
        assertEquals(List.of("a", "c"), List.of(r.table().partner("c", 1), r.table().partner("a", 0)));
    }

    @Example
    void equalDistancesGoToTheEarlierPartner() {
        // b and d are both 10 Hz from a; b comes first in the input
        MiningResult r = ScalarParameterMiner.pitch(PartnerCount.nearest(1)).mine(List.of("a", "b", "c", "d"),
                List.of("x", "y", "x", "z"), new double[] {110, 100, 110, 120});
        assertEquals(List.of("b"), r.table().partnersOf("a"));
        MiningResult flipped = ScalarParameterMiner.pitch(PartnerCount.nearest(1)).mine(List.of("a", "d", "c", "b"),
                List.of("x", "z", "x", "y"), new double[] {110, 120, 110, 100});
        assertEquals(List.of("d"), flipped.table().partnersOf("a"));
    }

    @Example
    void countsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> PartnerCount.nearest(0));
        assertThrows(IllegalArgumentException.class, () -> PartnerCount.fraction(0));
        assertEquals(3, PartnerCount.nearest(3).of(10));
        assertEquals(2, PartnerCount.nearest(3).of(2));
        assertEquals(0, PartnerCount.nearest(3).of(0));
        assertEquals(2, PartnerCount.fraction(0.02).of(100));
    }
}
