package io.speechsampler.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineSegmentsTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(3, 5, 4);

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

    @Test
    void aStateRestoredElasticallyAndSavedAgainRestoresAtTheSameWorldSize() {
        String yaml = "sampler: shuffle\nbatch: {name: fixed, size: 2}\n";
        // 15 utterances: 8 global batches. World 1 takes 3, world 2 re-deals from batch 3.
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
        assertEquals(expected, rest(b));
    }
}
