package io.speechsampler.core.batchers;

import io.speechsampler.api.config.ParamSpec;
import io.speechsampler.api.config.Params;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.spi.Batcher;
import io.speechsampler.api.spi.BatcherProvider;
import io.speechsampler.api.spi.BuildContext;
import io.speechsampler.api.spi.EpochContext;
import java.util.ArrayList;
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
    public Iterator<List<Draw>> batches(Iterator<Draw> draws, EpochContext context) {
        return new Iterator<>() {
            private List<Draw> next = fill();

            private List<Draw> fill() {
                List<Draw> b = new ArrayList<>(size);
                while (b.size() < size && draws.hasNext()) {
                    b.add(draws.next());
                }
                if (b.isEmpty() || (dropIncomplete && b.size() < size)) {
                    return null;
                }
                return b;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public List<Draw> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                List<Draw> b = next;
                next = fill();
                return b;
            }
        };
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
