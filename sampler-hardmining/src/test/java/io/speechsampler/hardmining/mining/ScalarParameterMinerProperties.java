package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ScalarParameterMinerProperties {

    private static final double[] FRACTIONS = {0.001, 0.02, 0.05, 0.3, 1.0};

    /** Continuous f0 with NaN (unvoiced) utterances, or integer f0 with many exact ties. */
    @Property(tries = 40)
    void matchesBruteForce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int numSpeakers,
                           @ForAll boolean integerValues) {
        MiningData data = new MiningData(seed, 300, numSpeakers);
        double[] f0 = new double[300];
        List<String> unvoiced = new ArrayList<>();
        for (int i = 0; i < f0.length; i++) {
            if (data.rng.nextInt(20) == 0) {
                f0[i] = Double.NaN;
                unvoiced.add(data.ids.get(i));
            } else {
                f0[i] = integerValues ? 90 + data.rng.nextInt(40) : 80 + 220 * data.rng.nextDouble();
            }
        }
        double fraction = FRACTIONS[data.rng.nextInt(FRACTIONS.length)];
        MiningResult r = ScalarParameterMiner.pitch(fraction).mine(data.ids, data.speakers, f0);
        assertEquals(BruteForce.scalar(f0, data.speaker, fraction), BruteForce.fromTable(r.table(), data.ids));
        assertEquals(unvoiced, r.excluded());
    }

    @Example
    void smallestFractionGivesOneNearestPartner() {
        MiningResult r = ScalarParameterMiner.energyDb(0.001).mine(List.of("a", "b", "c", "d"),
                List.of("x", "x", "y", "z"), new double[] {-20, -21, -23, -10});
        assertEquals(List.of("c"), r.table().partnersOf("a"));
        assertEquals(List.of("c"), r.table().partnersOf("b"));
        assertEquals(List.of("b"), r.table().partnersOf("c"));
        assertEquals(List.of("a"), r.table().partnersOf("d"));
        assertEquals(10.0, r.table().distancesOf("d")[0]);
    }

    @Example
    void equalDistancesOnBothSidesComeInIndexOrder() {
        MiningResult r = ScalarParameterMiner.pitch(1.0).mine(List.of("a", "b", "c", "d", "e"),
                List.of("p", "q", "r", "s", "s"), new double[] {110, 100, 120, 110, 100});
        assertEquals(List.of("d", "b", "c", "e"), r.table().partnersOf("a"));
        assertEquals(List.of("a", "b", "c"), r.table().partnersOf("d"));
    }

    @Example
    void singleSpeakerHasNoPartners() {
        MiningResult r = ScalarParameterMiner.pitch(0.5).mine(Map.of("a", 100.0, "b", 200.0), Map.of("a", "x", "b", "x"));
        assertEquals(0, r.table().pairCount());
    }

    @Example
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ScalarParameterMiner.pitch(0));
        assertThrows(IllegalArgumentException.class, () -> ScalarParameterMiner.pitch(1.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScalarParameterMiner.pitch(0.1)
                .mine(List.of("a", "b"), List.of("x", "y"), new double[] {Double.POSITIVE_INFINITY, 1}));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Example
    void hardCountRoundsUpButNotBinaryNoise() {
        assertEquals(2, HardCount.of(0.02, 100));
        assertEquals(3, HardCount.of(0.02, 101));
        assertEquals(1, HardCount.of(0.001, 299));
        assertEquals(0, HardCount.of(0.5, 0));
        assertEquals(7, HardCount.of(1.0, 7));
    }
}
