package io.speechsampler.infobatch;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.RunPlan;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.testkit.GoodnessOfFit;
import io.speechsampler.testkit.MergeableProperty;
import io.speechsampler.testkit.TestCorpora;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.inference.TTest;

/**
 * InfoBatch's pruning and rescaling (Qin et al., ICLR 2024), its annealing and its merge over
 * ranks.
 *
 * <p><b>Designed false-failure rate.</b> Two statistical properties, each one confirmed assertion
 * per try ({@link GoodnessOfFit}: a correct stage fails an assertion with probability
 * {@code ALPHA^2 = 1e-6}): 40 + 10 tries, so at most {@code 50e-6} per run. The annealing property
 * also asserts that an epoch before the annealing epoch prunes something: it fails a correct stage
 * only when none of about 50 well-learned draws is pruned at prune ratio 0.5, probability about
 * {@code 2^-50} per epoch. The merge property is exact.
 */
class InfoBatchProperties {

    /** 2000 utterances. */
    private static final Corpus CORPUS = TestCorpora.synthetic(20, 100, 5);

    /** Well-learned draws per group whose kept count is binomial. */
    private static final int GROUP = 8;

    /**
     * A stage whose scores make about half the corpus well learned (loss 0 against 5 for the
     * others, a mean in between), chosen by {@code seed}.
     */
    private static InfoBatchStage halfWellLearned(Corpus corpus, double ratio, long seed, Set<String> wellLearned) {
        InfoBatchStage s = InfoBatchStage.of(corpus, ratio, 1, 3);
        UniformRandomProvider rng = RandomStreams.of(seed, "well-learned", 0);
        List<Outcome> seen = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            String id = corpus.get(i).id();
            boolean learned = rng.nextBoolean();
            if (learned) {
                wellLearned.add(id);
            }
            seen.add(new Outcome(ItemDraw.of(id), 0, 0, i, learned ? 0 : 5, 0));
        }
        s.observe(seen);
        return s;
    }

    /**
     * Each well-learned draw is kept with probability {@code 1 - prune_ratio}, independently: the
     * kept counts of consecutive groups of {@value #GROUP} well-learned draws are
     * Binomial({@value #GROUP}, 1 - prune_ratio) (chi-square, confirmed, bins of small expected
     * count merged by the binomial's probabilities alone). Exact: the other draws are all kept,
     * untagged; kept well-learned draws are tagged {@code rescaled}.
     */
    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void theKeptCountOfWellLearnedDrawsIsBinomialWithOneMinusThePruneRatio(
            @ForAll long seed, @ForAll @DoubleRange(min = 0.2, max = 0.8) double ratio) {
        double keep = 1 - ratio;
        double[] pmf = new double[GROUP + 1];
        for (int k = 0; k <= GROUP; k++) {
            pmf[k] = BinomialDistribution.of(GROUP, keep).probability(k);
        }
        int groups = CORPUS.size() / 2 / GROUP - 10; // fewer than the well-learned draws make, surely
        int[] bin = mergedBins(pmf, groups);
        int bins = bin[GROUP] + 1;
        double[] weights = new double[bins];
        for (int k = 0; k <= GROUP; k++) {
            weights[bin[k]] += pmf[k];
        }
        GoodnessOfFit.assertFits("kept counts of groups of " + GROUP + " well-learned draws, prune ratio " + ratio,
                weights, k -> {
                    long sample = GoodnessOfFit.sampleSeed(seed, k);
                    Set<String> learned = new HashSet<>();
                    InfoBatchStage s = halfWellLearned(CORPUS, ratio, sample, learned);
                    List<Draw> up = new ArrayList<>();
                    CORPUS.utterances().forEach(u -> up.add(ItemDraw.of(u.id())));
                    Iterator<Draw> out = s.apply(up.iterator(),
                            new EpochContext(sample, 1, 0, 1, "stages[0]", RunPlan.UNKNOWN));
                    Set<String> kept = new HashSet<>();
                    out.forEachRemaining(d -> {
                        if (learned.contains(d.key()) != d.tags().contains(InfoBatchStage.RESCALED_TAG)) {
                            throw new AssertionError("a draw is tagged rescaled exactly when well learned: " + d);
                        }
                        kept.add(d.key());
                    });
                    long[] observed = new long[bins];
                    int inGroup = 0;
                    int keptInGroup = 0;
                    int done = 0;
                    for (Draw d : up) {
                        if (!learned.contains(d.key())) {
                            if (!kept.contains(d.key())) {
                                throw new AssertionError("a draw that is not well learned was pruned: " + d);
                            }
                            continue;
                        }
                        keptInGroup += kept.contains(d.key()) ? 1 : 0;
                        if (++inGroup == GROUP) {
                            if (done++ < groups) {
                                observed[bin[keptInGroup]]++;
                            }
                            inGroup = 0;
                            keptInGroup = 0;
                        }
                    }
                    if (done < groups) {
                        throw new AssertionError("only " + done + " groups of well-learned draws");
                    }
                    return observed;
                });
    }

    /** Bin of each count 0..n: neighbours merged from both ends until every bin expects at least 5. */
    private static int[] mergedBins(double[] pmf, int draws) {
        int n = pmf.length - 1;
        int lo = 0;
        double acc = pmf[0];
        while (acc * draws < GoodnessOfFit.MIN_EXPECTED_COUNT) {
            acc += pmf[++lo];
        }
        int hi = n;
        acc = pmf[n];
        while (acc * draws < GoodnessOfFit.MIN_EXPECTED_COUNT) {
            acc += pmf[--hi];
        }
        int[] bin = new int[n + 1];
        for (int k = 0; k <= n; k++) {
            bin[k] = k <= lo ? 0 : Math.min(k, hi) - lo;
        }
        return bin;
    }

    /**
     * Rescaling keeps the expected total weight of an epoch at the unpruned draw count: over 200
     * epochs (independent pruning of fixed scores), the mean of the weights the pipeline gives
     * (the config's weighting times the stage's) is that count (one-sample t-test, confirmed).
     */
    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void theExpectedTotalWeightOfAnEpochIsTheUnprunedCount(@ForAll long seed,
                                                          @ForAll @DoubleRange(min = 0.1, max = 0.9) double ratio) {
        Corpus corpus = TestCorpora.synthetic(5, 60, 2);
        int epochs = 200;
        GoodnessOfFit.assertConfirmed("total weight per epoch, prune ratio " + ratio, k -> {
            Pipeline p = Feedback.pipeline("sampler: shuffle\nbatch: {name: fixed, size: 16}\n"
                    + "stages: [{name: info-batch, prune_ratio: " + ratio + "}]\n", corpus,
                    GoodnessOfFit.sampleSeed(seed, k), 0, 1);
            Optional<Batch> b;
            while ((b = p.nextInEpoch()).isPresent()) { // epoch 0 prunes nothing; its losses score the corpus
                Feedback.train(p, b.get(), seed);
            }
            p.finishEpoch();
            double[] totals = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                while ((b = p.nextInEpoch()).isPresent()) {
                    for (double w : p.weigh(b.get().draws(), new double[b.get().size()], new double[b.get().size()])) {
                        totals[e] += w;
                    }
                }
                p.finishEpoch();
            }
            return TTest.withDefaults().withMu(corpus.size()).test(totals);
        });
    }

    /**
     * From epoch {@code ceil(delta * E)} on nothing is pruned or tagged (exact: every utterance,
     * weight 1); before it, every epoch after the first (which has no scores yet) prunes. delta is
     * a multiple of 0.001, so the expected epoch is integer arithmetic.
     */
    @Property(tries = 30)
    void nothingIsPrunedFromEpochCeilOfDeltaTimesThePlannedEpochsOn(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int epochs,
            @ForAll @IntRange(min = 1, max = 1000) int deltaMillis) {
        Corpus corpus = TestCorpora.synthetic(2, 50, 3);
        double delta = deltaMillis / 1000.0;
        int stop = (deltaMillis * epochs + 999) / 1000;
        Pipeline p = Feedback.pipeline("sampler: shuffle\nbatch: {name: fixed, size: 8}\n"
                + "stages: [{name: info-batch, delta: " + delta + "}]\n", corpus, seed, 0, 1);
        p.plan(epochs, 0);
        for (int e = 0; e < epochs; e++) {
            int draws = 0;
            int rescaled = 0;
            Optional<Batch> b;
            while ((b = p.nextInEpoch()).isPresent()) {
                draws += b.get().size();
                rescaled += (int) b.get().draws().stream()
                        .filter(d -> d.tags().contains(InfoBatchStage.RESCALED_TAG)).count();
                double[] w = Feedback.train(p, b.get(), seed);
                for (int i = 0; i < w.length; i++) {
                    boolean tagged = b.get().draws().get(i).tags().contains(InfoBatchStage.RESCALED_TAG);
                    if (w[i] != (tagged ? 2 : 1)) {
                        throw new AssertionError("weight " + w[i] + " for " + b.get().draws().get(i));
                    }
                }
            }
            p.finishEpoch();
            if (e >= stop && (draws != corpus.size() || rescaled != 0)) {
                throw new AssertionError("epoch " + e + " of " + epochs + " (delta " + delta + ", annealing from "
                        + stop + ") has " + draws + " draws, " + rescaled + " rescaled; expected all "
                        + corpus.size() + ", none rescaled");
            }
            if (e >= 1 && e < stop && draws == corpus.size()) {
                throw new AssertionError("epoch " + e + " before the annealing epoch " + stop + " pruned nothing");
            }
        }
    }

    /**
     * Merging the ranks' scores equals one stage fed every outcome (the testkit's merge property),
     * with keys repeating inside epochs and batches (as a sampler with replacement gives them) and
     * merges at random points besides the epoch ends.
     */
    @Property(tries = 60)
    void mergedScoresOfTheRanksAreThoseOfOneStageFedEveryOutcome(@ForAll long seed,
                                                                @ForAll @IntRange(min = 1, max = 5) int world) {
        Corpus corpus = TestCorpora.synthetic(3, 10, 1);
        UniformRandomProvider rng = RandomStreams.of(seed, "merge-test", 0);
        List<List<Outcome>> batches = new ArrayList<>();
        Set<Integer> mergeAfter = new HashSet<>();
        for (int e = 0; e < 3; e++) {
            int perEpoch = 1 + rng.nextInt(12);
            for (int g = 0; g < perEpoch; g++) {
                List<Outcome> batch = new ArrayList<>();
                int size = 1 + rng.nextInt(5);
                for (int i = 0; i < size; i++) {
                    String id = rng.nextInt(10) == 0 ? "not-scored" : corpus.get(rng.nextInt(corpus.size())).id();
                    batch.add(new Outcome(ItemDraw.of(id), e, g, g, rng.nextDouble() * 6, 0));
                }
                if (rng.nextInt(5) == 0) {
                    mergeAfter.add(batches.size());
                }
                batches.add(batch);
            }
        }
        MergeableProperty.assertMergedEqualsOneObserver(() -> InfoBatchStage.of(corpus, 0.5, 0.875, 3), batches,
                world, mergeAfter);
    }

    /**
     * The confirmed assertions above draw their second sample from another seed
     * ({@link GoodnessOfFit#sampleSeed}): it must prune differently, or the confirmation would
     * repeat the first sample.
     */
    @Property(tries = 5)
    void independentSamplesDrawDifferentPrunings(@ForAll long seed) {
        Set<String> learned = new HashSet<>();
        InfoBatchStage s = halfWellLearned(CORPUS, 0.5, seed, learned);
        List<Draw> up = new ArrayList<>();
        CORPUS.utterances().forEach(u -> up.add(ItemDraw.of(u.id())));
        List<Draw> a = new ArrayList<>();
        List<Draw> b = new ArrayList<>();
        s.apply(up.iterator(), new EpochContext(GoodnessOfFit.sampleSeed(seed, 0), 1, 0, 1, "stages[0]",
                RunPlan.UNKNOWN)).forEachRemaining(a::add);
        s.apply(up.iterator(), new EpochContext(GoodnessOfFit.sampleSeed(seed, 1), 1, 0, 1, "stages[0]",
                RunPlan.UNKNOWN)).forEachRemaining(b::add);
        if (a.equals(b)) {
            throw new AssertionError("two seeds pruned identically (seed " + seed + ")");
        }
    }
}
