package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Batch;
import java.util.BitSet;

/**
 * Extension point "which outputs are live": the classes (rows of the output layer) that take
 * part in the softmax at a step. Classes are indexed by the corpus's sorted speaker list.
 */
public interface ClassMask extends Stateful {

    /** The live classes at this step; a class outside the set gets no logit. */
    BitSet liveClasses(int epoch, long step, int numClasses);

    /**
     * The live classes for a batch the loop trains. The default asks {@link #liveClasses(int, long,
     * int)} at the batch's epoch and step; a mask whose classes change inside an epoch (a
     * {@link Segmented} one) answers by the batch's global index, which names the same batch on
     * every rank and at every world size, so that the mask is the one the batch's draws were drawn
     * under also when a round of W batches crosses a boundary.
     */
    default BitSet liveClasses(Batch batch, int numClasses) {
        return liveClasses(batch.epoch(), batch.step(), numClasses);
    }
}
