package io.speechsampler.hardmining.weighting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.spi.LossWeighting;
import io.speechsampler.api.spi.LossWeightingProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RankWeightedLossTest {

    private final LossWeighting w = RankWeightedLoss.of();

    @Test
    void singleSampleWeighsOne() {
        assertArrayEquals(new double[] {1.0}, w.weights(List.of(), new double[] {-12.0}, new double[1]));
    }

    @Test
    void pairGivesTheWorstTwoThirds() {
        // losses are -SI-SNR: sample 0 (SI-SNR 15 dB) is better than sample 1 (SI-SNR 3 dB)
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3}, w.weights(List.of(), new double[] {-15, -3}, new double[2]),
                1e-15);
    }

    @Test
    void batchOfFourByHand() {
        double[] losses = {-10, -2, -14, -6};
        // ascending: -14 (rank 1), -10 (2), -6 (3), -2 (4); sum 1..4 = 10
        assertArrayEquals(new double[] {0.2, 0.4, 0.1, 0.3}, w.weights(List.of(), losses, new double[4]), 1e-15);
        // paper's wSI-SNR on SI-SNR sorted descending 14, 10, 6, 2: (1*14 + 2*10 + 3*6 + 4*2) / 10 = 6.0
        assertEquals(-6.0, w.reduce(List.of(), losses, new double[4]), 1e-12);
    }

    @Test
    void tiesAreRankedByIndex() {
        assertArrayEquals(new double[] {1.0 / 6, 2.0 / 6, 3.0 / 6},
                w.weights(List.of(), new double[] {-5, -5, -5}, new double[3]), 1e-15);
    }

    @Test
    void nonFiniteLossIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.weights(List.of(), new double[] {1, Double.NaN}, new double[2]));
        assertTrue(e.getMessage().contains("loss 1"), e.getMessage());
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertTrue(ServiceLoader.load(LossWeightingProvider.class).stream()
                .anyMatch(p -> p.get().name().equals("rank-weighted")));
    }
}
