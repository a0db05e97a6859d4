package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class EmbeddingMinerProperties {

    private static final double[] FRACTIONS = {0.001, 0.01, 0.04, 0.2};

    /**
     * N = 300, D in [16, 64]; every fifth row copies an earlier one (exact ties) and one row is
     * zero (excluded). Block sizes and thread counts vary: the table must not.
     */
    @Property(tries = 25)
    void matchesBruteForceWhateverTheBlockingAndThreads(@ForAll long seed, @ForAll @IntRange(min = 16, max = 64) int d,
                                                        @ForAll @IntRange(min = 1, max = 6) int numSpeakers) {
        MiningData data = new MiningData(seed, 300, numSpeakers);
        float[][] x = new float[300][d];
        for (int i = 0; i < x.length; i++) {
            if (i % 5 == 4) {
                x[i] = x[data.rng.nextInt(i)].clone();
            } else {
                for (int k = 0; k < d; k++) {
                    x[i][k] = (float) data.rng.nextDouble() - 0.5f;
                }
            }
        }
        int zero = data.rng.nextInt(x.length);
        x[zero] = new float[d];
        double fraction = FRACTIONS[data.rng.nextInt(FRACTIONS.length)];

        MiningResult blocked = EmbeddingMiner.of(fraction, EmbeddingMiner.Kernel.JAVA, 37, 2).mine(data.ids, data.speakers, x);
        MiningResult single = EmbeddingMiner.of(fraction, EmbeddingMiner.Kernel.JAVA, 256, 1).mine(data.ids, data.speakers, x);
        assertEquals(single.table(), blocked.table());
        assertEquals(List.of(data.ids.get(zero)), blocked.excluded());

        List<String> keptIds = new java.util.ArrayList<>(data.ids);
        keptIds.remove(zero);
        float[][] kept = new float[299][];
        int[] keptSpeaker = new int[299];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (i != zero) {
                kept[k] = x[i];
                keptSpeaker[k++] = data.speaker[i];
            }
        }
        assertEquals(BruteForce.cosine(kept, keptSpeaker, fraction), BruteForce.fromTable(blocked.table(), keptIds));
    }

    /**
     * The scan's float threshold admits exactly the dots whose distance is within the bound, also
     * near distance 1 where many tiny dots round to one distance, and at the float extremes.
     */
    @Property(tries = 2000)
    void leastDotAdmitsExactlyTheDotsWithinTheBound(@ForAll long seed) {
        org.apache.commons.rng.UniformRandomProvider rng = io.speechsampler.api.random.RandomStreams.of(seed,
                "least-dot-test", 0);
        double[] special = {Double.POSITIVE_INFINITY, 1.0, 0.0, 2.0, -1e-7, 1.0 + 1e-17, 1.0 - 1e-17, 1e300};
        double bound = rng.nextBoolean() ? special[rng.nextInt(special.length)]
                : 1.0 - Math.scalb(rng.nextDouble() - 0.5, -rng.nextInt(80));
        float least = EmbeddingMiner.leastDot(bound);
        float[] dots = new float[64];
        for (int k = 0; k < dots.length; k++) {
            dots[k] = switch (k % 4) {
                case 0 -> (float) (1.0 - bound);
                case 1 -> Math.nextDown((float) (1.0 - bound));
                case 2 -> (float) Math.scalb(rng.nextDouble() - 0.5, -rng.nextInt(150));
                default -> Float.intBitsToFloat(rng.nextInt());
            };
        }
        dots[0] = least;
        dots[1] = Math.nextDown(least);
        for (float dot : dots) {
            if (!Float.isNaN(dot)) {
                assertEquals(1.0 - (double) dot <= bound, dot >= least, "bound " + bound + ", dot " + dot);
            }
        }
    }

    @Example
    void nearestOtherSpeakerByCosine() {
        float[][] x = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {-1, 0}};
        MiningResult r = EmbeddingMiner.of(0.001).mine(List.of("a", "b", "c", "d"), List.of("x", "x", "y", "z"), x);
        assertEquals(List.of("c"), r.table().partnersOf("a"));
        assertEquals(List.of("c"), r.table().partnersOf("b"));
        assertEquals(List.of("b"), r.table().partnersOf("c"));
        assertEquals(List.of("c"), r.table().partnersOf("d"));
        assertEquals(1.0, r.table().distancesOf("a")[0], 1e-7);
    }

    @Example
    void badShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddingMiner.of(0.1, EmbeddingMiner.Kernel.JAVA, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingMiner.of(0.1, EmbeddingMiner.Kernel.JAVA, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingMiner.of(0.1)
                .mine(List.of("a", "b"), List.of("x", "y"), new float[][] {{1, 0}, {1}}));
    }

    @Example
    void matMulRateReportsItsWork() {
        MatMulRate.Rate r = MatMulRate.measure(64, 16, 2);
        assertEquals(2L * 64 * 64 * 16, r.flops());
        org.junit.jupiter.api.Assertions.assertTrue(r.gflopsPerSecond() > 0);
        MatMulRate.Rate engine = MatMulRate.engine(64, 32, 16, 3);
        assertEquals(2L * 64 * 32 * 16 * 3, engine.flops());
        org.junit.jupiter.api.Assertions.assertTrue(engine.gflopsPerSecond() > 0);
        assertThrows(IllegalArgumentException.class, () -> MatMulRate.engine(64, 32, 16, 0));
    }
}
