package io.speechsampler.lossgate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Purity, NMI and the per-sample agreement with a cluster's majority, on cases worked by hand. */
class ClusterQualityTest {

    /** Clusters {0: A A}, {1: A B B}, {2: C}: majorities A, B, C; only the A of cluster 1 is wrong. */
    private static final int[] CLUSTERS = {0, 0, 1, 1, 1, 2};
    private static final int[] SPEAKERS = {0, 0, 0, 1, 1, 2};

    @Test
    void aSampleAgreesWhenItsSpeakerIsItsClustersMajority() {
        boolean[] right = ClusterQuality.agreesWithMajority(CLUSTERS, SPEAKERS);
        assertArrayEquals(new boolean[] {true, true, false, true, true, true}, right);
        int n = 0;
        for (boolean r : right) {
            n += r ? 1 : 0;
        }
        assertEquals(ClusterQuality.purity(CLUSTERS, SPEAKERS), n / (double) right.length, 1e-15,
                "the share agreeing over all samples is the purity");
        assertEquals(5 / 6.0, ClusterQuality.purity(CLUSTERS, SPEAKERS), 1e-15);
    }

    @Test
    void aTieGoesToTheSmallestSpeakerAndUnlabelledSamplesNeverAgree() {
        assertArrayEquals(new boolean[] {false, true, false}, ClusterQuality.agreesWithMajority(new int[] {4, 4, -1},
                new int[] {3, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> ClusterQuality.agreesWithMajority(new int[] {0},
                new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> ClusterQuality.agreesWithMajority(new int[] {0, 1},
                new int[] {0}));
    }

    /** NMI worked by hand: a perfect clustering up to renaming is 1, an independent one 0. */
    @Test
    void nmiIsOneForARenamingAndZeroForIndependence() {
        assertEquals(1.0, ClusterQuality.nmi(new int[] {7, 7, 3, 3}, new int[] {0, 0, 1, 1}), 1e-12);
        assertEquals(0.0, ClusterQuality.nmi(new int[] {0, 1, 0, 1}, new int[] {0, 0, 1, 1}), 1e-12);
    }

    @Test
    void speakersAreKnownWithAtLeastTwoAndFewerThanTheUtterances() {
        assertTrue(ClusterQuality.speakersKnown(2, 3));
        assertFalse(ClusterQuality.speakersKnown(1, 10), "one speaker for all");
        assertFalse(ClusterQuality.speakersKnown(10, 10), "each utterance its own speaker");
    }
}
