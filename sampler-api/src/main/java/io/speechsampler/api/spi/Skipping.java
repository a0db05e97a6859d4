package io.speechsampler.api.spi;

import java.util.Iterator;

/**
 * An iterator that can pass over elements without making them. A restore inside an epoch replays the
 * epoch from its start and passes over what was already trained (docs/spi2.md, section 3): an
 * iterator whose next elements do not depend on the skipped ones having been made (a shuffle's
 * order is index arithmetic) skips in O(1); a batcher of fixed size skips its draws in one call.
 * Iterators that do not implement it are skipped element by element ({@link #skip(Iterator, long)}).
 *
 * <p>Contract: after {@code skip(n)} returned {@code k}, the iterator is exactly where {@code k}
 * calls of {@code next()} would have left it, and {@code k < n} only when it has no next element.
 *
 * @param <T> the element type
 */
public interface Skipping<T> extends Iterator<T> {

    /** Passes over at most {@code n} elements; returns how many it passed over. */
    long skip(long n);

    /** Skips {@code n} elements of any iterator: in one call where it is {@link Skipping}, else one by one. */
    static long skip(Iterator<?> it, long n) {
        if (n <= 0) {
            return 0;
        }
        if (it instanceof Skipping<?> s) {
            return s.skip(n);
        }
        long k = 0;
        while (k < n && it.hasNext()) {
            it.next();
            k++;
        }
        return k;
    }
}
