package io.speechsampler.api.spi;

import io.speechsampler.api.random.RandomStreams;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Where a segment of a {@link Segmented} component starts.
 *
 * @param epoch      the component's epoch context (its key, seed, epoch and run plan)
 * @param startBatch the segment's first batch, run-global ({@link RunPlan#epochStartBatch()} plus
 *                   the index in the epoch)
 * @param index      the component's segment index in the epoch: 0 at the epoch start
 * @param models     the model in the loop ({@link ModelAccess#NONE} without a trainer); call it in
 *                   {@code decide} only, never in {@code apply}, which replays
 */
public record SegmentContext(EpochContext epoch, long startBatch, int index, ModelAccess models) {

    /** A context without a model in the loop. */
    public SegmentContext(EpochContext epoch, long startBatch, int index) {
        this(epoch, startBatch, index, ModelAccess.NONE);
    }

    public SegmentContext {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(models, "models");
        if (startBatch < 0) {
            throw new IllegalArgumentException("segment start batch is negative: " + startBatch);
        }
        if (index < 0) {
            throw new IllegalArgumentException("segment index is negative: " + index);
        }
    }

    /**
     * The component's own random stream for this segment, independent of every other stream:
     * keyed by the seed, the component's key + {@code "/segment"} and the run-global start batch
     * (unique per epoch and segment); every call starts the stream anew.
     */
    public UniformRandomProvider random() {
        return RandomStreams.of(epoch.seed(), epoch.component() + "/segment", startBatch);
    }

    /** The segment's first batch as an index in its epoch. */
    public long batchInEpoch() {
        return startBatch - epoch.plan().epochStartBatch();
    }
}
