package io.speechsampler.audio.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.draw.Source;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.testkit.GoodnessOfFit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Properties of {@code dynamic-mixing}.
 *
 * <p>Designed false-failure rate: the statistical properties below are three, of 3 tries each,
 * each try one confirmed chi-square test ({@link GoodnessOfFit#assertConfirmed}: two independent
 * samples must both reject at alpha 0.001). A correct sampler fails a run with probability at
 * most {@code 9 x 1e-6}. The other properties cannot fail by chance.
 */
class DynamicMixingSamplerProperties {

    private static final Corpus CORPUS = TestCorpora.uneven(1, 2, 3, 5, 8, 13, 20);

    private static List<MixtureDraw> epoch(DynamicMixingSampler sampler, long seed, int epoch) {
        List<MixtureDraw> out = new ArrayList<>();
        sampler.epoch(new EpochContext(seed, epoch, 0, 1, "sampler")).forEachRemaining(d -> out.add((MixtureDraw) d));
        return out;
    }

    private static DynamicMixingSampler sampler(Corpus corpus, DynamicMixingSettings settings) {
        return DynamicMixingSampler.of(corpus, null, settings);
    }

    @Property(tries = 40)
    void neverTwoSourcesOfOneSpeaker(@ForAll long seed, @ForAll @IntRange(min = 0, max = 1000) int epoch,
                                     @ForAll @IntRange(min = 2, max = 7) int speakers) {
        DynamicMixingSampler sampler = sampler(CORPUS, DynamicMixingSettings.defaults().withSpeakers(speakers));
        for (MixtureDraw d : epoch(sampler, seed, epoch)) {
            assertEquals(speakers, d.sources().size());
            Set<String> seen = new HashSet<>();
            for (Source s : d.sources()) {
                assertTrue(seen.add(CORPUS.require(s.id()).speaker()), d.toString());
            }
        }
    }

    @Property(tries = 40)
    void everyUtteranceIsThePivotOfExactlyOneMixturePerEpoch(@ForAll long seed,
                                                            @ForAll @IntRange(min = 0, max = 1000) int epoch) {
        DynamicMixingSampler sampler = sampler(CORPUS, DynamicMixingSettings.defaults().withSpeakers(3));
        List<MixtureDraw> draws = epoch(sampler, seed, epoch);
        assertEquals(sampler.epochSize(), draws.size());
        Set<String> pivots = new HashSet<>();
        for (MixtureDraw d : draws) {
            pivots.add(d.sources().get(0).id());
        }
        assertEquals(CORPUS.size(), pivots.size());
    }

    @Property(tries = 20)
    void drawsAreAFunctionOfSeedAndEpoch(@ForAll long seed, @ForAll @IntRange(min = 0, max = 1000) int epoch) {
        DynamicMixingSampler a = sampler(CORPUS, DynamicMixingSettings.defaults());
        DynamicMixingSampler b = sampler(CORPUS, DynamicMixingSettings.defaults());
        assertEquals(epoch(a, seed, epoch), epoch(b, seed, epoch));
        assertNotEquals(epoch(a, seed, epoch), epoch(a, seed, epoch + 1));
        assertNotEquals(epoch(a, seed, epoch), epoch(a, seed + 1, epoch));
    }

    @Property(tries = 20)
    void segmentsFixTheLengthAndOverlap(@ForAll long seed, @ForAll @IntRange(min = 1, max = 100) int overlapPercent) {
        double overlap = overlapPercent / 100.0;
        DynamicMixingSettings settings = DynamicMixingSettings.defaults().withSpeakers(3).withSegment(2.0, overlap);
        long delay = Math.min(1999, Math.round((1 - overlap) * 2000));
        for (MixtureDraw d : epoch(sampler(CORPUS, settings), seed, 0)) {
            assertEquals(2000, d.length());
            for (int j = 0; j < d.sources().size(); j++) {
                Source s = d.sources().get(j);
                long n = CORPUS.require(s.id()).numSamples();
                assertEquals(j == 0 ? 0 : delay, s.delay());
                long window = 2000 - s.delay();
                if (n > window) {
                    assertTrue(s.offset() + window <= n, s.toString());
                } else {
                    assertEquals(0, s.offset());
                }
                assertTrue(s.gainDb() >= -5 && s.gainDb() <= 5);
            }
        }
    }

    @Property(tries = 10)
    void wholeUtterancesAreMixedUncropped(@ForAll long seed) {
        DynamicMixingSettings settings = DynamicMixingSettings.defaults().withSegment(0, 0.5);
        for (MixtureDraw d : epoch(sampler(CORPUS, settings), seed, 0)) {
            assertEquals(0, d.length());
            long pivot = CORPUS.require(d.sources().get(0).id()).numSamples();
            assertEquals(Math.round(0.5 * pivot), d.sources().get(1).delay());
            assertTrue(d.sources().stream().allMatch(s -> s.offset() == 0));
        }
    }

    /** Gains are uniform on [-5, 5] dB: 10 equal-width bins, 2580 gains (1 epoch, K = 3, 860 mixtures). */
    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void gainsAreUniform(@ForAll long seed) {
        GoodnessOfFit.assertConfirmed("gains", k -> gainTest(GoodnessOfFit.sampleSeed(seed, k)));
    }

    private static SignificanceResult gainTest(long seed) {
        Corpus big = TestCorpora.uneven(100, 160, 200, 400);
        DynamicMixingSettings settings = DynamicMixingSettings.defaults().withSpeakers(3);
        long[] bins = new long[10];
        for (MixtureDraw d : epoch(sampler(big, settings), seed, 0)) {
            for (Source s : d.sources()) {
                bins[Math.min(9, (int) ((s.gainDb() + 5) / 10 * 10))]++;
            }
        }
        return ChiSquareTest.withDefaults().test(bins);
    }

    /**
     * A partner is uniform over the utterances of the other speakers: for K = 2 the expected
     * count of utterance u over E epochs is E times the sum, over pivots p of another speaker, of
     * 1 / (N - count(speaker of p)). 30 epochs of 52 mixtures; every expected count is above 20.
     */
    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void partnersAreUniformOverOtherSpeakersUtterances(@ForAll long seed) {
        GoodnessOfFit.assertConfirmed("partners", k -> partnerTest(GoodnessOfFit.sampleSeed(seed, k)));
    }

    private static SignificanceResult partnerTest(long seed) {
        int n = CORPUS.size();
        int epochs = 30;
        double[] expected = new double[n];
        for (int p = 0; p < n; p++) {
            int sp = CORPUS.speakerOf(p);
            double share = 1.0 / (n - CORPUS.countOf(sp));
            for (int u = 0; u < n; u++) {
                if (CORPUS.speakerOf(u) != sp) {
                    expected[u] += epochs * share;
                }
            }
        }
        long[] observed = new long[n];
        DynamicMixingSampler sampler = sampler(CORPUS, DynamicMixingSettings.defaults());
        for (int e = 0; e < epochs; e++) {
            for (MixtureDraw d : epoch(sampler, seed, e)) {
                observed[CORPUS.indexOf(d.sources().get(1).id()).getAsInt()]++;
            }
        }
        return ChiSquareTest.withDefaults().test(expected, observed);
    }

    /**
     * The crop offset of a source longer than the segment is uniform on [0, n - S]: the offsets
     * of pivots longer than the 2 s segment, as fractions of their range, in 10 bins, over 20
     * epochs. Expected counts are exact for the discrete uniform law, since a short range does
     * not fill the bins evenly.
     */
    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void cropOffsetsAreUniform(@ForAll long seed) {
        GoodnessOfFit.assertConfirmed("crop offsets", k -> cropTest(GoodnessOfFit.sampleSeed(seed, k)));
    }

    private static SignificanceResult cropTest(long seed) {
        int epochs = 20;
        double[] expected = new double[10];
        for (Utterance u : CORPUS.utterances()) {
            long range = u.numSamples() - 2000 + 1;
            for (long v = 0; v < range && u.numSamples() > 2000; v++) {
                expected[bin(v, range)] += epochs / (double) range;
            }
        }
        DynamicMixingSampler sampler = sampler(CORPUS, DynamicMixingSettings.defaults().withSegment(2.0, 1.0));
        long[] observed = new long[10];
        for (int e = 0; e < epochs; e++) {
            for (Draw draw : epoch(sampler, seed, e)) {
                Source pivot = ((MixtureDraw) draw).sources().get(0);
                long n = CORPUS.require(pivot.id()).numSamples();
                if (n > 2000) {
                    observed[bin(pivot.offset(), n - 2000 + 1)]++;
                }
            }
        }
        return ChiSquareTest.withDefaults().test(expected, observed);
    }

    private static int bin(long value, long range) {
        return (int) (value * 10 / range);
    }
}
