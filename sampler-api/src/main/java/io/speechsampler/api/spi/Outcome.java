package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Draw;
import java.util.Objects;

/**
 * What training learned about one sample at one step. It carries its draw, so an observer can
 * group by sources, tags or recipe factors; per-sample state is indexed by {@link #key()}. The
 * pipeline never delivers outcomes of padding draws.
 *
 * @param draw        the draw that was trained
 * @param epoch       epoch
 * @param step        this rank's step (batches it trained before this one, over all epochs)
 * @param globalBatch index of the batch among its epoch's global batches (the same on every rank),
 *                    or -1 outside a pipeline
 * @param loss        per-sample loss (before weighting)
 * @param metric      per-sample metric: SI-SNRi in dB for separation, probability of the true class
 *                    for classification; NaN when the loop computed none
 */
public record Outcome(Draw draw, int epoch, long step, int globalBatch, double loss, double metric) {

    public Outcome {
        Objects.requireNonNull(draw, "draw");
    }

    /** The draw's stable key ({@link Draw#key()}): an item's id, or a mixture's pivot. */
    public String key() {
        return draw.key();
    }
}
