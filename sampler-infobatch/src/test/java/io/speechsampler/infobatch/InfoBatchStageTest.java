package io.speechsampler.infobatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.RunPlan;
import io.speechsampler.api.state.BinarySideFile;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.TestCorpora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoBatchStageTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(4, 25, 7);
    private static final String YAML = "sampler: shuffle\nbatch: {name: fixed, size: 8}\n"
            + "stages: [{name: info-batch, prune_ratio: 0.5}]\n";

    private static String failure(String stage) {
        return assertThrows(ConfigException.class, () -> Feedback.pipeline("sampler: shuffle\nbatch: {name: fixed, size: 4}\n"
                + "stages:\n  - " + stage + "\n", CORPUS, 1, 0, 1)).getMessage();
    }

    @Test
    void parametersOutsideTheirRangesAreOneLineWithTheKeysLine() {
        assertEquals("test.yaml line 5: 'stages[0].prune_ratio' is not [0, 1): 1", failure("{name: info-batch, prune_ratio: 1}"));
        assertEquals("test.yaml line 5: 'stages[0].prune_ratio' is not [0, 1): -0.5",
                failure("{name: info-batch, prune_ratio: -0.5}"));
        assertEquals("test.yaml line 5: 'stages[0].delta' is not (0, 1]: 0", failure("{name: info-batch, delta: 0}"));
        assertEquals("test.yaml line 5: 'stages[0].delta' is not (0, 1]: 1.5", failure("{name: info-batch, delta: 1.5}"));
        assertTrue(failure("{name: info-batch, initial_score: 1e300}").contains("beyond a float's range"));
    }

    @Test
    void theAnnealingEpochIsCeilOfDeltaTimesTheEpochsInDecimal() {
        assertEquals(9, InfoBatchStage.annealingEpoch(0.9, 10), "0.9 * 10 is 9.000000000000002 in binary");
        assertEquals(7, InfoBatchStage.annealingEpoch(0.875, 8));
        assertEquals(27, InfoBatchStage.annealingEpoch(0.875, 30));
        assertEquals(1, InfoBatchStage.annealingEpoch(0.01, 3));
        assertEquals(Integer.MAX_VALUE, InfoBatchStage.annealingEpoch(0.875, -1));
    }

    /** Scores from outcomes: the last loss per key; padding and draws without a corpus key leave them. */
    @Test
    void observeWritesTheLastLossOfEachScoredKey() {
        InfoBatchStage s = InfoBatchStage.of(CORPUS, 0.5, 0.875, 3);
        String id = CORPUS.get(0).id();
        s.observe(List.of(new Outcome(ItemDraw.of(id), 0, 0, 0, 1.25, 0),
                new Outcome(ItemDraw.of("not-in-the-corpus"), 0, 0, 0, 0.5, 0)));
        assertEquals(1.25f, s.score(id));
        assertEquals(3f, s.score(CORPUS.get(1).id()));
        s.observe(List.of(new Outcome(ItemDraw.of(id), 0, 1, 3, 0.5, 0)));
        assertEquals(0.5f, s.score(id));
        assertThrows(IllegalArgumentException.class,
                () -> s.observe(List.of(new Outcome(ItemDraw.of(id), 0, 1, 3, Double.NaN, 0))));

        Pipeline p = Feedback.pipeline(YAML, CORPUS, 3, 1, 3); // 13 batches over 3 ranks: rank 1's last is padding
        InfoBatchStage ib = (InfoBatchStage) p.stages().get(0);
        List<Batch> mine = new ArrayList<>();
        Optional<Batch> b;
        while ((b = p.nextInEpoch()).isPresent()) {
            mine.add(b.get());
        }
        Batch pad = mine.get(mine.size() - 1);
        assertTrue(pad.draws().get(0).isPadding());
        Feedback.train(p, pad, 11);
        for (Draw d : pad.draws()) {
            assertEquals(3f, ib.score(d.key()), "padding reaches no score");
        }
    }

    @Test
    void wellLearnedDrawsArePrunedOrTaggedAndTheTaggedWeighTwice() {
        InfoBatchStage s = InfoBatchStage.of(CORPUS, 0.5, 1, 3);
        List<Outcome> seen = new ArrayList<>();
        for (int i = 0; i < CORPUS.size(); i++) {
            seen.add(new Outcome(ItemDraw.of(CORPUS.get(i).id()), 0, 0, i, i % 2 == 0 ? 0.1 : 5, 0));
        }
        s.observe(seen);
        List<Draw> up = new ArrayList<>();
        up.add(ItemDraw.of("elsewhere")); // no corpus key: passes
        CORPUS.utterances().forEach(u -> up.add(ItemDraw.of(u.id())));
        List<Draw> out = new ArrayList<>();
        s.apply(up.iterator(), new EpochContext(5, 1, 0, 1, "stages[0]", new RunPlan(4, 100, -1)))
                .forEachRemaining(out::add);
        assertEquals(ItemDraw.of("elsewhere"), out.get(0));
        long rescaled = out.stream().filter(d -> d.tags().contains(InfoBatchStage.RESCALED_TAG)).count();
        assertEquals(51 + rescaled, out.size(), "the 50 others and the key-less draw kept");
        assertTrue(rescaled > 10 && rescaled < 40, "about half of the 50 well-learned kept: " + rescaled);
        for (Draw d : out) {
            int i = CORPUS.indexOf(d.key()).orElse(1);
            assertEquals(i % 2 == 0, d.tags().contains(InfoBatchStage.RESCALED_TAG), d.toString());
        }
        assertArrayEquals(new double[] {2, 1}, s.weights(List.of(ItemDraw.of("a").withTag("rescaled"), ItemDraw.of("b")),
                new double[2], new double[2]));
        List<Draw> annealed = new ArrayList<>();
        s.apply(up.iterator(), new EpochContext(5, 4, 0, 1, "stages[0]", new RunPlan(4, 100, -1)))
                .forEachRemaining(annealed::add);
        assertEquals(up, annealed, "epoch ceil(1 * 4) = 4 prunes nothing");
    }

    @Test
    void aForeignOrDamagedStateIsRefused() {
        InfoBatchStage s = InfoBatchStage.of(CORPUS, 0.5, 0.875, 3);
        assertEquals("not an info-batch state: expected \"type\": \"info-batch\"",
                assertThrows(IllegalStateException.class, () -> s.restoreState(new ObjectMapper().createObjectNode()))
                        .getMessage());
        JsonNode other = InfoBatchStage.of(TestCorpora.synthetic(2, 5, 1), 0.5, 0.875, 3).saveState();
        assertEquals("the columns hold 10 samples; expected 100 (one per utterance of this corpus)",
                assertThrows(IllegalStateException.class, () -> s.restoreState(other)).getMessage());
        ObjectNode text = (ObjectNode) s.saveState();
        text.put("columns", "AAAA");
        assertTrue(assertThrows(IllegalStateException.class, () -> s.restoreState(text)).getMessage()
                .startsWith("info-batch scores: "));
    }

    /**
     * A checkpoint's pipeline state with info-batch: the scores go to the side file at 8 bytes per
     * utterance plus a header; state.json holds a reference; a damaged side file is one line.
     */
    @Test
    void theScoresGoToTheSideFileAtEightBytesAnUtterance(@TempDir Path dir) throws IOException {
        Corpus big = TestCorpora.synthetic(100, 200, 3); // 20000 utterances
        Pipeline p = Feedback.pipeline("sampler: shuffle\nbatch: {name: fixed, size: 64}\n"
                + "stages: [{name: info-batch}]\n", big, 1, 0, 1);
        Feedback.train(p, p.nextInEpoch().orElseThrow(), 2);
        JsonNode state = p.saveState();
        JsonNode refs = BinarySideFile.externalise(state, dir, "state.bin");
        byte[] json = new ObjectMapper().writeValueAsBytes(refs);
        long bin = Files.size(dir.resolve("state.bin"));
        double perUtterance = (double) bin / big.size();
        System.out.printf("info-batch state of %d utterances: state.bin %d bytes (%.3f per utterance; epoch start and "
                + "current, so %.3f per utterance and copy), state.json %d bytes%n", big.size(), bin, perUtterance,
                perUtterance / 2, json.length);
        assertTrue(perUtterance / 2 <= 8.01, "two columns of 4 bytes per copy: " + perUtterance);
        assertTrue(json.length < 4000, "no scores in the JSON: " + json.length);
        Pipeline q = Feedback.pipeline("sampler: shuffle\nbatch: {name: fixed, size: 64}\n"
                + "stages: [{name: info-batch}]\n", big, 1, 0, 1);
        q.restoreState(BinarySideFile.internalise(new ObjectMapper().readTree(json), dir));
        assertEquals(p.nextInEpoch(), q.nextInEpoch());
        InfoBatchStage a = (InfoBatchStage) p.stages().get(0);
        InfoBatchStage b = (InfoBatchStage) q.stages().get(0);
        assertEquals(a.saveState(), b.saveState());
    }

    @Test
    void itIsAStageAWeightingAndAnObserverInOneObject() {
        Pipeline p = Feedback.pipeline(YAML + "weighting: uniform\n", CORPUS, 1, 0, 1);
        assertSame(p.stages().get(0), p.weightings().get(1));
    }
}
