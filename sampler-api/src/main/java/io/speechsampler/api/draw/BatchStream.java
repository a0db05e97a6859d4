package io.speechsampler.api.draw;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.spi.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * One rank's batches, epoch after epoch, with resumable state: what a training loop consumes and
 * what the testkit's sampler contract drives. The core pipeline is one; a test can wrap anything
 * else that draws batches.
 */
public interface BatchStream {

    /** The next batch of the current epoch, or empty at its end. */
    Optional<Batch> nextInEpoch();

    /**
     * What training learned from the batches taken so far: per-sample outcomes, sent after each
     * step. The default ignores them (a stream whose draws never depend on outcomes).
     */
    default void observe(List<Outcome> outcomes) {
    }

    /** Ends the current epoch and moves to the next. */
    void finishEpoch();

    /** The state at this point, as JSON. */
    JsonNode saveState();

    /** Restores a state from {@link #saveState()} of a stream built the same way. */
    void restoreState(JsonNode state);
}
