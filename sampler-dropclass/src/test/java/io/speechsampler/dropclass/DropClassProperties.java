package io.speechsampler.dropclass;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.GoodnessOfFit;
import io.speechsampler.testkit.TestCorpora;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * DropClass's distributions: each class is dropped in a period with probability {@code N_D / K};
 * the dropped set is uniform over the {@code C(K, N_D)} subsets; within a period the
 * class-balanced sampler draws the allowed classes as its distribution says (every allowed class
 * equally often, utterance {@code u} of allowed class {@code c} with probability
 * {@code 1 / (L n_c)}, a dropped class never), and in per-batch mode each batch's classes are a
 * uniform subset of that batch's allowed classes.
 *
 * <p><b>Designed false-failure rate.</b> Every statistical assertion is confirmed
 * ({@link GoodnessOfFit}: a correct implementation fails one with probability
 * {@code ALPHA^2 = 1e-6}): 20 tries of one assertion (drop frequencies), 10 of one (subsets),
 * 3 of two (classes and utterances within a period) and 5 of one (per-batch ranks), so at most
 * {@code 41e-6} per run. Bins of zero probability are asserted to hold exactly zero draws, and the
 * counts of dropped classes per period exactly {@code N_D}: those checks are exact.
 */
class DropClassProperties {

    /** Eight speakers with 1, 2, 3, 2, 4, 1, 3 and 2 utterances. */
    private static final Corpus UNEVEN = uneven();

    private static Corpus uneven() {
        int[] counts = {1, 2, 3, 2, 4, 1, 3, 2};
        List<Utterance> utts = new ArrayList<>();
        for (int s = 0; s < counts.length; s++) {
            for (int u = 0; u < counts[s]; u++) {
                utts.add(TestCorpora.utterance("s" + s + "-u" + u, "s" + s, 1.0 + u));
            }
        }
        return TestCorpora.of("uneven", utts);
    }

