package io.speechsampler.api.spi;

import io.speechsampler.api.draw.Draw;
import java.util.Iterator;

/**
 * Extension point "what to draw", second half: transforms the epoch's draw stream (map, filter,
 * re-sample, tag). Same determinism rule as {@link SourceSampler}: the output is a function of
 * the input, the context and this stage's state at the start of the epoch.
 */
public interface Stage extends Stateful {

    Iterator<Draw> apply(Iterator<Draw> upstream, EpochContext context);
}
