package io.speechsampler.api.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An epoch iterator whose place can be saved and gone back to in O(1), as a token of small JSON.
 * A restore inside an epoch otherwise replays the epoch from its start and passes over the draws
 * already trained ({@link Skipping}); with a token of the shuffle's index, the fixed batcher's place
 * and a pruning stage's random-stream state, the pipeline seeks instead (one rank, docs/spi2.md).
 *
 * <p>Contract: {@code seek(position())} on an iterator freshly made for the same epoch of the same
 * component states leaves it where the saving iterator was. {@link #position()} returns null when
 * the iterator cannot say (a buffered element, an upstream that is not {@code Positioned}); the
 * pipeline then replays by skipping.
 */
public interface Positioned {

    /** Where this iterator is now, or null when it cannot say. */
    JsonNode position();

    /**
     * Moves a freshly made iterator of the same epoch to a place {@link #position()} returned.
     *
     * @throws IllegalStateException when the token is not one this iterator writes, naming what was expected
     */
    void seek(JsonNode position);

    /** The token of {@code it} when it is {@code Positioned} and can say, else null. */
    static JsonNode of(Object it) {
        return it instanceof Positioned p ? p.position() : null;
    }
}
