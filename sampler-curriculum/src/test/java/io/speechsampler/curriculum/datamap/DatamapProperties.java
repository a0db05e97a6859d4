package io.speechsampler.curriculum.datamap;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.testkit.MergeableProperty;
import io.speechsampler.testkit.TestCorpora;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;

/** Not statistical: a failure is a bug. */
class DatamapProperties {

    private static final Corpus CORPUS = TestCorpora.synthetic(3, 4, 1);

    /**
     * W ranks, each fed its global batches, merging at every epoch end and at random mid-epoch
     * points, hold exactly the state of one datamap fed every outcome (keys repeat within epochs,
     * so epoch averages of several outcomes are merged too; half the outcomes are mixtures with
     * factors, so the factor sums and counts are merged too).
     */
    @Property(tries = 60)
    void ranksThatMergeHoldWhatOneDatamapFedEverythingHolds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int world,
                                                            @ForAll boolean raw) {
        UniformRandomProvider rng = RandomStreams.of(seed, "datamap-properties", 0);
        List<List<Outcome>> batches = new ArrayList<>();
        Set<Integer> mergeAfter = new HashSet<>();
        for (int e = 0; e < 3; e++) {
            int globalBatches = 1 + rng.nextInt(6);
            for (int g = 0; g < globalBatches; g++) {
                List<Outcome> b = new ArrayList<>();
                for (int j = 0; j < 3; j++) {
                    String id = CORPUS.get(rng.nextInt(CORPUS.size())).id();
                    io.speechsampler.api.draw.Draw draw = ItemDraw.of(id);
                    if (rng.nextBoolean()) {
                        // a TSE mixture with factors, so that the factor sums are merged too
                        List<Double> snr = List.of(-60 + 120 * rng.nextDouble(), -60 + 120 * rng.nextDouble());
                        draw = new io.speechsampler.api.draw.MixtureDraw(List.of(
                                io.speechsampler.api.draw.Source.of(id, 0, 0),
                                io.speechsampler.api.draw.Source.of(CORPUS.get(0).id(), 0, 0),
                                io.speechsampler.api.draw.Source.of(CORPUS.get(1).id(), 0, 0)), 100, null, 0, id,
                                List.of(), new io.speechsampler.api.draw.MixtureFactors(snr, rng.nextDouble(),
                                        rng.nextBoolean() ? "real" : "synthetic"));
                    }
                    b.add(new Outcome(draw, e, batches.size(), g, 1, -10 + 40 * rng.nextDouble()));
                }
                if (rng.nextInt(4) == 0) {
                    mergeAfter.add(batches.size());
                }
                batches.add(b);
            }
        }
        DatamapScore score = raw ? DatamapScore.raw(10, 3) : DatamapScore.sigmoid(10, 3);
        MergeableProperty.assertMergedEqualsOneObserver(() -> TseDatamap.of(CORPUS, score, raw ? 10 : 0.5), batches,
                world, mergeAfter);
    }

    /** Welford's streamed statistics equal the two-pass mean and population std of the epoch scores. */
    @Property(tries = 100)
    void streamedStatisticsEqualTwoPassOnes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int epochs) {
        UniformRandomProvider rng = RandomStreams.of(seed, "datamap-welford", 0);
        TseDatamap d = TseDatamap.of(CORPUS, DatamapScore.raw(0, 1), 0);
        double[] x = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            // multiples of 1/64 are exact in the fixed-point sums
            x[e] = Math.round((-20 + 50 * rng.nextDouble()) * 64) / 64.0;
            d.observe(List.of(new Outcome(ItemDraw.of(CORPUS.get(0).id()), e, e, 0, 1, x[e])));
            d.endEpoch(e);
        }
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double var = java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / epochs;
        DatamapTable t = d.table();
        if (Math.abs(t.confidence(0) - mean) > 1e-4 * (1 + Math.abs(mean))
                || Math.abs(t.variability(0) - Math.sqrt(var)) > 1e-3 * (1 + Math.sqrt(var))) {
            throw new AssertionError("streamed " + t.confidence(0) + " +- " + t.variability(0) + ", two-pass " + mean
                    + " +- " + Math.sqrt(var));
        }
        long above = java.util.Arrays.stream(x).filter(v -> v > 0).count();
        if (t.correct(0) != above) {
            throw new AssertionError("correct " + t.correct(0) + ", expected " + above);
        }
    }
}
