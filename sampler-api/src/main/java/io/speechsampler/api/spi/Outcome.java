package io.speechsampler.api.spi;

import java.util.Objects;

/**
 * What training learned about one sample at one step.
 *
 * @param id     the draw's key: an utterance id for items, the mixture's source ids joined with '+'
 * @param epoch  epoch
 * @param step   global step
 * @param loss   per-sample loss (before weighting)
 * @param metric per-sample metric: SI-SNRi in dB for separation, probability of the true class
 *               for classification; NaN when the loop computed none
 */
public record Outcome(String id, int epoch, long step, double loss, double metric) {

    public Outcome {
        Objects.requireNonNull(id, "id");
    }
}
