package io.speechsampler.hardmining.mining;

/**
 * The {@code capacity} smallest (distance, index) pairs offered, in any index order: a binary
 * max-heap on (distance, index), so that among equal distances the smaller index wins whatever
 * order the offers come in ({@link SmallestPairs} needs ascending indexes, which an inverted-file
 * index, visiting its lists one by one, cannot give). Memory: {@code capacity} pairs.
 */
final class BoundedPairHeap {

    private final double[] dist;
    private final int[] idx;
    private int size;

    BoundedPairHeap(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity is not at least 0: " + capacity);
        }
        dist = new double[capacity];
        idx = new int[capacity];
    }

    int capacity() {
        return dist.length;
    }

    /** An offer of a larger distance cannot be kept; positive infinity until the heap is full. */
    double bound() {
        return size < dist.length ? Double.POSITIVE_INFINITY : dist[0];
    }

    /** Keeps (d, i) if it is among the smallest offered so far. */
    void offer(double d, int i) {
        if (size < dist.length) {
            int at = size++;
            while (at > 0) {
                int parent = (at - 1) >>> 1;
                if (!greater(d, i, dist[parent], idx[parent])) {
                    break;
                }
                dist[at] = dist[parent];
                idx[at] = idx[parent];
                at = parent;
            }
            dist[at] = d;
            idx[at] = i;
        } else if (size > 0 && greater(dist[0], idx[0], d, i)) {
            siftDown(d, i, size);
        }
    }

    /** Places (d, i) at the root's place and sifts it down within the first {@code n} entries. */
    private void siftDown(double d, int i, int n) {
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && greater(dist[child + 1], idx[child + 1], dist[child], idx[child])) {
                child++;
            }
            if (!greater(dist[child], idx[child], d, i)) {
                break;
            }
            dist[at] = dist[child];
            idx[at] = idx[child];
            at = child;
        }
        dist[at] = d;
        idx[at] = i;
    }

    private static boolean greater(double d1, int i1, double d2, int i2) {
        return d1 > d2 || d1 == d2 && i1 > i2;
    }

    /** How many pairs {@link #drainAscending} writes. */
    int kept() {
        return size;
    }

    /**
     * Writes the kept pairs to {@code indexes} and {@code distances} (of length at least {@link
     * #kept()}) in ascending (distance, index) order (heap sort); the instance is spent.
     */
    void drainAscending(int[] indexes, double[] distances) {
        for (int n = size; n > 0; n--) {
            double d = dist[0];
            int i = idx[0];
            indexes[n - 1] = i;
            distances[n - 1] = d;
            if (n > 1) {
                siftDown(dist[n - 1], idx[n - 1], n - 1);
            }
        }
        size = 0;
    }
}
