package io.speechsampler.api.spi;

import java.util.BitSet;

/**
 * Extension point "which outputs are live": the classes (rows of the output layer) that take
 * part in the softmax at a step. Classes are indexed by the corpus's sorted speaker list.
 */
public interface ClassMask extends Stateful {

    /** The live classes at this step; a class outside the set gets no logit. */
    BitSet liveClasses(int epoch, long step, int numClasses);
}
