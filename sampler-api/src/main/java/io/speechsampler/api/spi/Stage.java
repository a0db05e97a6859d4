package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Draw;
import java.util.Iterator;

/**
 * Extension point "what to draw", second half: transforms the epoch's draw stream (map, filter,
 * re-sample, tag). Same determinism rule as {@link SourceSampler}: the output is a function of
 * the input, the context and this stage's state at the start of the epoch.
 *
 * <p>The returned iterator may be consumed lazily, while training runs and outcomes arrive: it
 * must capture, when it is created, whatever state it reads, so that later state changes take
 * effect from the next epoch only (a {@link Segmented} stage reads its applied decision live).
 */
public interface Stage extends Stateful {

    Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context);

    /**
     * The upstream draws, each passed through {@code f} as it is taken: for stages that replace
     * draws one for one (f is called in stream order, so its random draws happen in that order).
     */
    /**
     * True when the stage gives exactly one draw for each upstream draw (a map), so that the
     * epoch's size is known in advance when the sampler's is; the run plan uses it.
     */
    default boolean oneForOne() {
        return false;
    }

    static Iterator<Draw> map(Iterator<Draw> upstream, java.util.function.UnaryOperator<Draw> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return upstream.hasNext();
            }

            @Override
            public Draw next() {
                return f.apply(upstream.next());
            }
        };
    }
}
