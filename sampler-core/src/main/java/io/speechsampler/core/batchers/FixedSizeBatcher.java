package io.speechsampler.core.batchers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.Batcher;
import io.speechsampler.api.spi.BatcherProvider;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.Positioned;
import io.speechsampler.api.spi.Skipping;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Consecutive draws in batches of {@code size}; a short last batch is kept unless
 * {@code drop_incomplete} is set.
 */
public final class FixedSizeBatcher implements Batcher {

    private final int size;
    private final boolean dropIncomplete;

    private FixedSizeBatcher(int size, boolean dropIncomplete) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size is not at least 1: " + size);
        }
        this.size = size;
        this.dropIncomplete = dropIncomplete;
    }

    public static Batcher of(int size, boolean dropIncomplete) {
        return new FixedSizeBatcher(size, dropIncomplete);
    }

    @Override
    public int fixedBatchSize() {
        return size;
    }

    @Override
    public long batchesFor(long draws) {
        return dropIncomplete ? draws / size : (draws + size - 1) / size;
    }

    @Override
    public Iterator<List<Draw>> batches(Iterator<Draw> draws, EpochContext context) {
        return new PositionedBatches() {
            // filled when asked, not ahead: a segmented component's decision (docs/spi2.md, section 3)
            // reaches the draws of every batch pulled after it
            private List<Draw> next;
            private boolean ended;

            /*
             * The draws go into an Object[] that List.of copies once into the immutable list Batch
             * keeps as it is (one copy; before, an ArrayList and then Batch's copy). Object[], not
             * Draw[]: a store into Draw[] makes the JIT check each draw's class, a read of the
             * draw's header that misses the cache when draws come from far apart in a large heap.
             * A new array per batch, not a reused one: stores into a young array pass G1's write
             * barrier cheaply, a reused one soon becomes old and each store then dirties a card.
             */
            @SuppressWarnings("unchecked")
            private List<Draw> fill() {
                Object[] b = new Object[size];
                int k = 0;
                while (k < size && draws.hasNext()) {
                    b[k++] = draws.next();
                }
                if (k == 0 || (dropIncomplete && k < size)) {
                    return null;
                }
                return (List<Draw>) (List<?>) List.of(k == size ? b : Arrays.copyOf(b, k));
            }

            @Override
            public boolean hasNext() {
                if (next == null && !ended) {
                    next = fill();
                    ended = next == null;
                }
                return next != null;
            }

            @Override
            public List<Draw> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Draw> b = next;
                next = null;
                return b;
            }

            /** The draws' place, when no batch is buffered and the draws can say theirs. */
            @Override
            public JsonNode position() {
                JsonNode up = next == null ? Positioned.of(draws) : null;
                if (up == null) {
                    return null;
                }
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.set("draws", up);
                o.put("ended", ended);
                return o;
            }

            @Override
            public void seek(JsonNode position) {
                if (!(draws instanceof Positioned p) || position == null || !position.has("draws")
                        || !position.path("ended").isBoolean()) {
                    throw new IllegalStateException("the fixed batcher's stream position must be {\"draws\": ..., "
                            + "\"ended\": true|false} over draws that can seek, got " + position);
                }
                p.seek(position.get("draws"));
                next = null;
                ended = position.get("ended").asBoolean();
            }

            /** Passes over {@code n} batches: their draws skipped in one call, no batch made. */
            @Override
            public long skip(long n) {
                long passed = 0;
                if (n > 0 && next != null) {
                    next = null;
                    passed = 1;
                }
                if (passed == n || ended) {
                    return passed;
                }
                long want = (n - passed) * size;
                long got = Skipping.skip(draws, want);
                passed += got / size;
                if (got < want) {
                    // the draws ended: a short last batch counts unless incomplete batches are dropped
                    passed += got % size > 0 && !dropIncomplete ? 1 : 0;
                    ended = true;
                }
                return passed;
            }
        };
    }

    /** A batch iterator that skips and seeks. */
    private interface PositionedBatches extends Skipping<List<Draw>>, Positioned {
    }

    /** {@code fixed}: {@code size} (>= 1), {@code drop_incomplete} (default false). */
    public static final class Provider implements BatcherProvider {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public String description() {
            return "consecutive draws in batches of a fixed size";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of(
                    ParamSpec.integer("size", "draws per batch").min(1),
                    ParamSpec.bool("drop_incomplete", "drop a last batch shorter than size").defaultsTo(false));
        }

        @Override
        public Batcher create(Params params, BuildContext context) {
            return of(params.getInt("size"), params.getBoolean("drop_incomplete"));
        }
    }
}
