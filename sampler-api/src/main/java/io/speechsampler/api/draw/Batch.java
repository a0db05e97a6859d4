package io.speechsampler.api.draw;

import java.util.List;
import java.util.Objects;

/**
 * One batch as a rank sees it.
 *
 * @param epoch       epoch number, from 0
 * @param step        this rank's global step: batches emitted before this one, over all epochs
 * @param globalIndex index of this batch among the epoch's global batches, which every rank
 *                    computes alike: rank {@code r} of {@code w} takes {@code r, r + w, r + 2w, ...},
 *                    so sorting all ranks' batches of an epoch by it restores the global order. A
 *                    padding batch (see the pipeline's sharding) has an index at least the epoch's
 *                    global count. -1 for a batch that is not one of a pipeline's (validation).
 * @param rank        the rank that receives it
 * @param draws       the draws, in order
 */
public record Batch(int epoch, long step, int globalIndex, int rank, List<Draw> draws) {

    public Batch {
        Objects.requireNonNull(draws, "draws");
        draws = List.copyOf(draws);
    }

    public int size() {
        return draws.size();
    }
}
