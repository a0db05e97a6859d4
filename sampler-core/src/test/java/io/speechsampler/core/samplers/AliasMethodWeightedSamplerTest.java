package io.speechsampler.core.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.core.pipeline.TestPipelines;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.rng.sampling.distribution.AliasMethodDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples for {@code weighted}: parameters, weight-file errors, updates and state. No statistical assertions. */
class AliasMethodWeightedSamplerTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(3, 4, 31);

    @TempDir
    Path dir;

    private Pipeline build(String sampler, long seed) {
        return TestPipelines.build("sampler: " + sampler + "\nbatch: {name: fixed, size: 4}\n", dir, CORPUS, seed, 0, 1);
    }

    private ConfigException failure(String weightsFile) throws Exception {
        Files.writeString(dir.resolve("w.tsv"), weightsFile);
        return assertThrows(ConfigException.class, () -> build("{name: weighted, weights: w.tsv}", 1));
    }

    private static Set<String> ids(List<Batch> batches) {
        Set<String> ids = new HashSet<>();
        for (Batch b : batches) {
            for (Draw d : b.draws()) {
                ids.addAll(d.utteranceIds());
            }
        }
        return ids;
    }

    @Test
    void negativeWeightNamesFileLineAndValue() throws Exception {
        String m = failure(CORPUS.get(0).id() + "\t1\n\n" + CORPUS.get(1).id() + "\t-2.5\n").getMessage();
        assertTrue(m.contains("w.tsv line 3") && m.contains("-2.5") && m.contains(">= 0"), m);
        assertTrue(m.startsWith("test.yaml line 2: "), m);
    }

    @Test
    void nanWeightNamesFileLineAndValue() throws Exception {
        String m = failure(CORPUS.get(0).id() + "\tNaN\n").getMessage();
        assertTrue(m.contains("w.tsv line 1") && m.contains("NaN"), m);
    }

    @Test
    void allZeroWeightsNameTheFile() throws Exception {
        Files.writeString(dir.resolve("w.tsv"), CORPUS.get(0).id() + "\t0\n");
        String m = assertThrows(ConfigException.class,
                () -> build("{name: weighted, weights: w.tsv, default_weight: 0}", 1)).getMessage();
        assertTrue(m.contains("w.tsv") && m.contains("every weight is 0"), m);
    }

    @Test
    void malformedUnknownAndDuplicateLinesNameTheLine() throws Exception {
        String m = failure("just-one-field\n").getMessage();
        assertTrue(m.contains("w.tsv line 1") && m.contains("utterance_id<TAB>weight"), m);
        m = failure("nobody\t1\n").getMessage();
        assertTrue(m.contains("w.tsv line 1") && m.contains("'nobody'"), m);
        m = failure(CORPUS.get(0).id() + "\t1\n" + CORPUS.get(0).id() + "\t2\n").getMessage();
        assertTrue(m.contains("w.tsv line 2") && m.contains("first on line 1"), m);
        m = failure(CORPUS.get(0).id() + "\tlots\n").getMessage();
        assertTrue(m.contains("w.tsv line 1") && m.contains("'lots'"), m);
    }

    @Test
    void missingFileIsNamed() {
        String m = assertThrows(ConfigException.class, () -> build("{name: weighted, weights: nope.tsv}", 1))
                .getMessage();
        assertTrue(m.contains("nope.tsv") && m.contains("not found"), m);
    }

    @Test
    void utterancesLeftOutGetTheDefaultWeight() throws Exception {
        Files.writeString(dir.resolve("w.tsv"), CORPUS.get(2).id() + "\t1\n" + CORPUS.get(5).id() + "\t1\n");
        Pipeline only = build("{name: weighted, weights: w.tsv, default_weight: 0, num_draws: 40}", 3);
        List<Batch> epoch = TestPipelines.epoch(only);
        assertEquals(Set.of(CORPUS.get(2).id(), CORPUS.get(5).id()), ids(epoch));
        assertEquals(10, epoch.size());

        Pipeline all = build("{name: weighted, weights: w.tsv, num_draws: 400}", 3);
        assertEquals(CORPUS.size(), ids(TestPipelines.epoch(all)).size());
    }

    @Test
    void numDrawsDefaultsToTheCorpusSize() {
        assertEquals(3, build("weighted", 1).batchesInEpoch());
    }

    @Test
    void updateTakesEffectFromTheNextEpochAndIsPartOfTheState() throws Exception {
        String only = CORPUS.get(4).id();
        Map<String, Double> update = new HashMap<>();
        CORPUS.utterances().forEach(u -> update.put(u.id(), u.id().equals(only) ? 1.0 : 0.0));

        Pipeline reference = build("{name: weighted, num_draws: 40}", 9);
        reference.nextInEpoch();
        ((AliasMethodWeightedSampler) reference.sampler()).updateWeights(update);
        List<Batch> restOfEpoch0 = TestPipelines.epoch(reference);
        List<Batch> epoch1 = TestPipelines.epoch(reference);
        assertTrue(ids(restOfEpoch0).size() > 1, "the update must not change the running epoch");
        assertEquals(Set.of(only), ids(epoch1));

        Pipeline first = build("{name: weighted, num_draws: 40}", 9);
        first.nextInEpoch();
        ((AliasMethodWeightedSampler) first.sampler()).updateWeights(update);
        String state = new ObjectMapper().writeValueAsString(first.saveState());
        Pipeline resumed = build("{name: weighted, num_draws: 40}", 9);
        resumed.restoreState(new ObjectMapper().readTree(state));
        assertEquals(restOfEpoch0, TestPipelines.epoch(resumed));
        assertEquals(epoch1, TestPipelines.epoch(resumed));
        assertEquals(1.0, ((AliasMethodWeightedSampler) resumed.sampler()).weightOf(only));
    }

    /**
     * The draws are Commons RNG's alias-method draws on the epoch's stream, one {@code sample()}
     * each, in order, however the iterator batches its calls (700 draws: blocks of 256 and a rest).
     */
    @Test
    void drawsAreCommonsRngAliasSamplesOnTheEpochStream() {
        double[] w = new double[CORPUS.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 3 == 0 ? 0 : 1 + i % 4;
        }
        AliasMethodWeightedSampler sampler = AliasMethodWeightedSampler.of(CORPUS, w, 700);
        EpochContext ctx = new EpochContext(17, 3, 0, 1, "sampler");
        Iterator<Draw> it = sampler.epoch(ctx);
        List<String> positive = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                positive.add(CORPUS.get(i).id());
                p.add(w[i]);
            }
        }
        DiscreteSampler reference = AliasMethodDiscreteSampler.of(new EpochContext(17, 3, 0, 1, "sampler").random(),
                p.stream().mapToDouble(Double::doubleValue).toArray());
        for (int k = 0; k < 700; k++) {
            assertEquals(positive.get(reference.sample()), it.next().utteranceIds().get(0), "draw " + k);
        }
        assertFalse(it.hasNext());
    }

    /** The epoch-start snapshot keeps the weights of its moment, whatever updates come after. */
    @Test
    void snapshotKeepsTheWeightsOfItsMoment() {
        AliasMethodWeightedSampler sampler = AliasMethodWeightedSampler.of(CORPUS, uniformWeights(), 10);
        JsonNode before = sampler.saveState();
        Supplier<JsonNode> snapshot = sampler.snapshot();
        sampler.updateWeights(Map.of(CORPUS.get(2).id(), 7.0));
        assertEquals(before, snapshot.get());
        assertEquals(7.0, sampler.saveState().get("weights").get(2).asDouble());
    }

    private static double[] uniformWeights() {
        double[] w = new double[CORPUS.size()];
        Arrays.fill(w, 1.0);
        return w;
    }

    /** Regression: an update after the epoch was computed but before its first batch was lost on resume. */
    @Test
    void updateBeforeTheFirstBatchOfAComputedEpochResumesIdentically() throws Exception {
        Map<String, Double> update = Map.of(CORPUS.get(0).id(), 0.0, CORPUS.get(1).id(), 50.0);
        Pipeline reference = build("{name: weighted, num_draws: 40}", 4);
        reference.batchesInEpoch();
        ((AliasMethodWeightedSampler) reference.sampler()).updateWeights(update);
        Pipeline first = build("{name: weighted, num_draws: 40}", 4);
        first.batchesInEpoch();
        ((AliasMethodWeightedSampler) first.sampler()).updateWeights(update);
        Pipeline resumed = build("{name: weighted, num_draws: 40}", 4);
        resumed.restoreState(new ObjectMapper().readTree(first.saveState().toString()));
        assertEquals(TestPipelines.epoch(reference), TestPipelines.epoch(resumed));
        assertEquals(TestPipelines.epoch(reference), TestPipelines.epoch(resumed));
    }

    @Test
    void badUpdatesAreRefusedAndLeaveTheWeights() {
        AliasMethodWeightedSampler s = AliasMethodWeightedSampler.of(CORPUS, ones(), 5);
        String id = CORPUS.get(0).id();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.updateWeights(Map.of(id, -1.0)))
                .getMessage().contains("-1.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.updateWeights(Map.of("ghost", 1.0)))
                .getMessage().contains("'ghost'"));
        Map<String, Double> zeros = new HashMap<>();
        CORPUS.utterances().forEach(u -> zeros.put(u.id(), 0.0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.updateWeights(zeros)).getMessage()
                .contains("every weight is 0"));
        assertEquals(1.0, s.weightOf(id));
    }

    @Test
    void foreignStateIsRefused() throws Exception {
        AliasMethodWeightedSampler s = AliasMethodWeightedSampler.of(CORPUS, ones(), 5);
        assertThrows(IllegalStateException.class, () -> s.restoreState(new ObjectMapper().readTree("{\"x\":1}")));
        assertThrows(IllegalStateException.class,
                () -> s.restoreState(new ObjectMapper().readTree("{\"type\":\"alias-method-weighted\",\"weights\":[1]}")));
    }

    private static double[] ones() {
        double[] w = new double[CORPUS.size()];
        Arrays.fill(w, 1.0);
        return w;
    }
}
