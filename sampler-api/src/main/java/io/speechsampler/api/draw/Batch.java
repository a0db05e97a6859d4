package io.speechsampler.api.draw;

import java.util.List;
import java.util.Objects;

/**
 * One batch as a rank sees it.
 *
 * @param epoch epoch number, from 0
 * @param step  this rank's global step: batches emitted before this one, over all epochs
 * @param rank  the rank that receives it
 * @param draws the draws, in order
 */
public record Batch(int epoch, long step, int rank, List<Draw> draws) {

    public Batch {
        Objects.requireNonNull(draws, "draws");
        draws = List.copyOf(draws);
    }

    public int size() {
        return draws.size();
    }
}
