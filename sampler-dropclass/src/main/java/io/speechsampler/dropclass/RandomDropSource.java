package io.speechsampler.dropclass;

import io.speechsampler.api.spi.SegmentContext;
import java.util.BitSet;
import org.apache.commons.rng.sampling.CombinationSampler;

/**
 * DropClass's schedule (Luu et al. 2021; cvqluu/dropclass_speaker): at the run's first batch and
 * every {@code stepsPerDrop} global batches after it (or at every batch), a fresh set of
 * {@code numDrop} of the {@code K} classes, uniform over the {@code C(K, numDrop)} subsets and
 * independent of every earlier set.
 *
 * <p>Random draws: one {@link CombinationSampler} sample (a partial Fisher-Yates shuffle of
 * {@code 0..K-1}: O(K) to set up, {@code min(numDrop, K - numDrop)} bounded ints) from the stream
 * of the segment that starts the period ({@link SegmentContext#random()} at the period's first
 * batch). An epoch start inside a period decides again from that same stream, so it gets the
 * period's set back: the set is a function of (seed, component key, period) alone.
 */
public final class RandomDropSource implements DropSource {

    private final int numClasses;
    private final int numDrop;
    /** Global batches per period; 1 in per-batch mode. */
    private final long stepsPerDrop;

    private RandomDropSource(int numClasses, int numDrop, long stepsPerDrop) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("number of classes is not at least 2: " + numClasses);
        }
        if (numDrop < 1 || numDrop >= numClasses) {
            throw new IllegalArgumentException("num_drop is not in [1, " + (numClasses - 1) + "]: " + numDrop);
        }
        if (stepsPerDrop < 1) {
            throw new IllegalArgumentException("steps_per_drop is not at least 1: " + stepsPerDrop);
        }
        this.numClasses = numClasses;
        this.numDrop = numDrop;
        this.stepsPerDrop = stepsPerDrop;
    }

    /** A new set every {@code stepsPerDrop} global batches, from batch 0 (mode {@code periodic}). */
    public static DropSource periodic(int numClasses, int numDrop, long stepsPerDrop) {
        return new RandomDropSource(numClasses, numDrop, stepsPerDrop);
    }

    /** A new set at every global batch (mode {@code per_batch}, the authors' drop-per-batch variant). */
    public static DropSource perBatch(int numClasses, int numDrop) {
        return new RandomDropSource(numClasses, numDrop, 1);
    }

    @Override
    public long nextBoundary(long runBatch) {
        return (runBatch / stepsPerDrop + 1) * stepsPerDrop;
    }

    @Override
    public int mostDropped() {
        return numDrop;
    }

    @Override
    public Drop decide(SegmentContext context, BitSet dropped) {
        long periodStart = context.startBatch() - context.startBatch() % stepsPerDrop;
        SegmentContext period = periodStart == context.startBatch() ? context
                : new SegmentContext(context.epoch(), periodStart, context.index());
        BitSet set = new BitSet(numClasses);
        for (int c : new CombinationSampler(period.random(), numClasses, numDrop).sample()) {
            set.set(c);
        }
        return new Drop(periodStart, set);
    }
}
