package io.speechsampler.dropclass;

import io.speechsampler.api.spi.SegmentContext;
import java.util.BitSet;
import java.util.Objects;

/**
 * Where a {@link DroppedClasses} set's classes come from: the boundaries at which it changes and,
 * at each, the classes to drop. {@code drop-class} draws them at random
 * ({@link RandomDropSource}); DropAdapt's choice of the classes with the least enrolment
 * posterior mass, cumulative, is meant to be another source over the same set (its decisions are
 * the dropped lists, so a replay needs no model).
 */
public interface DropSource {

    /** The next boundary strictly after {@code runBatch} (run-global); see {@code Segmented#nextBoundary}. */
    long nextBoundary(long runBatch);

    /** The most classes it drops at once over the run: the set then allows {@code K} minus this. */
    int mostDropped();

    /**
     * The drop of the segment that starts at {@code context.startBatch()}: a boundary of this
     * source or an epoch start, which may fall inside a period (then the period's drop again).
     *
     * @param dropped the classes dropped now (the segment applied last; empty before the first);
     *                must not be modified
     */
    Drop decide(SegmentContext context, BitSet dropped);

    /**
     * A decided drop.
     *
     * @param periodStart the run-global batch at which the period this drop belongs to started (at
     *                    most the segment's start; equal to it when the drop is new there, which
     *                    is when {@code drops.jsonl} gets a line)
     * @param dropped     the dropped classes
     */
    record Drop(long periodStart, BitSet dropped) {

        public Drop {
            Objects.requireNonNull(dropped, "dropped");
            if (periodStart < 0) {
                throw new IllegalArgumentException("period start is negative: " + periodStart);
            }
            dropped = (BitSet) dropped.clone();
        }

        @Override
        public BitSet dropped() {
            return (BitSet) dropped.clone();
        }
    }
}
