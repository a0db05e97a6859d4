package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.random.RandomStreams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;

class SmallestPairsProperties {

    /**
     * Offers in ascending index (some indexes skipped), distances from a few values (many ties,
     * negative zero among them), continuous, or falling (every offer beats the last); some offers
     * skipped above the bound as the miner does: the result is the first {@code capacity} of all
     * offers sorted by (distance, index).
     */
    @Property(tries = 300)
    void keepsTheSmallestInAscendingOrder(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int capacity,
                                          @ForAll @IntRange(min = 0, max = 3000) int offers) {
        UniformRandomProvider rng = RandomStreams.of(seed, "smallest-pairs-test", 0);
        int kind = rng.nextInt(3);
        boolean skipAboveBound = rng.nextBoolean();
        SmallestPairs s = new SmallestPairs(capacity);
        List<double[]> all = new ArrayList<>();
        int index = rng.nextInt(5) - 2;
        for (int k = 0; k < offers; k++) {
            index += 1 + rng.nextInt(3);
            double d = switch (kind) {
                case 0 -> new double[] {-0.0, 0.0, 0.25, 0.5, 1.0}[rng.nextInt(5)];
                case 1 -> rng.nextDouble() - 0.5;
                default -> 2.0 - k * 1e-3;
            };
            all.add(new double[] {d, index});
            if (!skipAboveBound || d <= s.bound()) {
                s.offer(d, index);
            }
        }
        all.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        int m = Math.min(capacity, offers);
        assertEquals(m, s.kept());
        int[] idx = new int[m];
        double[] dist = new double[m];
        s.drainAscending(idx, dist);
        int[] wantIdx = new int[m];
        double[] wantDist = new double[m];
        for (int k = 0; k < m; k++) {
            wantDist[k] = all.get(k)[0];
            wantIdx[k] = (int) all.get(k)[1];
        }
        assertArrayEquals(wantDist, dist);
        assertArrayEquals(wantIdx, idx);
    }

    @Example
    void theBoundIsInfiniteUntilTheBufferFillsThenKeepsAtLeastTheCapacity() {
        SmallestPairs s = new SmallestPairs(100);
        for (int i = 0; i < 199; i++) {
            s.offer(1000 - i, i);
        }
        assertEquals(Double.POSITIVE_INFINITY, s.bound());
        s.offer(0, 199);
        double bound = s.bound();
        assertTrue(bound >= 900 && bound < 1000, "the 100th smallest is 900: " + bound);
        assertEquals(100, s.kept());
    }

    @Example
    void indexesMustAscend() {
        SmallestPairs s = new SmallestPairs(3);
        s.offer(0.5, 4);
        assertThrows(IllegalArgumentException.class, () -> s.offer(0.1, 4));
        assertEquals(0, new SmallestPairs(0).kept());
    }
}
