package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Draw;
import java.util.Iterator;

/**
 * Extension point "what to draw": produces the draws of one epoch, in order. The result must be
 * a function of the context's seed and epoch and of this sampler's state at the start of the
 * epoch (which includes what it observed in earlier epochs); it is the same on every rank.
 * Outcomes observed during an epoch take effect from the next epoch, so that a run resumed in
 * the middle of an epoch replays it exactly; a {@link Segmented} sampler also changes its draws at
 * the boundaries it declares, through decisions the pipeline logs.
 *
 * <p>The returned iterator may be consumed lazily, while training runs and outcomes arrive: it
 * must capture, when it is created, whatever state it reads, so that later state changes take
 * effect from the next epoch only (a {@link Segmented} sampler reads its applied decision live).
 */
public interface SourceSampler extends Stateful {

    Iterator<Draw> epoch(EpochContext context);

    /** Draws in the next epoch if known in advance, else -1. */
    default long epochSize() {
        return -1;
    }
}
