package io.speechsampler.hardmining.mining;

import java.util.Arrays;

/**
 * The {@code capacity} smallest (distance, index) pairs offered, in ascending (distance, index)
 * order, for one row of a miner. Offers must come in ascending index (a miner scans its columns in
 * order). They go into a buffer of twice the capacity; when it is full, it is cut back to a little
 * more than the capacity ({@link #cut()}) and the largest distance kept becomes the {@link
 * #bound()}: an offer above the bound cannot be among the smallest. An offer costs O(1)
 * amortised, where a binary heap pays O(log capacity) for each of the about {@code capacity *
 * ln(n / capacity)} offers that beat its maximum on random data, which made the heap the miner's
 * bottleneck once the engine did the products.
 *
 * <p>Order: among pairs of equal distance, the buffer holds the smaller index first (offers append
 * in ascending index, cuts keep the order, and the sort is stable), so a stable sort by distance
 * alone gives (distance, index) order. The sort is an LSD radix sort on the distances' bits that
 * skips the bytes all keys share: no comparisons, so no mispredicted branches.
 * Memory: {@code 2 * capacity} pairs.
 */
final class SmallestPairs {

    private final int capacity;
    private final double[] dist;
    private final int[] idx;
    private int size;
    private int lastIndex = Integer.MIN_VALUE;
    private double bound = Double.POSITIVE_INFINITY;

    SmallestPairs(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity is not at least 0: " + capacity);
        }
        this.capacity = capacity;
        dist = new double[2 * capacity];
        idx = new int[2 * capacity];
    }

    int capacity() {
        return capacity;
    }

    /**
     * An offer of a larger distance cannot be among the smallest and may be skipped; positive
     * infinity until the buffer was first cut.
     */
    double bound() {
        return bound;
    }

    /**
     * Lowers the bound to {@code b}: the caller has offered at least {@code capacity} pairs of
     * distance at most {@code b}, so no larger distance can be among the smallest.
     */
    void limit(double b) {
        bound = Math.min(bound, b);
    }

    /**
     * @throws IllegalArgumentException if {@code i} is not larger than every index offered before
     */
    void offer(double d, int i) {
        if (i <= lastIndex) {
            throw new IllegalArgumentException("index is not ascending: " + i + " after " + lastIndex);
        }
        lastIndex = i;
        if (capacity == 0 || d > bound) {
            return;
        }
        dist[size] = d;
        idx[size] = i;
        if (++size == dist.length) {
            cut();
        }
    }

    /**
     * Makes room in the full buffer with one radix step on the distances' keys: a histogram of the
     * 8 highest bits in which the keys differ finds the bucket that holds the {@code capacity}-th
     * smallest; the pairs in higher buckets go (each is beaten by at least {@code capacity} pairs
     * kept), and the largest distance kept becomes the bound. Branch-free passes that keep the
     * order; about {@code capacity * (1 + 2 / 256)} pairs stay. When that frees nothing (many
     * equal distances) the buffer is sorted and cut to the capacity exactly.
     */
    private void cut() {
        long first = RadixSort.key(dist[0]);
        long differ = 0;
        for (int a = 1; a < size; a++) {
            differ |= RadixSort.key(dist[a]) ^ first;
        }
        int shift = Math.max(0, 56 - Long.numberOfLeadingZeros(differ));
        int[] count = new int[256];
        for (int a = 0; a < size; a++) {
            count[RadixSort.digit(RadixSort.key(dist[a]), shift)]++;
        }
        int bucket = 0;
        int kept = count[0];
        while (kept < capacity) {
            kept += count[++bucket];
        }
        if (kept == size) {
            sortByDistance();
            size = capacity;
            bound = dist[capacity - 1];
            return;
        }
        int w = 0;
        double largest = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < size; a++) {
            double d = dist[a];
            int i = idx[a];
            boolean keep = RadixSort.digit(RadixSort.key(d), shift) <= bucket;
            dist[w] = d;
            idx[w] = i;
            w += keep ? 1 : 0;
            largest = keep ? Math.max(largest, d) : largest;
        }
        size = w;
        bound = largest;
    }

    /** How many pairs {@link #drainAscending} writes: the capacity, or fewer if fewer were offered. */
    int kept() {
        return Math.min(size, capacity);
    }

    /**
     * Writes the kept pairs to {@code indexes} and {@code distances} (of length at least {@link
     * #kept()}) in ascending (distance, index) order; the instance is spent.
     */
    void drainAscending(int[] indexes, double[] distances) {
        sortByDistance();
        int n = kept();
        System.arraycopy(idx, 0, indexes, 0, n);
        System.arraycopy(dist, 0, distances, 0, n);
        size = 0;
    }

    /** The buffer sorted by distance, stably ({@link RadixSort}). */
    private void sortByDistance() {
        RadixSort.sort(dist, idx, size);
    }
}
