package io.speechsampler.audio.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SiSnrTest {

    // ref is zero-mean with |ref|^2 = 4; noise is zero-mean, orthogonal to ref, |noise|^2 = 4.
    private static final float[] REF = {1, -1, 1, -1};
    private static final float[] NOISE = {1, 1, -1, -1};

    @Test
    void handComputedValueWithOffsetAndEps() {
        // est = 2 ref + noise + 5 (the offset is removed by mean subtraction).
        float[] est = new float[4];
        for (int i = 0; i < 4; i++) {
            est[i] = 2 * REF[i] + NOISE[i] + 5;
        }
        double eps = 1e-8;
        double alpha = 8 / (4 + eps);
        double targetEnergy = alpha * alpha * 4;
        double noiseEnergy = (2 - alpha) * (2 - alpha) * 4 + 4;
        double expected = 10 * Math.log10(targetEnergy / (noiseEnergy + eps) + eps);
        assertEquals(expected, SiSnr.siSnr(est, REF), 1e-12);
        assertEquals(10 * Math.log10(4), SiSnr.siSnr(est, REF), 1e-6);
    }

    @Test
    void perfectEstimateIsLimitedOnlyByEps() {
        // e = ref (1 - 4/(4+eps)) is ~1e-9 per sample, so the ratio is ~4/eps: about 86 dB.
        double value = SiSnr.siSnr(REF, REF);
        assertEquals(10 * Math.log10(4 / 1e-8), value, 1e-3);
    }

    @Test
    void silentReferenceGivesMinus80Db() {
        assertEquals(-80.0, SiSnr.SILENT_REFERENCE_DB, 1e-12);
        assertEquals(-80.0, SiSnr.siSnr(REF, new float[4]), 1e-12);
        // A constant is silent after mean removal.
        assertEquals(-80.0, SiSnr.siSnr(REF, new float[] {3, 3, 3, 3}), 1e-12);
        assertEquals(-80.0, SiSnr.siSnr(new float[4], REF), 1e-12);
    }

    @Test
    void improvementSubtractsTheMixtureScore() {
        float[] est = new float[4];
        float[] mixture = new float[4];
        for (int i = 0; i < 4; i++) {
            est[i] = 2 * REF[i] + NOISE[i];
            mixture[i] = REF[i] + NOISE[i];
        }
        // est is at 10 log10(4) dB and the mixture at 0 dB, up to eps.
        assertEquals(10 * Math.log10(4), SiSnr.siSnrImprovement(est, REF, mixture), 1e-6);
        assertEquals(SiSnr.siSnr(est, REF) - SiSnr.siSnr(mixture, REF),
                SiSnr.siSnrImprovement(est, REF, mixture), 1e-12);
    }

    @Test
    void pairwiseMatchesSingleCalls() {
        float[][] est = {{1, 2, 0, -1}, {0, 1, 3, 1}};
        float[][] ref = {{1, -1, 1, -1}, {2, 0, 1, 1}};
        double[][] pw = SiSnr.pairwise(est, ref);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(SiSnr.siSnr(est[i], ref[j]), pw[i][j], 1e-12);
            }
        }
    }

    @Test
    void differentLengthsNameBothLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SiSnr.siSnr(new float[3], new float[5]));
        assertTrue(e.getMessage().contains("est has 3") && e.getMessage().contains("ref has 5"),
                e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> SiSnr.siSnrImprovement(new float[4], new float[4], new float[2]));
        assertTrue(m.getMessage().contains("mixture has 2"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SiSnr.siSnr(new float[0], new float[0]));
    }
}