    private static List<String> names(int k) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            out.add("spk" + c);
        }
        return out;
    }

    /**
     * The dropped sets of {@code periods} consecutive periods, decided and applied as the pipeline
     * does at each period's first batch (component key {@code components.dc}).
     */
    private static List<BitSet> periods(long seed, int k, int numDrop, int stepsPerDrop, int periods) {
        DroppedClasses dc = DroppedClasses.of(names(k), RandomDropSource.periodic(k, numDrop, stepsPerDrop));
        EpochContext epoch = new EpochContext(seed, 0, 0, 1, "components.dc");
        List<BitSet> out = new ArrayList<>(periods);
        for (int p = 0; p < periods; p++) {
            SegmentContext ctx = new SegmentContext(epoch, (long) p * stepsPerDrop, p);
            dc.apply(dc.decide(ctx), ctx);
            BitSet d = dc.dropped();
            if (d.cardinality() != numDrop) {
                throw new AssertionError("period " + p + " dropped " + d.cardinality() + " classes, expected " + numDrop);
            }
            out.add(d);
        }
        return out;
    }

    /**
     * Over P = 2000 periods, class c's drop count O_c is Binomial(P, p), p = N_D / K, and the counts
     * of a period are those of a draw without replacement (covariance {@code -p(1-p)/(K-1)}), so
     * {@code (K-1)/K * sum (O_c - P p)^2 / (P p (1-p))} is chi-square with K - 1 degrees of freedom
     * (the Pearson statistic with the covariance of sampling without replacement; the plain
     * multinomial one would be conservative).
     */
    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void eachClassIsDroppedInAPeriodWithProbabilityNumDropOverK(@ForAll long seed,
                                                                @ForAll @IntRange(min = 3, max = 40) int k,
                                                                @ForAll @IntRange(min = 1, max = 1000) int drop,
                                                                @ForAll @IntRange(min = 1, max = 600) int stepsPerDrop) {
        int numDrop = 1 + drop % (k - 1);
        int periods = 2000;
        double p = (double) numDrop / k;
        GoodnessOfFit.assertConfirmed("drops of each of " + k + " classes, " + numDrop + " a period", s -> {
            long[] counts = new long[k];
            for (BitSet d : periods(GoodnessOfFit.sampleSeed(seed, s), k, numDrop, stepsPerDrop, periods)) {
                d.stream().forEach(c -> counts[c]++);
            }
            double expected = periods * p;
            double sum = 0;
            for (long o : counts) {
                sum += (o - expected) * (o - expected);
            }
            double statistic = (k - 1.0) / k * sum / (periods * p * (1 - p));
            double pValue = ChiSquaredDistribution.of(k - 1).survivalProbability(statistic);
            return new SignificanceResult() {
                @Override
                public double getStatistic() {
                    return statistic;
                }

                @Override
                public double getPValue() {
                    return pValue;
                }
            };
        });
    }

    /** K = 6: every one of the C(6, N_D) subsets is the dropped set equally often, over 3000 periods. */
    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void theDroppedSetIsUniformOverTheSubsetsOfItsSize(@ForAll long seed,
                                                       @ForAll @IntRange(min = 1, max = 5) int numDrop,
                                                       @ForAll @IntRange(min = 1, max = 600) int stepsPerDrop) {
        int k = 6;
        List<Integer> subsets = new ArrayList<>();
        for (int mask = 0; mask < 1 << k; mask++) {
            if (Integer.bitCount(mask) == numDrop) {
                subsets.add(mask);
            }
        }
        GoodnessOfFit.assertUniform("dropped subsets of " + numDrop + " of " + k, s -> {
            long[] counts = new long[subsets.size()];
            for (BitSet d : periods(GoodnessOfFit.sampleSeed(seed, s), k, numDrop, stepsPerDrop, 3000)) {
                counts[subsets.indexOf((int) d.toLongArray()[0])]++;
            }
            return counts;
        });
    }

    /**
     * One period of 1000 batches of 2 (3 of 8 speakers dropped): the speakers are the allowed ones,
     * equally often, and the utterances within them uniform; dropped speakers and their utterances
     * get exactly no draws; each batch's speakers are distinct.
     */
    @Property(tries = 3, shrinking = ShrinkingMode.OFF)
    void withinAPeriodTheAllowedClassesAreDrawnAsTheClassBalancedSamplerSays(@ForAll long seed) {
        String yaml = DropClassPipelines.yaml(3, "steps_per_drop: 5000", 2, ", num_batches: 1000");
        GoodnessOfFit.assertConfirmed("speakers within a period", s -> period(yaml, seed, s, false));
        GoodnessOfFit.assertConfirmed("utterances within a period", s -> period(yaml, seed, s, true));
    }

    private static SignificanceResult period(String yaml, long seed, int sample, boolean byUtterance) {
        Pipeline p = DropClassPipelines.build(yaml, UNEVEN, GoodnessOfFit.sampleSeed(seed, sample), 0, 1);
        long[] utterances = new long[UNEVEN.size()];
        long[] speakers = new long[UNEVEN.numSpeakers()];
        BitSet live = null;
        Optional<Batch> b;
        while ((b = p.nextInEpoch()).isPresent()) {
            BitSet now = p.mask().orElseThrow().liveClasses(b.get(), UNEVEN.numSpeakers());
            if (live != null && !live.equals(now)) {
                throw new AssertionError("the live classes changed inside one period");
            }
            live = now;
            BitSet inBatch = new BitSet();
            for (Draw d : b.get().draws()) {
                int u = UNEVEN.indexOf(d.utteranceIds().get(0)).getAsInt();
                int c = UNEVEN.speakerOf(u);
                if (inBatch.get(c)) {
                    throw new AssertionError("speaker " + c + " twice in batch " + b.get().globalIndex());
                }
                inBatch.set(c);
                utterances[u]++;
                speakers[c]++;
            }
        }
        double[] speakerWeights = new double[UNEVEN.numSpeakers()];
        double[] utteranceWeights = new double[UNEVEN.size()];
        for (int u = 0; u < UNEVEN.size(); u++) {
            int c = UNEVEN.speakerOf(u);
            speakerWeights[c] = live.get(c) ? 1 : 0;
            utteranceWeights[u] = live.get(c) ? 1.0 / UNEVEN.countOf(c) : 0;
        }
        double[] weights = byUtterance ? utteranceWeights : speakerWeights;
        long[] counts = byUtterance ? utterances : speakers;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0 && counts[i] != 0) {
                throw new AssertionError("dropped " + (byUtterance ? "utterance " : "speaker ") + i + " was drawn "
                        + counts[i] + " times");
            }
        }
        return GoodnessOfFit.test(weights, counts);
    }

    /**
     * Per-batch mode (a new set every batch, 3 of 8 dropped, batches of 2, 2000 batches): a draw's
     * class is equally likely to be each of its batch's allowed classes, by its rank among them
     * (bins 0..4).
     */
    @Property(tries = 5, shrinking = ShrinkingMode.OFF)
    void inPerBatchModeEachBatchDrawsItsAllowedClassesUniformly(@ForAll long seed) {
        String yaml = DropClassPipelines.yaml(3, "mode: per_batch", 2, ", num_batches: 2000");
        GoodnessOfFit.assertUniform("ranks of drawn classes among the batch's allowed ones", s -> {
            Pipeline p = DropClassPipelines.build(yaml, UNEVEN, GoodnessOfFit.sampleSeed(seed, s), 0, 1);
            long[] ranks = new long[UNEVEN.numSpeakers() - 3];
            Optional<Batch> b;
            while ((b = p.nextInEpoch()).isPresent()) {
                BitSet live = p.mask().orElseThrow().liveClasses(b.get(), UNEVEN.numSpeakers());
                for (Draw d : b.get().draws()) {
                    int c = DropClassPipelines.classOf(UNEVEN, d);
                    if (!live.get(c)) {
                        throw new AssertionError("dropped class " + c + " drawn in batch " + b.get().globalIndex());
                    }
                    ranks[live.get(0, c).cardinality()]++;
                }
            }
            return ranks;
        });
    }
}
