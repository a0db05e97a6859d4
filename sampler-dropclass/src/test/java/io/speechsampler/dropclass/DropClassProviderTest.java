package io.speechsampler.dropclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.registry.ProviderRegistry.Kind;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.dropclass.DropClassPipelines.Masked;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Examples for {@code drop-class}: configuration, bad input, the logged decisions, the state and the drops lines. No statistical assertions. */
class DropClassProviderTest {

    private static final Corpus CORPUS = DropClassContractTest.CORPUS;

    private static Pipeline build(String yaml, long seed) {
        return DropClassPipelines.build(yaml, CORPUS, seed, 0, 1);
    }

    private static String failure(String yaml) {
        String m = assertThrows(ConfigException.class, () -> build(yaml, 1)).getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith("test.yaml line "), m);
        return m;
    }

    @Test
    void isAMaskProviderNamedDropClass() {
        assertTrue(DropClassPipelines.REGISTRY.names(Kind.MASK).contains("drop-class"));
    }

    @Test
    void oneObjectIsTheSamplersAllowedSetAndTheMask() {
        Pipeline p = build(DropClassPipelines.yaml(3, "steps_per_drop: 3", 2, ""), 1);
        assertSame(p.sharedComponents().get("dc"), p.mask().orElseThrow());
    }

    @Test
    void numDropOfAtLeastTheClassesIsOneLineNamingKeyAndValue() {
        String m = failure(DropClassPipelines.yaml(8, "steps_per_drop: 3", 2, ""));
        assertTrue(m.contains("'components.dc.num_drop' is not < the number of classes (8 speakers): 8"), m);
    }

    @Test
    void numDropLeavingFewerLiveClassesThanABatchHoldsIsOneLine() {
        String m = failure(DropClassPipelines.yaml(5, "steps_per_drop: 3", 4, ""));
        assertTrue(m.contains("'components.dc.num_drop' 5 leaves 3 of 8 classes live, fewer than the 4 distinct "
                + "classes a batch holds"), m);
    }

    @Test
    void withoutAFixedBatchSizeTheSamplerChecksItsClassesPerBatch() {
        String m = failure("components:\n  dc: {name: drop-class, num_drop: 5}\n"
                + "sampler: {name: class-balanced, classes: dc, classes_per_batch: 4}\n"
                + "batch: {name: duration-bucketed, max_seconds: 30, num_buckets: 2}\nmask: {ref: dc}\n");
        assertTrue(m.contains("'sampler.classes' dc allows as few as 3 classes, fewer than the 4 distinct classes a "
                + "batch holds"), m);
    }

    @Test
    void stepsPerDropBelowOneIsOneLine() {
        String m = failure(DropClassPipelines.yaml(3, "steps_per_drop: 0", 2, ""));
        assertTrue(m.contains("'components.dc.steps_per_drop' is not >= 1: 0"), m);
    }

    @Test
    void stepsPerDropWithPerBatchModeIsOneLine() {
        String m = failure(DropClassPipelines.yaml(3, "steps_per_drop: 4, mode: per_batch", 2, ""));
        assertTrue(m.contains("'components.dc.steps_per_drop' is 4 but mode per_batch drops anew every batch"), m);
    }

    @Test
    void anUnknownModeIsOneLine() {
        String m = failure(DropClassPipelines.yaml(3, "mode: sometimes", 2, ""));
        assertTrue(m.contains("components.dc.mode") && m.contains("sometimes"), m);
    }

    @Test
    void classesNamingNoComponentOrOneThatIsNotAnAllowedSetIsOneLine() {
        String m = failure("sampler: {name: class-balanced, classes: nope}\nbatch: {name: fixed, size: 2}\n");
        assertTrue(m.contains("'sampler' asks for component 'nope'"), m);
        m = failure("components:\n  u: {name: uniform}\nsampler: {name: class-balanced, classes: u}\n"
                + "batch: {name: fixed, size: 2}\n");
        assertTrue(m.contains("component 'u' (uniform), which is not an AllowedClasses"), m);
    }

    @Test
    void periodsStartAtBatchZeroAndEveryStepsPerDropAndEpochStartsInsideAPeriodKeepItsSet() {
        // 16 batches an epoch; periods of 3: run batches 15, 16, 17 (the end of epoch 0 and the start of epoch 1) share one
        Pipeline p = build(DropClassPipelines.yaml(3, "steps_per_drop: 3", 2, ""), 7);
        List<Masked> all = DropClassPipelines.run(p, 2);
        assertEquals(32, all.size());
        List<Long> lineBatches = new ArrayList<>();
        for (int g = 0; g < all.size(); g++) {
            if (g % 3 != 0) {
                assertEquals(all.get(g - 1).live(), all.get(g).live(), "run batch " + g + " is inside a period");
                assertNull(all.get(g).line(), "no drops line inside a period, run batch " + g);
            } else {
                lineBatches.add((long) g);
            }
        }
        assertEquals(List.of(0L, 3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L, 30L), lineBatches);
        assertEquals(1, all.get(16).batch().epoch());
        assertEquals(all.get(15).live(), all.get(16).live(), "epoch 1 starts inside the period of run batch 15");
        assertEquals(RandomDropSource.periodic(8, 3, 3).nextBoundary(16), 18);
        assertEquals(RandomDropSource.perBatch(8, 3).nextBoundary(16), 17);
    }

    @Test
    void aDropsLineHoldsTheStepTheDroppedIdsAndTheirSpeakers() throws Exception {
        Pipeline p = build(DropClassPipelines.yaml(3, "steps_per_drop: 3", 2, ""), 7);
        List<Masked> all = DropClassPipelines.run(p, 1);
        JsonNode line = DropClassPipelines.read(all.get(6).line());
        assertEquals(6, line.get("step").asLong());
        assertEquals(0, line.get("epoch").asInt());
        assertEquals(6, line.get("batch").asInt());
        assertEquals(6, line.get("run_batch").asLong());
        assertEquals(3, line.get("num_dropped").asInt());
        BitSet dropped = new BitSet();
        for (int i = 0; i < 3; i++) {
            int c = line.get("dropped").get(i).asInt();
            dropped.set(c);
            assertEquals(CORPUS.speakers().get(c), line.get("speakers").get(i).asText());
        }
        BitSet live = (BitSet) all.get(6).live().clone();
        assertFalse(live.intersects(dropped));
        live.or(dropped);
        assertEquals(8, live.cardinality());
        assertEquals("drops.jsonl", DropClassPipelines.dropped(p).recordFile());
    }

    @Test
    void theStateLogsEachSegmentsDecisionAndTheComponentSavesItsSegment() {
        Pipeline p = build(DropClassPipelines.yaml(3, "steps_per_drop: 3", 2, ""), 3);
        for (int i = 0; i < 5; i++) {
            p.nextInEpoch().orElseThrow();
        }
        JsonNode state = p.saveState();
        List<Long> starts = new ArrayList<>();
        for (JsonNode e : state.get("segments")) {
            assertEquals("components.dc", e.get("component").asText());
            assertEquals(e.get("start").asLong(), e.get("decision").get("period_start").asLong());
            assertEquals(3, e.get("decision").get("dropped").size());
            starts.add(e.get("start").asLong());
        }
        assertEquals(List.of(0L, 3L), starts);
        JsonNode own = state.get("current").get("components").get("dc");
        assertEquals("dropped-classes", own.get("format").asText());
        assertEquals(3, own.get("segment").get("start").asLong());
        assertEquals(state.get("segments").get(1).get("decision").get("dropped"), own.get("segment").get("dropped"));
    }

    @Test
    void aForeignStateOrDecisionIsRefused() {
        DroppedClasses dc = DroppedClasses.of(CORPUS.speakers(), RandomDropSource.periodic(8, 3, 3));
        assertThrows(IllegalStateException.class,
                () -> dc.restoreState(DropClassPipelines.read("{\"format\": \"info-batch\"}")));
        SegmentContext ctx = new SegmentContext(new EpochContext(1, 0, 0, 1, "components.dc"), 3, 1);
        String m = assertThrows(IllegalStateException.class,
                () -> dc.apply(DropClassPipelines.read("{\"period_start\": 3, \"dropped\": [1, 8]}"), ctx)).getMessage();
        assertTrue(m.contains("names class 8, which is not in [0, 8)"), m);
        m = assertThrows(IllegalStateException.class,
                () -> dc.apply(DropClassPipelines.read("{\"period_start\": 4, \"dropped\": [1]}"), ctx)).getMessage();
        assertTrue(m.contains("is not {\"period_start\": a batch <= 3"), m);
    }

    @Test
    void theMaskAndTheAllowedSetBeforeTheFirstSegmentAreAnError() {
        DroppedClasses dc = DroppedClasses.of(CORPUS.speakers(), RandomDropSource.periodic(8, 3, 3));
        assertThrows(IllegalStateException.class, dc::allowedClasses);
        assertThrows(IllegalStateException.class, () -> dc.liveClasses(0, 0, 8));
        assertEquals(5, dc.fewestAllowed());
    }

    @Test
    void aNewSegmentIsANewAllowedSetAndTheStepMaskIsTheLastApplied() {
        DroppedClasses dc = DroppedClasses.of(CORPUS.speakers(), RandomDropSource.periodic(8, 3, 3));
        EpochContext epoch = new EpochContext(5, 0, 0, 1, "components.dc");
        SegmentContext first = new SegmentContext(epoch, 0, 0);
        dc.apply(dc.decide(first), first);
        BitSet a = dc.allowedClasses();
        assertSame(a, dc.allowedClasses(), "one object while the segment lasts");
        SegmentContext second = new SegmentContext(epoch, 3, 1);
        JsonNode decision = dc.decide(second);
        dc.apply(decision, second);
        assertFalse(a == dc.allowedClasses(), "a new segment, a new object");
        assertEquals(dc.allowedClasses(), dc.liveClasses(0, 99, 8));
        assertThrows(IllegalArgumentException.class, () -> dc.liveClasses(0, 3, 9));
        // the same period decided again (an epoch start inside it) gives the same set
        SegmentContext again = new SegmentContext(new EpochContext(5, 1, 0, 1, "components.dc"), 4, 0);
        assertEquals(decision.get("dropped"), dc.decide(again).get("dropped"));
        assertEquals(3, dc.decide(again).get("period_start").asLong());
        // a batch before the segments it keeps is an error, not a silent wrong mask
        Batch old = new Batch(7, 0, 0, 0, List.of());
        assertThrows(IllegalStateException.class, () -> dc.liveClasses(old, 8));
    }
}
