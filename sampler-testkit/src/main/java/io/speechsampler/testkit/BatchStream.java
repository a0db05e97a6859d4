package io.speechsampler.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.draw.Batch;
import java.util.Optional;

/**
 * What {@link SamplerContract} drives: one rank's batches, epoch after epoch, with resumable
 * state. The core pipeline has exactly these methods; the testkit names them here because it
 * depends on the API module only.
 */
public interface BatchStream {

    /** The next batch of the current epoch, or empty at its end. */
    Optional<Batch> nextInEpoch();

    /** Ends the current epoch and moves to the next. */
    void finishEpoch();

    /** The state at this point, as JSON. */
    JsonNode saveState();

    /** Restores a state from {@link #saveState()} of a stream built the same way. */
    void restoreState(JsonNode state);
}
