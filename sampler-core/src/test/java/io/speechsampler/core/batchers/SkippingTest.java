package io.speechsampler.core.batchers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Skipping;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.core.samplers.FisherYatesShuffleSampler;
import io.speechsampler.core.samplers.UniformCrops;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Skipping}: a shuffle and a fixed-size batcher over it, skipped by {@code k}, are where {@code k}
 * calls of {@code next()} leave them, for random sizes, batch sizes, skips (past the end too) and
 * both settings of {@code drop_incomplete}, before and after a {@code hasNext()} filled a batch.
 */
class SkippingTest {

    private static Corpus corpus(int n) {
        List<Utterance> u = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            u.add(new Utterance("u" + i, "s" + i % 3, Path.of("/x.wav"), 0, 8000, 8000, List.of()));
        }
        return Corpus.of(Path.of("/c"), u);
    }

    private static <T> List<T> rest(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void skippingEqualsTakingForShuffleAndFixedBatches() {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(20261201L);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(60);
            int size = 1 + rng.nextInt(9);
            boolean drop = rng.nextBoolean();
            boolean peek = rng.nextBoolean();
            int k = rng.nextInt(n / size + 3);
            Corpus c = corpus(n);
            // with crops each draw consumes the crop stream: skipped draws must consume it too
            SourceSampler s = rng.nextBoolean() ? FisherYatesShuffleSampler.of(c)
                    : FisherYatesShuffleSampler.of(c, UniformCrops.of(c, 0.5));
            EpochContext ctx = new EpochContext(trial, 0, 0, 1, "sampler");
            String what = s + ", n " + n + ", size " + size + ", drop " + drop + ", peek " + peek + ", k " + k;

            Iterator<List<Draw>> taken = FixedSizeBatcher.of(size, drop).batches(s.epoch(ctx), ctx);
            int took = 0;
            if (peek) {
                taken.hasNext();
            }
            while (took < k && taken.hasNext()) {
                taken.next();
                took++;
            }
            Iterator<List<Draw>> skipped = FixedSizeBatcher.of(size, drop).batches(s.epoch(ctx), ctx);
            assertInstanceOf(Skipping.class, skipped, what);
            if (peek) {
                skipped.hasNext();
            }
            assertEquals(took, Skipping.skip(skipped, k), what);
            assertEquals(rest(taken), rest(skipped), what);

            Iterator<Draw> draws = s.epoch(ctx);
            Iterator<Draw> jumped = s.epoch(ctx);
            int d = rng.nextInt(n + 3);
            int m = 0;
            while (m < d && draws.hasNext()) {
                draws.next();
                m++;
            }
            assertEquals(m, Skipping.skip(jumped, d), what + ", d " + d);
            assertEquals(rest(draws), rest(jumped), what + ", d " + d);
        }
    }
}
