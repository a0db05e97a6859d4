package io.speechsampler.curriculum.datamap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeBatch;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TseDatamapTest {

    /** spk000-utt0000 (0), spk000-utt0001 (1), spk001-utt0000 (2), spk001-utt0001 (3). */
    private static final Corpus CORPUS = TestCorpora.synthetic(2, 2, 1);
    private static final String A = "spk000-utt0000";
    private static final String B = "spk000-utt0001";

    private static Outcome item(String id, int epoch, int batch, double metric) {
        return new Outcome(ItemDraw.of(id), epoch, batch, batch, 0.1, metric);
    }

    @Test
    void rawScoresGiveWelfordsMeanAndPopulationStdOverEpochs() {
        TseDatamap d = TseDatamap.of(CORPUS, DatamapScore.raw(3, 1), 3);
        double[] perEpoch = {2, 4, 9};
        for (int e = 0; e < 3; e++) {
            d.observe(List.of(item(A, e, 0, perEpoch[e])));
            d.merge(List.of(d.summary()));
            d.endEpoch(e);
        }
        DatamapTable t = d.table();
        // mean 5; deviations -3, -1, 4: variance 26 / 3 (ddof 0)
        assertEquals(5, t.confidence(0), 0);
        assertEquals(Math.sqrt(26.0 / 3), t.variability(0), 1e-6);
        assertEquals(2, t.correct(0), "4 and 9 are above 3, 2 is not");
        assertEquals(3, t.epochsSeen(0));
        assertEquals(0, t.epochsSeen(1));
        assertTrue(Double.isNaN(t.confidence(1)) && Double.isNaN(t.variability(1)), "never seen");
    }

    @Test
    void theSigmoidScoreAndOutcomesOfOneEpochAveraged() {
        assertEquals(0.5, DatamapScore.sigmoid(10, 3).of(10), 0);
        assertEquals(0.75, DatamapScore.sigmoid(10, 3).of(10 + 3 * Math.log(3)), 1e-15);
        assertEquals(1 / (1 + Math.exp(2)), DatamapScore.sigmoid(10, 3).of(4), 1e-15);
        TseDatamap d = TseDatamap.of(CORPUS, DatamapScore.sigmoid(10, 3), 0.5);
        // epoch 0: one outcome at tau (0.5); epoch 1: two outcomes, 0.5 and 1.0 (metric far above), average 0.75
        d.observe(List.of(item(A, 0, 0, 10)));
        d.endEpoch(0);
        d.observe(List.of(item(A, 1, 0, 10), item(A, 1, 1, 1000)));
        d.endEpoch(1);
        DatamapTable t = d.table();
        assertEquals(0.625, t.confidence(0), 0);
        assertEquals(0.125, t.variability(0), 0);
        assertEquals(1, t.correct(0), "0.5 is not above 0.5; 0.75 is");
    }

    @Test
    void aMixtureCountsForItsTargetOrFirstSourceAndNanMetricsAreSkipped() {
        TseDatamap d = TseDatamap.of(CORPUS, DatamapScore.raw(0, 1), 0);
        MixtureDraw plain = MixtureDraw.of(List.of(Source.of(B, 0, 0), Source.of(A, 0, 0)), 100);
        MixtureDraw tse = new MixtureDraw(plain.sources(), 100, null, 1, "spk000-utt0001", List.of());
        d.observe(List.of(new Outcome(plain, 0, 0, 0, 0, 6), new Outcome(tse, 0, 0, 0, 0, 8),
                item(B, 0, 1, Double.NaN), item("not-in-corpus", 0, 1, 5)));
        d.endEpoch(0);
        DatamapTable t = d.table();
        assertEquals(6, t.confidence(1), 0, "the plain mixture's first source");
        assertEquals(8, t.confidence(0), 0, "the TSE mixture's target");
        assertEquals(1, t.epochsSeen(1));
    }

    private static Outcome mixture(String target, String other, List<Double> snr, double overlap, String domain,
                                   double metric) {
        List<Source> sources = new ArrayList<>();
        sources.add(Source.of(target, 0, 0));
        for (int j = 0; j < snr.size(); j++) {
            sources.add(Source.of(other, 0, 0));
        }
        MixtureDraw m = new MixtureDraw(sources, 100, null, 0, B, List.of(),
                new io.speechsampler.api.draw.MixtureFactors(snr, overlap, domain));
        return new Outcome(m, 0, 0, 0, 0, metric);
    }

    @Test
    void theMeanOfEachFactorATargetWasDrawnWith() {
        TseDatamap d = TseDatamap.of(CORPUS, DatamapScore.raw(0, 1), 0);
        d.observe(List.of(mixture(A, "spk001-utt0000", List.of(2.0, 4.0), 0.5, "real", 1),
                mixture(A, "spk001-utt0000", List.of(-1.0), 1.0, "synthetic", 2),
                new Outcome(MixtureDraw.of(List.of(Source.of(B, 0, 0), Source.of(A, 0, 0)), 100), 0, 0, 0, 0, 3)));
        d.endEpoch(0);
        d.observe(List.of(mixture(A, "spk001-utt0000", List.of(0.5), 0.25, "synthetic", Double.NaN)));
        d.endEpoch(1);
        DatamapTable t = d.table();
        // SNR: the mean over interferers (3, then -1); speakers 3 and 2; the NaN-metric outcome is not scored
        assertEquals(2, t.factorDraws(0));
        assertEquals(1, t.snrDb(0), 0);
        assertEquals(2.5, t.speakers(0), 0);
        assertEquals(0.75, t.overlap(0), 0);
        assertEquals(0.5, t.realShare(0), 0);
        assertEquals(1, t.epochsSeen(0));
        assertEquals(1, t.epochsSeen(1), "the plain mixture's first source is scored");
        assertTrue(Double.isNaN(t.snrDb(1)) && Double.isNaN(t.speakers(1)) && Double.isNaN(t.overlap(1))
                && Double.isNaN(t.realShare(1)), "drawn without factors");
        assertTrue(t.hasFactors());
    }

    @Test
    void regionsOnAKnownSet() {
        // 6 samples with one epoch each have variability 0; use two epochs to spread them
        Corpus corpus = TestCorpora.synthetic(3, 2, 1);
        TseDatamap d = TseDatamap.of(corpus, DatamapScore.raw(0, 1), 0);
        // (epoch 0, epoch 1): mean, std
        double[][] m = {{0, 8}, {1, 1}, {4, 6}, {10, 10}, {-2, 6}, {3, 3}};
        // stds 4, 0, 1, 0, 4, 0; means 4, 1, 5, 10, 2, 3
        for (int e = 0; e < 2; e++) {
            List<Outcome> batch = new ArrayList<>();
            for (int i = 0; i < m.length; i++) {
                batch.add(item(corpus.get(i).id(), e, 0, m[i][e]));
            }
            d.observe(batch);
            d.endEpoch(e);
        }
        DatamapRegions r = DatamapRegions.assign(d.table(), DatamapRegions.DEFAULT_AMBIGUOUS_SHARE, Double.NaN);
        // top third by variability: samples 0 and 4 (std 4); the rest's means 1, 5, 10, 3: median 4
        assertArrayEquals(new Region[] {Region.AMBIGUOUS, Region.HARD, Region.EASY, Region.EASY, Region.AMBIGUOUS,
                Region.HARD}, r.regions());
        assertEquals(4, r.confidenceCut(), 0);
        assertEquals(4, r.variabilityCut(), 1e-6);
        assertArrayEquals(new int[] {2, 2, 2, 0}, r.counts());
        DatamapRegions cut = DatamapRegions.assign(d.table(), 0.5, 1);
        // top half: 0, 4 (std 4) and 2 (std 1); the rest 1 (mean 1), 3 (10), 5 (3) above / at cut 1
        assertArrayEquals(new Region[] {Region.AMBIGUOUS, Region.HARD, Region.AMBIGUOUS, Region.EASY,
                Region.AMBIGUOUS, Region.EASY}, cut.regions());
    }

    @Test
    void saveAndRestoreInMidEpochGivesTheUninterruptedResult() {
        TseDatamap whole = TseDatamap.of(CORPUS, DatamapScore.sigmoid(10, 3), 0.5);
        List<List<Outcome>> batches = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            for (int g = 0; g < 4; g++) {
                batches.add(List.of(item(CORPUS.get(g).id(), e, g, 3 * e + g), item(A, e, g, 12 - g - e)));
            }
        }
        TseDatamap first = TseDatamap.of(CORPUS, DatamapScore.sigmoid(10, 3), 0.5);
        JsonNode saved = null;
        for (int k = 0; k < batches.size(); k++) {
            List<Outcome> b = batches.get(k);
            whole.observe(b);
            if (k < 6) {
                first.observe(b);
                if (k == 5) {
                    saved = first.saveState();
                }
            }
            if (k % 4 == 3) {
                whole.merge(List.of(whole.summary()));
                whole.endEpoch(k / 4);
            }
            if (k == 3) {
                first.merge(List.of(first.summary()));
                first.endEpoch(0);
            }
        }
        TseDatamap resumed = TseDatamap.of(CORPUS, DatamapScore.sigmoid(10, 3), 0.5);
        resumed.restoreState(saved);
        for (int k = 6; k < batches.size(); k++) {
            resumed.observe(batches.get(k));
            if (k % 4 == 3) {
                resumed.merge(List.of(resumed.summary()));
                resumed.endEpoch(k / 4);
            }
        }
        assertEquals(whole.saveState(), resumed.saveState());
        assertEquals(whole.table().confidence(0), resumed.table().confidence(0));
        var foreign = TseDatamap.of(CORPUS, DatamapScore.sigmoid(9, 3), 0.5);
        JsonNode s = saved;
        assertThrows(IllegalStateException.class, () -> foreign.restoreState(s));
    }

    @Test
    void keyIndexesOfItsCorpusGiveWhatTheKeysGiveAndThoseOfAnotherCorpusAreNotUsed() {
        MixtureDraw withFactors = new MixtureDraw(List.of(Source.of(B, 0, 0), Source.of(A, 0, 0)), 100, null, 0, B,
                List.of(), new io.speechsampler.api.draw.MixtureFactors(List.of(3.0), 0.5, "real"));
        OutcomeBatch batch = new OutcomeBatch(List.of(ItemDraw.of(A), withFactors, ItemDraw.of("not-in-corpus"),
                ItemDraw.of(B)), 0, 0, 0, new double[4], new double[] {12, 4, 5, Double.NaN});
        // the same ids in another order: its indexes would put every outcome on the wrong sample
        List<io.speechsampler.api.corpus.Utterance> reversed = new ArrayList<>(CORPUS.utterances());
        java.util.Collections.reverse(reversed);
        Corpus other = Corpus.of(Path.of("other"), reversed);
        TseDatamap byKey = TseDatamap.of(CORPUS, DatamapScore.sigmoid(10, 3), 0.5);
        TseDatamap byIndex = TseDatamap.of(CORPUS, DatamapScore.sigmoid(10, 3), 0.5);
        TseDatamap byForeignIndex = TseDatamap.of(CORPUS, DatamapScore.sigmoid(10, 3), 0.5);
        byKey.observe(List.copyOf(batch));
        byIndex.observe(batch.withKeyIndexes(CORPUS));
        byForeignIndex.observe(batch.withKeyIndexes(other));
        for (TseDatamap d : List.of(byKey, byIndex, byForeignIndex)) {
            d.endEpoch(0);
        }
        assertEquals(byKey.saveState(), byIndex.saveState());
        assertEquals(byKey.saveState(), byForeignIndex.saveState());
        DatamapTable t = byIndex.table();
        assertEquals(DatamapScore.sigmoid(10, 3).of(12), t.confidence(0), 1e-4);
        assertEquals(DatamapScore.sigmoid(10, 3).of(4), t.confidence(1), 1e-4);
        assertEquals(1, t.factorDraws(1));
        assertEquals(0, t.epochsSeen(2) + t.epochsSeen(3));
    }

    @Test
    void theStateIs32BytesPerSample() throws java.io.IOException {
        // the header does not grow with the corpus: the difference of two sizes is the per-sample cost
        long perThousand = stateBytes(TestCorpora.synthetic(20, 100, 1)) - stateBytes(TestCorpora.synthetic(10, 100, 1));
        assertEquals(32 * 1000, perThousand);
    }

    private static long stateBytes(Corpus corpus) throws java.io.IOException {
        return TseDatamap.of(corpus, DatamapScore.sigmoid(10, 3), 0.5).saveState().get("columns").binaryValue().length;
    }

    private static String failure(String observer) {
        RunConfig config = RunConfig.parse("seed: 1\nsampler: shuffle\nbatch: {name: fixed, size: 2}\n"
                + "observers:\n  - " + observer + "\n", "test.yaml", Path.of("."));
        return assertThrows(ConfigException.class, () -> Pipeline.build(config, CORPUS, ProviderRegistry.load(), 0, 1))
                .getMessage();
    }

    @Test
    void parametersOutOfRangeAreOneLineNamingTheKey() {
        assertEquals("test.yaml line 5: 'observers[0].kappa' is not a finite number > 0: 0.0",
                failure("{name: datamap, kappa: 0}"));
        assertTrue(failure("{name: datamap, kappa: -1}").contains("'observers[0].kappa'"));
        assertEquals("test.yaml line 5: 'observers[0].correct_above' is not in [0, 1] (a sigmoid score is): 2.0",
                failure("{name: datamap, correct_above: 2}"));
        assertTrue(failure("{name: datamap, score: logit}").contains("'observers[0].score'"));
        Pipeline ok = Pipeline.build(RunConfig.parse("seed: 1\nsampler: shuffle\nbatch: {name: fixed, size: 2}\n"
                + "observers: [{name: datamap, score: raw, correct_above: 12}]\n", "test.yaml", Path.of(".")),
                CORPUS, ProviderRegistry.load(), 0, 1);
        assertEquals("datamap(raw, correct_above 12.0)", ok.observers().get(0).toString());
    }
}
