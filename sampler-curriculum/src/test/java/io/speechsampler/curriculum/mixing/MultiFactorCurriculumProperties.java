package io.speechsampler.curriculum.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.GoodnessOfFit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * At every progress value the drawn factors follow the scheduled distribution: speaker counts
 * with the interpolated shares (zero-share counts never drawn), the domain with the real share,
 * SNRs and the realised overlap uniform over the interpolated ranges (10 equal bins; the
 * corpus's utterances are longer than the 0.25 s segment, so the realised overlap is the aimed
 * one up to 1 / 8000). Each factor follows its own pacing (root-p for SNR, geometric for the real
 * share, linear for the rest).
 *
 * <p><b>Designed false-failure rate.</b> {@link #drawnFactorsFollowTheScheduleAtEveryProgress} makes 4
 * confirmed assertions per try over 25 tries: at most 4 * 25 * 1e-6 = 1e-4 per run of this class;
 * the other properties are exact.
 */
class MultiFactorCurriculumProperties {

    private static final int DRAWS = 3000;
    private static final int BINS = 10;

    private static MultiFactorCurriculumSampler sampler() {
        Pipeline p = CurriculumPipelines.build(CurriculumPipelines.MULTI + "batch: {name: fixed, size: 4}\n", 1, 0,
                1, 1);
        return (MultiFactorCurriculumSampler) p.sampler();
    }

    /** {@code n} draws at progress {@code x}, over as many epochs of {@code seed} as it takes. */
    private static List<MixtureDraw> drawsAt(MultiFactorCurriculumSampler s, double x, long seed, int n) {
        s.apply(JsonNodeFactory.instance.objectNode().put("progress", x),
                new SegmentContext(new EpochContext(seed, 0, 0, 1, "sampler"), 0, 0));
        List<MixtureDraw> out = new ArrayList<>(n);
        for (int e = 0; out.size() < n; e++) {
            Iterator<Draw> it = s.epoch(new EpochContext(seed, e, 0, 1, "sampler"));
            while (it.hasNext() && out.size() < n) {
                out.add((MixtureDraw) it.next());
            }
        }
        return out;
    }

    private static long[] bins(List<Double> values, double lo, double hi) {
        long[] c = new long[BINS];
        for (double v : values) {
            int b = (int) Math.floor((v - lo) / (hi - lo) * BINS);
            c[Math.max(0, Math.min(BINS - 1, b))]++;
        }
        return c;
    }

    /** {@link GoodnessOfFit#assertFits}, or, with one bin of positive weight, every draw in it. */
    private static void fits(String what, double[] weights, java.util.function.IntFunction<long[]> sample) {
        int positive = 0;
        for (double w : weights) {
            positive += w > 0 ? 1 : 0;
        }
        if (positive > 1) {
            GoodnessOfFit.assertFits(what, weights, sample);
            return;
        }
        long[] c = sample.apply(0);
        for (int i = 0; i < c.length; i++) {
            assertTrue(weights[i] > 0 || c[i] == 0, what + ": bin " + i + " has weight 0 but " + c[i] + " draws");
        }
    }

    private static double[] uniform() {
        double[] w = new double[BINS];
        java.util.Arrays.fill(w, 1);
        return w;
    }

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void drawnFactorsFollowTheScheduleAtEveryProgress(@ForAll long seed, @ForAll @IntRange(min = 0, max = 10) int tenth) {
        double x = tenth / 10.0;
        MultiFactorCurriculumSampler s = sampler();
        MultiFactorCurriculumSampler.Distributions d = s.distributions(x);
        CurriculumSettings cs = s.settings();
        // the schedule itself, from the stops and each factor's pacing
        double[] snr = cs.snrDb().atCompetence(Math.min(1, Math.pow(x * (1 - 1e-3) + 1e-3, 1 / 3.0)));
        assertEquals(snr[0], d.snrLow(), 1e-9);
        assertEquals(Math.min(1, 0.1 * Math.pow(10, x)) * 0.5, d.realShare(), 1e-9);
        double[] shares = cs.speakerShares().atCompetence(x);
        int[] counts = cs.speakerCounts();

        fits("speaker counts at progress " + x, shares, k -> {
            long[] c = new long[counts.length];
            for (MixtureDraw m : drawsAt(sampler(), x, GoodnessOfFit.sampleSeed(seed, k), DRAWS)) {
                c[java.util.Arrays.binarySearch(counts, m.speakers())]++;
            }
            return c;
        });
        GoodnessOfFit.assertFits("real share at progress " + x, new double[] {1 - d.realShare(), d.realShare()}, k -> {
            long[] c = new long[2];
            for (MixtureDraw m : drawsAt(sampler(), x, GoodnessOfFit.sampleSeed(seed, k), DRAWS)) {
                c[m.factors().domain().equals("real") ? 1 : 0]++;
            }
            return c;
        });
        GoodnessOfFit.assertFits("interferer SNRs at progress " + x, uniform(), k -> {
            List<Double> v = new ArrayList<>();
            for (MixtureDraw m : drawsAt(sampler(), x, GoodnessOfFit.sampleSeed(seed, k), DRAWS)) {
                v.addAll(m.factors().interfererSnrDb());
            }
            for (double y : v) {
                assertTrue(y >= d.snrLow() && y <= d.snrHigh(), y + " outside [" + d.snrLow() + ", " + d.snrHigh() + "]");
            }
            return bins(v, d.snrLow(), d.snrHigh());
        });
        GoodnessOfFit.assertFits("overlap at progress " + x, uniform(), k -> {
            List<Double> v = new ArrayList<>();
            for (MixtureDraw m : drawsAt(sampler(), x, GoodnessOfFit.sampleSeed(seed, k), DRAWS)) {
                v.add(m.factors().overlap());
            }
            return bins(v, d.overlapLow(), d.overlapHigh());
        });
    }

    @Property(tries = 30)
    void everyDrawIsAValidTseRecipeOfItsDomain(@ForAll long seed, @ForAll @IntRange(min = 0, max = 10) int tenth) {
        Corpus real = CurriculumPipelines.REAL;
        Corpus synth = CurriculumPipelines.CORPUS;
        for (MixtureDraw m : drawsAt(sampler(), tenth / 10.0, seed, 200)) {
            Corpus c = m.tags().contains("real") ? real : synth;
            assertEquals(m.factors().domain(), m.tags().get(0));
            assertEquals(0, m.target());
            assertEquals(m.speakers() - 1, m.factors().interfererSnrDb().size());
            Set<String> speakers = new HashSet<>();
            for (Source src : m.sources()) {
                assertTrue(speakers.add(c.require(src.id()).speaker()), "a speaker twice in " + m);
            }
            String targetSpeaker = c.require(m.sources().get(0).id()).speaker();
            assertEquals(targetSpeaker, c.require(m.enrolment()).speaker());
            assertNotEquals(m.sources().get(0).id(), m.enrolment());
            assertEquals(4000, m.length());
            assertTrue(m.factors().overlap() > 0 && m.factors().overlap() <= 1);
        }
    }

    @Property(tries = 20)
    void sameDecisionsGiveTheSameDraws(@ForAll long seed, @ForAll @IntRange(min = 0, max = 10) int tenth) {
        assertEquals(drawsAt(sampler(), tenth / 10.0, seed, 100), drawsAt(sampler(), tenth / 10.0, seed, 100));
    }

}
