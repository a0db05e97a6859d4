package io.speechsampler.audio.mix;

import io.speechsampler.api.draw.Draw;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;

/**
 * An epoch that visits every corpus index once, in an order shuffled up front by one stream (Commons
 * RNG's {@link PermutationSampler#shuffle}), and
 * makes each index's draw lazily as the iterator reaches it (what {@code dynamic-mixing} and
 * {@code recordings} share).
 */
final class ShuffledEpoch {

    private ShuffledEpoch() {
    }

    /**
     * @param size    indexes 0 to size - 1
     * @param order   the stream the order is shuffled with (all of it drawn here)
     * @param unit    what one draw is, for the message past the end ("mixtures")
     * @param drawOf  the draw of an index, called in iteration order
     */
    static Iterator<Draw> of(int size, UniformRandomProvider order, String unit, IntFunction<Draw> drawOf) {
        int[] indexes = new int[size];
        for (int i = 0; i < size; i++) {
            indexes[i] = i;
        }
        PermutationSampler.shuffle(order, indexes); // Fisher-Yates (Durstenfeld), i = n-1..1
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < indexes.length;
            }

            @Override
            public Draw next() {
                if (next >= indexes.length) {
                    throw new NoSuchElementException("the epoch has " + indexes.length + " " + unit);
                }
                return drawOf.apply(indexes[next++]);
            }
        };
    }
}
