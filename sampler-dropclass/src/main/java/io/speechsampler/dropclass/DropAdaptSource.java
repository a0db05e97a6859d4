package io.speechsampler.dropclass;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.ModelAccess;
import io.speechsampler.api.spi.SegmentContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.sampling.CombinationSampler;

/**
 * DropAdapt's schedule (Luu et al. 2021; cvqluu/dropclass_speaker, {@code drop_adapt}): at the
 * run's first batch and every {@code stepsPerDrop} global batches, the model in the loop gives the
 * posteriors of every enrolment utterance; each remaining class's mass is the sum over the
 * utterances of its posterior renormalised over the remaining classes (the authors' softmax over
 * the remaining rows); the {@code numDrop} remaining classes of least mass are dropped, on top of
 * those dropped before (cumulative), until {@code maxDrop} are. Ties in mass are broken by the
 * lower class index first. With {@code uniform} aggregation each enrolment speaker weighs the
 * same (each utterance 1 / its speaker's utterance count) instead of each utterance. The
 * {@code random} control drops {@code numDrop} remaining classes uniformly at random on the same
 * schedule (one {@link CombinationSampler} draw from the segment's stream), without the model.
 *
 * <p>The decision is the dropped list, so a resumed run replays it without running the model.
 */
final class DropAdaptSource implements DropSource {

    private final int numClasses;
    private final int numDrop;
    private final int maxDrop;
    private final long stepsPerDrop;
    private final Corpus enrolment;
    private final List<Draw> enrolmentDraws;
    private final double[] weights;
    private final boolean random;

    private DropAdaptSource(int numClasses, int numDrop, int maxDrop, long stepsPerDrop, Corpus enrolment,
                            boolean uniform, boolean random) {
        this.numClasses = numClasses;
        this.numDrop = numDrop;
        this.maxDrop = maxDrop;
        this.stepsPerDrop = stepsPerDrop;
        this.enrolment = enrolment;
        this.random = random;
        if (enrolment == null) {
            this.enrolmentDraws = List.of();
            this.weights = new double[0];
            return;
        }
        List<Draw> draws = new ArrayList<>();
        Map<Integer, Integer> perSpeaker = new HashMap<>();
        for (int i = 0; i < enrolment.size(); i++) {
            draws.add(ItemDraw.of(enrolment.utterances().get(i).id()));
            perSpeaker.merge(enrolment.speakerOf(i), 1, Integer::sum);
        }
        this.enrolmentDraws = List.copyOf(draws);
        this.weights = new double[enrolment.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = uniform ? 1.0 / perSpeaker.get(enrolment.speakerOf(i)) : 1.0;
        }
    }

    /** DropAdapt over an enrolment corpus ({@code uniform}: each enrolment speaker weighs the same). */
    static DropAdaptSource adapt(int numClasses, int numDrop, int maxDrop, long stepsPerDrop, Corpus enrolment,
                                 boolean uniform) {
        return new DropAdaptSource(numClasses, numDrop, maxDrop, stepsPerDrop, enrolment, uniform, false);
    }

    /** The random-drop control on DropAdapt's schedule. */
    static DropAdaptSource random(int numClasses, int numDrop, int maxDrop, long stepsPerDrop) {
        return new DropAdaptSource(numClasses, numDrop, maxDrop, stepsPerDrop, null, false, true);
    }

    @Override
    public long nextBoundary(long runBatch) {
        return (runBatch / stepsPerDrop + 1) * stepsPerDrop;
    }

    @Override
    public int mostDropped() {
        return maxDrop;
    }

    @Override
    public Drop decide(SegmentContext context, BitSet dropped) {
        long periodStart = context.startBatch() - context.startBatch() % stepsPerDrop;
        int more = Math.min(numDrop, maxDrop - dropped.cardinality());
        if (periodStart != context.startBatch() || more <= 0) {
            // an epoch start inside a period, or nothing left to drop: the classes dropped so far
            return new Drop(periodStart, dropped);
        }
        List<Integer> remaining = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            if (!dropped.get(c)) {
                remaining.add(c);
            }
        }
        BitSet next = (BitSet) dropped.clone();
        if (random) {
            for (int i : new CombinationSampler(context.random(), remaining.size(), more).sample()) {
                next.set(remaining.get(i));
            }
        } else {
            float[][] p = context.models().apply(enrolment, enrolmentDraws, ModelAccess.Output.POSTERIORS);
            double[] mass = mass(p, remaining, weights, numClasses);
            remaining.stream().sorted(Comparator.<Integer>comparingDouble(c -> mass[c]).thenComparingInt(c -> c))
                    .limit(more).forEach(next::set);
        }
        return new Drop(context.startBatch(), next);
    }

    /**
     * Each remaining class's mass: the weighted sum over rows of its posterior renormalised over
     * the remaining classes (softmax over the remaining rows of the output layer). Public for the
     * test that recomputes the choice by hand.
     */
    static double[] mass(float[][] posteriors, List<Integer> remaining, double[] weights, int numClasses) {
        double[] mass = new double[numClasses];
        for (int u = 0; u < posteriors.length; u++) {
            if (posteriors[u].length != numClasses) {
                throw new IllegalStateException("the model gave " + posteriors[u].length + " posteriors for "
                        + numClasses + " classes");
            }
            double z = 0;
            for (int c : remaining) {
                z += posteriors[u][c];
            }
            for (int c : remaining) {
                mass[c] += weights[u] * (z > 0 ? posteriors[u][c] / z : 1.0 / remaining.size());
            }
        }
        return mass;
    }
}
