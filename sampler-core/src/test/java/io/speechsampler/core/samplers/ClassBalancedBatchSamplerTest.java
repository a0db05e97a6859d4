package io.speechsampler.core.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.core.pipeline.TestPipelines;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Examples for {@code class-balanced}: parameters, errors and the refilled pool. No statistical assertions. */
class ClassBalancedBatchSamplerTest {

    private static final Corpus CORPUS = TestCorpora.synthetic(5, 4, 51);

    private static Pipeline build(String sampler, String batch, long seed) {
        return TestPipelines.build("sampler: " + sampler + "\nbatch: " + batch + "\n", Path.of("."), CORPUS, seed, 0,
                1);
    }

    private static List<Integer> speakers(List<Batch> batches) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : batches) {
            for (Draw d : b.draws()) {
                out.add(CORPUS.speakerOf(CORPUS.indexOf(d.utteranceIds().get(0)).getAsInt()));
            }
        }
        return out;
    }

    @Test
    void defaultsToTheFixedBatchSizeAndCorpusOverBatchSizeBatches() {
        List<Batch> epoch = TestPipelines.epoch(build("class-balanced", "{name: fixed, size: 3}", 2));
        assertEquals(20 / 3, epoch.size());
        for (Batch b : epoch) {
            assertEquals(3, b.size());
            assertEquals(3, new HashSet<>(speakers(List.of(b))).size(), "distinct speakers in " + b);
        }
    }

    @Test
    void poolIsUsedUpBeforeItIsRefilled() {
        for (long seed = 0; seed < 20; seed++) {
            List<Integer> spk = speakers(TestPipelines.epoch(
                    build("{name: class-balanced, num_batches: 10}", "{name: fixed, size: 3}", seed)));
            assertEquals(30, spk.size());
            // The first 5 draws (batch 1 and two of batch 2) empty the first pool of 5 speakers.
            assertEquals(Set.of(0, 1, 2, 3, 4), new HashSet<>(spk.subList(0, 5)));
            for (int s = 0; s < 5; s++) {
                int speaker = s;
                long n = spk.stream().filter(x -> x == speaker).count();
                assertEquals(6, n, "each of 5 speakers 30 / 5 times over 6 full pools, seed " + seed);
            }
        }
    }

    @Test
    void neitherClassesPerBatchNorFixedSizeIsAnError() {
        String m = assertThrows(ConfigException.class,
                () -> build("class-balanced", "{name: duration-bucketed, max_seconds: 30, num_buckets: 2}", 1))
                .getMessage();
        assertTrue(m.contains("sampler.classes_per_batch") && m.contains("required"), m);
    }

    @Test
    void classesPerBatchMustEqualTheFixedBatchSize() {
        String m = assertThrows(ConfigException.class,
                () -> build("{name: class-balanced, classes_per_batch: 2}", "{name: fixed, size: 3}", 1)).getMessage();
        assertTrue(m.contains("sampler.classes_per_batch") && m.contains("3") && m.contains("got 2"), m);
        assertTrue(m.startsWith("test.yaml line 2: "), m);
    }

    @Test
    void moreClassesPerBatchThanSpeakersIsAnError() {
        String m = assertThrows(ConfigException.class,
                () -> build("class-balanced", "{name: fixed, size: 6}", 1)).getMessage();
        assertTrue(m.contains("number of speakers (5)") && m.contains(": 6"), m);
    }

    @Test
    void worksWithoutAFixedBatcherWhenClassesPerBatchIsSet() {
        Pipeline p = build("{name: class-balanced, classes_per_batch: 4, num_batches: 3}",
                "{name: duration-bucketed, max_seconds: 1000, num_buckets: 1}", 1);
        assertEquals(12, TestPipelines.epoch(p).stream().mapToInt(Batch::size).sum());
    }
}
