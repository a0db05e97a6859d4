package io.speechsampler.hardmining.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.random.RandomStreams;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;

class RankWeightedLossProperties {

    @Property(tries = 200)
    void weightsSumToOneAndGrowWithLoss(@ForAll long seed, @ForAll @IntRange(min = 1, max = 64) int b) {
        UniformRandomProvider rng = RandomStreams.of(seed, "rank-weight-test", 0);
        double[] losses = new double[b];
        for (int i = 0; i < b; i++) {
            losses[i] = rng.nextInt(8) - 4 + (rng.nextBoolean() ? 0 : rng.nextDouble());
        }
        double[] w = RankWeightedLoss.of().weights(List.of(), losses, new double[b]);
        assertEquals(1.0, Arrays.stream(w).sum(), 1e-12);
        double[] sorted = w.clone();
        Arrays.sort(sorted);
        for (int r = 0; r < b; r++) {
            assertEquals((r + 1) / (b * (b + 1) / 2.0), sorted[r], 1e-15, "weights are the ranks over sum(1..B)");
        }
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                if (losses[i] < losses[j] || (losses[i] == losses[j] && i < j)) {
                    assertTrue(w[i] < w[j], "a better sample must weigh less");
                }
            }
        }
    }
}
