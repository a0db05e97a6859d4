package io.speechsampler.api.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.function.Supplier;

/**
 * State that survives a process: {@link #saveState()} returns JSON that
 * {@link #restoreState(JsonNode)} accepts in a fresh process built from the same config.
 * A state a component did not write must be refused with an {@link IllegalStateException}.
 * Stateless components keep the defaults.
 *
 * <p><b>Large per-sample state</b> (scores, counts: O(corpus size)) is kept in
 * {@link io.speechsampler.api.state.SampleColumns} and put into the JSON as one binary node
 * ({@code columns.toJson()}, read back with {@code SampleColumns.fromJson}). A checkpoint writes
 * every binary node into {@code state.bin} beside its {@code state.json} (4 bytes per value plus a
 * header, CRC32-checked on restore; see {@link io.speechsampler.api.state.BinarySideFile}); an
 * in-memory state keeps the node, and a plain JSON writer writes it as base64. With
 * {@link #snapshot()} returning {@code () -> json(columns.snapshot())} the epoch-start snapshot
 * is O(1) (copy on write).
 */
public interface Stateful {

    default JsonNode saveState() {
        return NullNode.getInstance();
    }

    /**
     * The state as it is now, turned into JSON later or never: the pipeline takes one of each draw
     * component at every epoch start but needs the JSON only when a run is saved in mid-epoch. The
     * supplier must return what {@link #saveState()} returns now, however the component changes
     * afterwards. The default calls {@link #saveState()} now; a component whose state is large and
     * is replaced rather than written in place can capture it in O(1) instead.
     */
    default Supplier<JsonNode> snapshot() {
        JsonNode now = saveState();
        return () -> now;
    }

    default void restoreState(JsonNode state) {
        if (state != null && !state.isNull()) {
            throw new IllegalStateException(getClass().getSimpleName() + " is stateless but was given state: " + state);
        }
    }
}
