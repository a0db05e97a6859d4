package io.speechsampler.spark;

import java.io.Serializable;

/**
 * Up to {@code limit} (distance, partner) pairs of one row of the distance matrix, in ascending
 * (distance, partner index) order: the smallest of the columns seen so far. The smallest {@code
 * limit} of a union are the smallest {@code limit} of the parts' smallest, so rows mined tile by
 * tile {@link #merge} into exactly the row one machine selects over all columns at once.
 */
final class RowCandidates implements Serializable {

    private static final long serialVersionUID = 1L;

    final int limit;
    final int[] partners;
    final double[] distances;

    RowCandidates(int limit, int[] partners, double[] distances) {
        this.limit = limit;
        this.partners = partners;
        this.distances = distances;
    }

    /** Whether (d1, i1) comes before (d2, i2). */
    static boolean before(double d1, int i1, double d2, int i2) {
        int c = Double.compare(d1, d2);
        return c < 0 || c == 0 && i1 < i2;
    }

    /** The smallest {@code limit} pairs of both. */
    static RowCandidates merge(RowCandidates a, RowCandidates b) {
        int n = Math.min(a.limit, a.partners.length + b.partners.length);
        int[] p = new int[n];
        double[] d = new double[n];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n; k++) {
            boolean fromA = j >= b.partners.length || i < a.partners.length
                    && before(a.distances[i], a.partners[i], b.distances[j], b.partners[j]);
            if (fromA) {
                p[k] = a.partners[i];
                d[k] = a.distances[i++];
            } else {
                p[k] = b.partners[j];
                d[k] = b.distances[j++];
            }
        }
        return new RowCandidates(a.limit, p, d);
    }

    /**
     * The {@code limit} smallest of a bounded max-heap's offers: {@link #offer} pairs, then
     * {@link #drain}. Offers may come in any order.
     */
    static final class Selection {
        private final int limit;
        private final double[] dist;
        private final int[] idx;
        private int size;

        Selection(int limit) {
            this.limit = limit;
            dist = new double[limit];
            idx = new int[limit];
        }

        void offer(double d, int i) {
            if (size < limit) {
                int k = size++;
                while (k > 0) {
                    int parent = (k - 1) >> 1;
                    if (!before(dist[parent], idx[parent], d, i)) {
                        break;
                    }
                    dist[k] = dist[parent];
                    idx[k] = idx[parent];
                    k = parent;
                }
                dist[k] = d;
                idx[k] = i;
            } else if (limit > 0 && before(d, i, dist[0], idx[0])) {
                siftDown(d, i, size);
            }
        }

        /** Puts (d, i) at the root of the first {@code n} entries and restores the heap. */
        private void siftDown(double d, int i, int n) {
            int k = 0;
            while (true) {
                int child = 2 * k + 1;
                if (child >= n) {
                    break;
                }
                if (child + 1 < n && before(dist[child], idx[child], dist[child + 1], idx[child + 1])) {
                    child++;
                }
                if (!before(d, i, dist[child], idx[child])) {
                    break;
                }
                dist[k] = dist[child];
                idx[k] = idx[child];
                k = child;
            }
            dist[k] = d;
            idx[k] = i;
        }

        /** The kept pairs in ascending order; the selection is spent. */
        RowCandidates drain() {
            int n = size;
            for (int end = n - 1; end > 0; end--) {
                double d = dist[end];
                int i = idx[end];
                dist[end] = dist[0];
                idx[end] = idx[0];
                siftDown(d, i, end);
            }
            int[] p = java.util.Arrays.copyOf(idx, n);
            double[] ds = java.util.Arrays.copyOf(dist, n);
            size = 0;
            return new RowCandidates(limit, p, ds);
        }
    }
}
