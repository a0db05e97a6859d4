package io.speechsampler.core.batchers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.Batcher;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.core.pipeline.TestPipelines;
import io.speechsampler.testkit.TestCorpora;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Examples for {@code duration-bucketed}. No statistical assertions. */
class DurationBucketingBatcherTest {

    /** Utterances u1..u10 of 1..10 s. */
    private static final Corpus TEN = ten();

    private static Corpus ten() {
        List<Utterance> utts = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            utts.add(TestCorpora.utterance("u" + i, "s" + (i % 3), i));
        }
        return TestCorpora.of("ten", utts);
    }

    private static List<List<String>> batches(Batcher batcher, String... ids) {
        List<Draw> draws = new ArrayList<>();
        for (String id : ids) {
            draws.add(ItemDraw.of(id));
        }
        List<List<String>> out = new ArrayList<>();
        Iterator<List<Draw>> it = batcher.batches(draws.iterator(), new EpochContext(1, 0, 0, 1, "batch"));
        it.forEachRemaining(b -> out.add(b.stream().map(d -> d.utteranceIds().get(0)).toList()));
        return out;
    }

    @Test
    void boundariesFollowLhotseEstimate() {
        // total 55, 18.33 per bucket: running totals 1, 3, 6, 10, 15, 21 -> 7 starts a bucket; 7, 15, 24 -> 10.
        assertArrayEquals(new double[] {7, 10},
                DurationBucketingBatcher.estimateBoundaries(new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 3));
        assertArrayEquals(new double[0], DurationBucketingBatcher.estimateBoundaries(new double[] {3, 1, 2}, 1));
        double[] bounds = {7, 10};
        assertEquals(0, DurationBucketingBatcher.bucketOf(bounds, 6.99));
        assertEquals(1, DurationBucketingBatcher.bucketOf(bounds, 7));
        assertEquals(2, DurationBucketingBatcher.bucketOf(bounds, 10));
    }

    @Test
    void bucketEmitsWhenTheNextDrawWouldExceedTheBoundAndLeftoversComeLast() {
        Batcher b = DurationBucketingBatcher.of(TEN, 12, 3, false);
        // Bucket 0 (< 7 s): u1 u2 u3 -> 3 x 3 = 9; u4 would make 4 x 4 = 16 > 12: emit [u1 u2 u3].
        // Bucket 1 ([7, 10) s): u8, then u9 would make 2 x 9 = 18 > 12: emit [u8]. Left: u4, u9.
        assertEquals(List.of(List.of("u1", "u2", "u3"), List.of("u8"), List.of("u4"), List.of("u9")),
                batches(b, "u1", "u2", "u8", "u3", "u4", "u9"));
        assertEquals(List.of(List.of("u1", "u2", "u3"), List.of("u8")),
                batches(DurationBucketingBatcher.of(TEN, 12, 3, true), "u1", "u2", "u8", "u3", "u4", "u9"));
    }

    @Test
    void aDrawLongerThanTheBoundIsABatchOfItsOwn() {
        Batcher b = DurationBucketingBatcher.of(TEN, 5, 1, false);
        assertEquals(List.of(List.of("u1", "u2"), List.of("u9"), List.of("u3")), batches(b, "u1", "u2", "u9", "u3"));
    }

    @Test
    void mixtureDurationIsItsLengthElseItsLongestSource() {
        DurationBucketingBatcher b = (DurationBucketingBatcher) DurationBucketingBatcher.of(TEN, 12, 3, false);
        int rate = TestCorpora.SAMPLE_RATE;
        assertEquals(2.5, b.secondsOf(MixtureDraw.of(List.of(Source.of("u1", 0, 0), Source.of("u9", 0, 0)),
                (long) (2.5 * rate))));
        assertEquals(9.0, b.secondsOf(MixtureDraw.of(List.of(Source.of("u1", 0, 0), Source.of("u9", 0, 0)), 0)));
        assertEquals(4.0, b.secondsOf(MixtureDraw.of(List.of(new Source("u2", 0, rate, 3L * rate)), 0)));
        assertEquals(3.0, b.secondsOf(ItemDraw.of("u3")));
    }

    @Test
    void parametersAreChecked() {
        String m = assertThrows(ConfigException.class, () -> TestPipelines.build(
                "sampler: shuffle\nbatch: {name: duration-bucketed, max_seconds: 0}\n", Path.of("."), TEN, 1, 0, 1))
                .getMessage();
        assertTrue(m.contains("batch.max_seconds") && m.contains("> 0"), m);
        m = assertThrows(ConfigException.class, () -> TestPipelines.build(
                "sampler: shuffle\nbatch: {name: duration-bucketed, max_seconds: 10, num_buckets: 11}\n",
                Path.of("."), TEN, 1, 0, 1)).getMessage();
        assertTrue(m.contains("batch.num_buckets") && m.contains("(10)") && m.contains("11"), m);
        m = assertThrows(ConfigException.class, () -> TestPipelines.build(
                "sampler: shuffle\nbatch: {name: duration-bucketed}\n", Path.of("."), TEN, 1, 0, 1)).getMessage();
        assertTrue(m.contains("batch.max_seconds") && m.contains("missing"), m);
    }
}
