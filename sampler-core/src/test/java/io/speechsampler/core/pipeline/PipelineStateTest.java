package io.speechsampler.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A damaged or edited pipeline state is refused with a message naming the field, never half-accepted. */
class PipelineStateTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(3, 4, 7);
    private static final String YAML = "sampler: shuffle\nbatch: {name: fixed, size: 5}\n";

    private static Pipeline pipeline(String yaml) {
        return TestPipelines.build(yaml, Path.of("."), CORPUS, 9, 0, 1);
    }

    /** The state after 2 of the first epoch's 3 batches. */
    private static ObjectNode savedInEpoch() {
        Pipeline p = pipeline(YAML);
        p.nextInEpoch();
        p.nextInEpoch();
        return p.saveState();
    }

    private static String refused(Consumer<ObjectNode> edit) {
        ObjectNode s = savedInEpoch();
        edit.accept(s);
        return assertThrows(IllegalStateException.class, () -> pipeline(YAML).restoreState(s)).getMessage();
    }

    @Test
    void nonsenseValuesAndMissingFieldsAreNamed() {
        String m = refused(s -> s.put("position", -3));
        assertTrue(m.contains("'position' must be a whole number >= 0, got -3"), m);
        m = refused(s -> s.put("position", "x"));
        assertTrue(m.contains("'position' must be a whole number >= 0, got \"x\""), m);
        m = refused(s -> s.put("epoch", 1.5));
        assertTrue(m.contains("'epoch' must be a whole number >= 0, got 1.5"), m);
        m = refused(s -> s.remove("step"));
        assertTrue(m.contains("missing 'step'"), m);
        m = refused(s -> s.put("position", 4));
        assertTrue(m.contains("'step' 2 is less than 'position' 4"), m);
        m = refused(s -> s.put("position", 4).put("step", 4));
        assertTrue(m.contains("'next_batch' 2 is less than 'position' 4 times 'world_size' 1"), m);
        m = refused(s -> s.put("position", 4).put("step", 4).put("next_batch", 4));
        assertTrue(m.contains("position 4 is past the epoch's 3 batches"), m);
        m = refused(s -> s.remove("epoch_start"));
        assertTrue(m.contains("'epoch_start' is missing"), m);
        m = refused(s -> s.remove("current"));
        assertTrue(m.contains("missing 'current'"), m);
        m = refused(s -> ((ObjectNode) s.get("current")).putArray("stages").add(1));
        assertTrue(m.contains("'current.stages' must be a list of 0 states"), m);
    }

    @Test
    void aShuffleInFixedBatchesSavesItsStreamPositionAndSeeksThere() {
        ObjectNode s = savedInEpoch();
        assertEquals(10, s.path("stream_position").path("draws").asInt(), "2 batches of 5 draws taken");
        Pipeline uninterrupted = pipeline(YAML);
        uninterrupted.nextInEpoch();
        uninterrupted.nextInEpoch();
        Pipeline resumed = pipeline(YAML);
        resumed.restoreState(s);
        assertEquals(uninterrupted.nextInEpoch(), resumed.nextInEpoch());
        // without the token the epoch replays by skipping, to the same batch
        Pipeline replayed = pipeline(YAML);
        ObjectNode old = savedInEpoch();
        old.remove("stream_position");
        replayed.restoreState(old);
        Pipeline again = pipeline(YAML);
        again.restoreState(savedInEpoch());
        assertEquals(again.nextInEpoch(), replayed.nextInEpoch());
        String m = refused(t -> ((ObjectNode) t.get("stream_position")).put("draws", 99));
        assertTrue(m.contains("the shuffle's stream position must be a draw index in [0, 12] of a shuffle without crops, got 99"), m);
        m = refused(t -> t.put("stream_position", "x"));
        assertTrue(m.contains("the fixed batcher's stream position must be"), m);
    }

    @Test
    void theGlobalIndexCountsBatchesWithinTheEpochAndSurvivesAResume() {
        Pipeline p = pipeline(YAML);
        List<Batch> first = TestPipelines.epoch(p);
        assertEquals(List.of(0, 1, 2), first.stream().map(Batch::globalIndex).toList());
        assertEquals(3, p.nextInEpoch().orElseThrow().step());
        Pipeline resumed = pipeline(YAML);
        resumed.restoreState(savedInEpoch());
        Batch third = resumed.nextInEpoch().orElseThrow();
        assertEquals(first.get(2), third);
    }

    @Test
    void theTrainerSectionsDoNotChangeWhatAStateFits() {
        ObjectNode s = savedInEpoch();
        pipeline(YAML + "model: {name: conv-tasnet}\ntrain: {epochs: 7}\n").restoreState(s);
        String m = assertThrows(IllegalStateException.class,
                () -> pipeline("sampler: shuffle\nbatch: {name: fixed, size: 4}\n").restoreState(s)).getMessage();
        assertTrue(m.contains("another config"), m);
    }
}
