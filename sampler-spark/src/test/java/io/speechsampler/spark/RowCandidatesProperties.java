package io.speechsampler.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The tile-by-tile selection is exact: a row's {@code limit} smallest (distance, index) pairs,
 * selected per part in any offer order and merged, are those of one sort of the whole row, ties
 * to the smaller index (distances drawn from a few values so that ties are common).
 */
class RowCandidatesProperties {

    @Property(tries = 200)
    void selectedAndMergedPartsAreTheSmallestOfTheWholeRow(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int n,
                                                           @ForAll @IntRange(min = 0, max = 70) int limit,
                                                           @ForAll @IntRange(min = 1, max = 5) int parts) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = rng.nextInt(6) / 4.0;
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> d[i]).thenComparingInt(i -> i));
        int kept = Math.min(limit, n);
        int[] expected = Arrays.stream(order).limit(kept).mapToInt(Integer::intValue).toArray();

        RowCandidates merged = null;
        for (int p = 0; p < parts; p++) {
            RowCandidates.Selection sel = new RowCandidates.Selection(limit);
            // the part's columns, offered in descending index (the selection must not rely on order)
            for (int i = n - 1; i >= 0; i--) {
                if (i % parts == p) {
                    sel.offer(d[i], i);
                }
            }
            RowCandidates part = sel.drain();
            part = new RowCandidates(limit, part.partners, part.distances);
            merged = merged == null ? part : RowCandidates.merge(merged, part);
        }
        assertArrayEquals(expected, merged.partners);
        assertArrayEquals(Arrays.stream(expected).mapToDouble(i -> d[i]).toArray(), merged.distances);
    }
}
