package io.speechsampler.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.testkit.FeedbackContract;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPI 2, item 3: segments, their decision log and its replay (docs/spi2.md, section 3). */
class PipelineSegmentsTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(3, 5, 4);
    // 20 draws in batches of 2: 10 global batches an epoch, boundaries every 3 (run-global)
    private static final String MARKER = "sampler: {name: test-segment-marker, draws: 20, every: 3}\n"
            + "batch: {name: fixed, size: 2}\n";
    private static final String HARDEST = "sampler: shuffle\n"
            + "stages: [{name: test-repeat-hardest, every: 2, count: 2}]\nbatch: {name: fixed, size: 2}\n";

    private static Pipeline build(String yaml, int rank, int world) {
        return TestPipelines.build(yaml, Path.of("."), CORPUS, 9, rank, world);
    }

    private static List<Batch> rest(Pipeline p) {
        List<Batch> out = new ArrayList<>();
        Optional<Batch> b;
        while ((b = p.nextInEpoch()).isPresent()) {
            out.add(b.get());
        }
        return out;
    }

    /** Takes batches as a trainer does, observing each one's seeded outcomes before the next. */
    private static List<Batch> train(Pipeline p, int batches) {
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            Batch b = p.nextInEpoch().orElseThrow();
            p.observe(FeedbackContract.outcomes(9, b));
            out.add(b);
        }
        return out;
    }

    private static SegmentedProviders.SegmentMarkerSampler marker(Pipeline p) {
        return (SegmentedProviders.SegmentMarkerSampler) p.sampler();
    }

    @Test
    void everyDrawIsMadeUnderTheDecisionOfItsSegmentOnEveryRank() {
        for (int world = 1; world <= 3; world++) {
            for (int rank = 0; rank < world; rank++) {
                Pipeline p = build(MARKER, rank, world);
                for (int epoch = 0; epoch < 2; epoch++) {
                    for (Batch b : TestPipelines.epoch(p)) {
                        if (b.globalIndex() >= 10) {
                            continue; // padding repeats an earlier batch
                        }
                        long run = 10L * epoch + b.globalIndex();
                        long start = Math.max(10L * epoch, run / 3 * 3);
                        for (Draw d : b.draws()) {
                            assertTrue(d.tags().contains("segment-" + start), "batch " + run + " of rank " + rank
                                    + " of " + world + " holds " + d + ", expected the decision of the segment at "
                                    + start);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theStateHoldsTheEpochsDecisionLogInComponentOrder() {
        Pipeline q = build(MARKER, 0, 1);
        TestPipelines.epoch(q);
        for (int i = 0; i < 3; i++) {
            q.nextInEpoch();
        }
        JsonNode log = q.saveState().get("segments");
        assertEquals("[{\"start\":10,\"component\":\"sampler\",\"decision\":10},"
                + "{\"start\":12,\"component\":\"sampler\",\"decision\":12}]", log.toString());
        assertEquals(List.of(0L, 3L, 6L, 9L, 10L, 12L), marker(q).decided,
                "epoch 0's boundaries, then epoch 1's start and its first boundary");
    }

    @Test
    void aPipelineWithoutSegmentedComponentsWritesNoSegmentLog() {
        Pipeline p = build("sampler: shuffle\nbatch: {name: fixed, size: 2}\n", 0, 1);
        p.nextInEpoch();
        assertFalse(p.saveState().has("segments"));
        assertFalse(p.nextStartsSegment());
    }

    @Test
    void batchesInEpochDoesNotComputeASegmentedEpochAhead() {
        assertEquals(10, build(MARKER, 0, 1).batchesInEpoch());
        assertEquals(4, build(MARKER, 2, 3).batchesInEpoch());
        assertEquals(3, build(MARKER + "shard: {drop_last: true}\n", 1, 3).batchesInEpoch());
        Pipeline p = build(MARKER, 0, 1);
        p.batchesInEpoch();
        assertEquals(List.of(), marker(p).decided, "no decision before the epoch's first batch is asked for");
        assertEquals(-1, build(HARDEST, 0, 1).batchesInEpoch(), "a stage that inserts draws: size unknown");
    }

    @Test
    void nextStartsSegmentNamesTheBatchesThatWaitForOutcomes() {
        Pipeline one = build(MARKER, 0, 1);
        List<Boolean> starts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            starts.add(one.nextStartsSegment());
            one.nextInEpoch();
        }
        assertEquals(List.of(true, false, false, true, false, false, true, false, false, true), starts);
        // two ranks pull rounds {0, 1}, {2, 3}, ...: a boundary inside a round is crossed as it is pulled
        Pipeline two = build(MARKER, 1, 2);
        starts.clear();
        for (int i = 0; i < 5; i++) {
            starts.add(two.nextStartsSegment());
            two.nextInEpoch();
        }
        assertEquals(List.of(true, true, false, true, true), starts);
    }

    @Test
    void dropLastDealsASegmentedEpochAsAMaterialisedOne() {
        String yaml = "sampler: {name: test-segment-marker, draws: 20, every: 3}\nbatch: {name: fixed, size: 3}\n"
                + "shard: {drop_last: true}\n";
        List<List<Draw>> global = rest(build(yaml, 0, 1)).stream().map(Batch::draws).toList();
        assertEquals(7, global.size());
        for (int world = 2; world <= 3; world++) {
            for (int rank = 0; rank < world; rank++) {
                List<List<Draw>> mine = rest(build(yaml, rank, world)).stream().map(Batch::draws).toList();
                assertEquals(Pipeline.shard(global, rank, world, true), mine, "rank " + rank + " of " + world);
            }
        }
    }

    @Test
    void aRestoreReplaysTheLogAndNeedsNoOutcomes() {
        Pipeline whole = build(HARDEST, 0, 1);
        train(whole, 5);
        ObjectNode saved = whole.saveState();
        assertTrue(saved.get("segments").size() == 3, saved.get("segments").toString());
        List<Batch> expected = train(whole, 2);
        Pipeline resumed = build(HARDEST, 0, 1);
        resumed.restoreState(saved);
        var stage = (SegmentedProviders.RepeatHardestStage) resumed.stages().get(0);
        assertEquals(List.of(), stage.decisions, "the replay applies logged decisions, it decides nothing");
        assertEquals(expected, train(resumed, 2));
        assertEquals(1, stage.decisions.size(), "the boundary at batch 6 is decided afresh");
    }

    @Test
    void aLogThatDoesNotFitTheComponentsIsRefused() throws Exception {
        Pipeline p = build(MARKER, 0, 1);
        for (int i = 0; i < 4; i++) {
            p.nextInEpoch();
        }
        String json = new ObjectMapper().writeValueAsString(p.saveState());
        ObjectNode moved = (ObjectNode) new ObjectMapper().readTree(json);
        ((ObjectNode) moved.get("segments").get(1)).put("start", 4);
        String m = assertThrows(IllegalStateException.class, () -> build(MARKER, 0, 1).restoreState(moved))
                .getMessage();
        assertTrue(m.contains("the state's segment log has") && m.contains("starts a segment at batch 3"), m);
        ObjectNode missing = (ObjectNode) new ObjectMapper().readTree(json);
        missing.remove("segments");
        m = assertThrows(IllegalStateException.class, () -> build(MARKER, 0, 1).restoreState(missing)).getMessage();
        assertTrue(m.contains("'segments' must be a list"), m);
        ObjectNode foreign = (ObjectNode) new ObjectMapper().readTree(json);
        ((ObjectNode) foreign.get("segments").get(0)).put("component", "stages[0]");
        m = assertThrows(IllegalStateException.class, () -> build(MARKER, 0, 1).restoreState(foreign)).getMessage();
        assertTrue(m.contains("is not a segment decision of this pipeline"), m);
    }

    @Test
    void aStateRestoredElasticallyAndSavedAgainRestoresAtTheSameWorldSize() {
        for (String yaml : List.of("sampler: shuffle\nbatch: {name: fixed, size: 2}\n", MARKER)) {
            // 15 utterances (or 20 draws): world 1 takes 3 batches, world 2 re-deals from batch 3
            Pipeline one = build(yaml, 0, 1);
            for (int i = 0; i < 3; i++) {
                one.nextInEpoch();
            }
            JsonNode atThree = one.saveState();
            Pipeline a = build(yaml, 0, 2);
            a.restoreState(atThree);
            a.nextInEpoch();
            JsonNode again = a.saveState();
            List<Batch> expected = rest(a);
            Pipeline b = build(yaml, 0, 2);
            b.restoreState(again);
            assertEquals(expected, rest(b), yaml);
        }
    }
}
