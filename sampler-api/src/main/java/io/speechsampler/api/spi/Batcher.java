package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Draw;
import java.util.Iterator;
import java.util.List;

/** Groups an epoch's draws into global batches (before sharding over ranks). */
public interface Batcher extends Stateful {

    Iterator<List<Draw>> batches(Iterator<Draw> draws, EpochContext context);

    /** The number of draws per batch when fixed, else -1 (e.g. duration-bounded batches). */
    default int fixedBatchSize() {
        return -1;
    }

    /** The number of batches this batcher makes of {@code draws} draws when known in advance, else -1. */
    default long batchesFor(long draws) {
        return -1;
    }
}
