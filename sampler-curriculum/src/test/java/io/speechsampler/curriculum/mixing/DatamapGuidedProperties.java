package io.speechsampler.curriculum.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import io.speechsampler.testkit.GoodnessOfFit;
import java.util.Iterator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * At every progress value the datamap-guided curriculum draws each target with probability
 * proportional to its region's scheduled weight: the pivots' region counts fit weight x region
 * size (chi-square, confirmed; a region of weight 0, hard at progress 0, gets no draw), and within
 * the regions the utterances are uniform. Regions from {@link DatamapGuidedPipelines#CSV}: 9 easy,
 * 9 ambiguous, 9 hard, 3 unseen; weights easy [1, 0.2], ambiguous [0.5, 1, 0.5], hard [0, 1],
 * unseen 0.3, linear pacing from c0 = 0 (competence = progress).
 *
 * <p><b>Designed false-failure rate.</b> 2 confirmed assertions per try (regions; utterances) over
 * 30 tries: at most 2 * 30 * 1e-6 = 6e-5 per run of this class.
 */
class DatamapGuidedProperties {

    private static final int DRAWS = 3000;

    private static MultiFactorCurriculumSampler sampler() {
        Pipeline p = CurriculumPipelines.build(DatamapGuidedPipelines.FROM + "batch: {name: fixed, size: 4}\n", 1, 0,
                1, 1);
        return (MultiFactorCurriculumSampler) p.sampler();
    }

    /** Pivot counts by corpus index of {@code n} draws at progress {@code x}, over as many epochs as it takes. */
    private static long[] pivotsAt(double x, long seed, int n) {
        MultiFactorCurriculumSampler s = sampler();
        s.apply(JsonNodeFactory.instance.objectNode().put("progress", x),
                new SegmentContext(new EpochContext(seed, 0, 0, 1, "sampler"), 0, 0));
        Corpus c = CurriculumPipelines.CORPUS;
        long[] counts = new long[c.size()];
        int drawn = 0;
        for (int e = 0; drawn < n; e++) {
            Iterator<Draw> it = s.epoch(new EpochContext(seed, e, 0, 1, "sampler"));
            while (it.hasNext() && drawn < n) {
                counts[c.indexOf(((MixtureDraw) it.next()).sources().get(0).id()).getAsInt()]++;
                drawn++;
            }
        }
        return counts;
    }

    /** The scheduled weight of each region at competence c, by hand from the stops. */
    private static double[] weights(double c) {
        double easy = 1 + (0.2 - 1) * c;
        double ambiguous = c <= 0.5 ? 0.5 + c : 1 - (c - 0.5);
        return new double[] {easy, ambiguous, c, 0.3};
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void pivotsFollowTheRegionWeightsTimesTheRegionSizes(@ForAll long seed,
                                                       @ForAll @IntRange(min = 0, max = 10) int tenth) {
        double x = tenth / 10.0;
        double[] w = weights(x);
        double[] guide = sampler().guide().weightsAt(x);
        for (int r = 0; r < w.length; r++) {
            assertEquals(w[r], guide[r], 1e-12, "region " + Region.values()[r] + " at progress " + x);
        }
        Corpus c = CurriculumPipelines.CORPUS;
        int[] sizes = new int[Region.values().length];
        for (int i = 0; i < c.size(); i++) {
            sizes[DatamapGuidedPipelines.region(i).ordinal()]++;
        }
        double[] expected = new double[w.length];
        for (int r = 0; r < w.length; r++) {
            expected[r] = w[r] * sizes[r];
        }
        GoodnessOfFit.assertFits("pivot regions at progress " + x, expected, k -> {
            long[] byRegion = new long[Region.values().length];
            long[] pivots = pivotsAt(x, GoodnessOfFit.sampleSeed(seed, k), DRAWS);
            for (int i = 0; i < pivots.length; i++) {
                byRegion[DatamapGuidedPipelines.region(i).ordinal()] += pivots[i];
            }
            return byRegion;
        });
        double[] perUtterance = new double[c.size()];
        for (int i = 0; i < c.size(); i++) {
            perUtterance[i] = w[DatamapGuidedPipelines.region(i).ordinal()];
        }
        GoodnessOfFit.assertFits("pivots at progress " + x, perUtterance,
                k -> pivotsAt(x, GoodnessOfFit.sampleSeed(seed, k + 2), DRAWS));
    }
}
