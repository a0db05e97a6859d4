package io.speechsampler.api.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * State that survives a process: {@link #saveState()} returns JSON that
 * {@link #restoreState(JsonNode)} accepts in a fresh process built from the same config.
 * A state a component did not write must be refused with an {@link IllegalStateException}.
 * Stateless components keep the defaults.
 */
public interface Stateful {

    default JsonNode saveState() {
        return NullNode.getInstance();
    }

    default void restoreState(JsonNode state) {
        if (state != null && !state.isNull()) {
            throw new IllegalStateException(getClass().getSimpleName() + " is stateless but was given state: " + state);
        }
    }
}
