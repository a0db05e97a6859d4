package io.speechsampler.curriculum.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.DrawJson;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.registry.ProviderRegistry.Kind;
import io.speechsampler.core.pipeline.Pipeline;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultiFactorCurriculumProviderTest {

    private static final String BATCH = "batch: {name: fixed, size: 4}\n";

    private static String failure(String sampler) {
        String yaml = "sampler: {name: multi-factor-curriculum" + sampler + "}\n" + BATCH;
        String m = assertThrows(ConfigException.class, () -> CurriculumPipelines.build(yaml, 1, 0, 1, 2)).getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith("test.yaml line "), m);
        return m;
    }

    private static void assertFails(String sampler, String expected) {
        String m = failure(sampler);
        assertTrue(m.contains(expected), m);
    }

    @Test
    void isASamplerNamedMultiFactorCurriculum() {
        assertTrue(CurriculumPipelines.REGISTRY.names(Kind.SAMPLER).contains("multi-factor-curriculum"));
    }

    @Test
    void factorsChangeAtSegmentStartsInsideAnEpochAsTheScheduleSays() {
        // 30 mixtures, batches of 4: 8 batches per epoch, 16 planned; a decision every 3 batches
        Pipeline p = CurriculumPipelines.build(CurriculumPipelines.MULTI + BATCH, 5, 0, 1, 2);
        MultiFactorCurriculumSampler s = (MultiFactorCurriculumSampler) p.sampler();
        double lowestSeen = Double.POSITIVE_INFINITY;
        long run = 0;
        for (int e = 0; e < 2; e++) {
            Optional<Batch> b;
            while ((b = p.nextInEpoch()).isPresent()) {
                // boundaries: every 3 run-global batches, and every epoch start (batch 8)
                double x = Math.max(run / 3 * 3, e * 8) / 16.0;
                MultiFactorCurriculumSampler.Distributions d = s.distributions(x);
                for (Draw draw : b.get().draws()) {
                    MixtureDraw m = (MixtureDraw) draw;
                    for (double snr : m.factors().interfererSnrDb()) {
                        assertTrue(snr >= d.snrLow() && snr <= d.snrHigh(), "batch " + run + ": " + snr + " outside ["
                                + d.snrLow() + ", " + d.snrHigh() + "]");
                        lowestSeen = Math.min(lowestSeen, snr);
                    }
                    assertTrue(m.factors().overlap() >= d.overlapLow() - 1e-3, DrawJson.toJson(m).toString());
                }
                run++;
            }
            p.finishEpoch();
        }
        assertEquals(16, run);
        assertTrue(lowestSeen < 5, "the SNR range moved down during the run: " + lowestSeen);
    }

    @Test
    void aSingleFactorCurriculumHoldsTheOtherFactorsFixed() {
        Pipeline p = CurriculumPipelines.build("sampler: {name: multi-factor-curriculum, segment_seconds: 0.25, "
                + "snr_db: [[5, 10], [-5, 5]]}\n"
                + BATCH, 5, 0, 1, 2);
        Batch b = p.nextInEpoch().orElseThrow();
        for (Draw d : b.draws()) {
            MixtureDraw m = (MixtureDraw) d;
            assertEquals(2, m.speakers());
            assertEquals(1.0, m.factors().overlap(), "utterances longer than the segment fill it");
            assertEquals("synthetic", m.factors().domain());
            assertTrue(m.factors().interfererSnrDb().get(0) >= 5);
        }
    }

    @Test
    void badInputIsOneLineNamingTheKeyAndTheRule() {
        assertFails(", snr_db: [10, 5]", "'sampler.snr_db' stop 1 is not [low, high] with -60 <= low <= high <= 60: "
                + "[10.0, 5.0]");
        assertFails(", snr_db: [[5, 10], [-80, 5]]", "'sampler.snr_db' stop 2 is not [low, high]");
        assertFails(", overlap: [0, 0.5]", "'sampler.overlap' stop 1 is not [low, high] with 0 < low <= high <= 1");
        assertFails(", overlap: [[0.5, 0.2]]", "'sampler.overlap' stop 1");
        assertFails(", speakers: [2, 3], speaker_shares: [[0.5, 0.4]]",
                "'sampler.speaker_shares' stop 1 does not sum to 1 (sum 0.9");
        assertFails(", speakers: [2, 3], speaker_shares: [0.5, 0.2, 0.3]", "'sampler.speaker_shares' must be one "
                + "share per speaker count [2, 3]");
        assertFails(", speakers: [3, 2]", "'sampler.speakers' must be increasing whole numbers in [2, 64]");
        assertFails(", speakers: [2, 7]", "'sampler.speakers' allows mixtures of 7 speakers, more than the 6 "
                + "speakers of the training corpus");
        assertFails(", speakers: [2, 6], real_share: [0, 0.5], real_corpus: real/manifest.jsonl",
                "allows mixtures of 6 speakers, more than the 5 speakers of 'sampler.real_corpus'");
        assertFails(", real_share: [0, 0.5]", "'sampler.real_share' is above 0 but no 'sampler.real_corpus' is set");
        assertFails(", real_share: [1.5]", "'sampler.real_share' is not [0, 1]: 1.5");
        assertFails(", real_corpus: nowhere/manifest.jsonl", "'sampler.real_corpus' cannot be read");
        assertFails(", pacing: {name: root-p, p: -1}", "'sampler.pacing.p' for pacing 'root-p': p is not a finite "
                + "number above 0: -1");
        assertFails(", snr_pacing: {name: geometric, c0: 0}", "'sampler.snr_pacing.c0' for pacing 'geometric'");
        assertFails(", steps_per_segment: 0", "'sampler.steps_per_segment'");
        assertFails(", segment_seconds: 0", "'sampler.segment_seconds' is not above 0: 0");
        assertFails(", snr_db: 3", "'sampler.snr_db' must be [low, high] or a list of them");
    }
}
