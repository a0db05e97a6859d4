package io.speechsampler.hardmining.mining;

/**
 * Stable LSD radix sort of (value, index) pairs by value, in {@link Double#compare} order, a byte
 * at a time through a second buffer, skipping the bytes in which all keys agree. Shared by the
 * scalar miners' one sort of the values and each row's bounded selection ({@link SmallestPairs});
 * a comparison sort of boxed indexes took about a second at N = 1e6.
 */
final class RadixSort {

    private RadixSort() {
    }

    /**
     * Sorts the first {@code size} entries of {@code values} ascending, moving {@code indexes}
     * along; equal values keep their order.
     */
    static void sort(double[] values, int[] indexes, int size) {
        if (size < 2) {
            return;
        }
        long first = key(values[0]);
        long differ = 0;
        for (int a = 1; a < size; a++) {
            differ |= key(values[a]) ^ first;
        }
        double[] fromValue = values;
        int[] fromIndex = indexes;
        double[] toValue = new double[size];
        int[] toIndex = new int[size];
        int[] count = new int[257];
        for (int shift = 0; shift < 64; shift += 8) {
            if ((differ >>> shift & 0xff) == 0) {
                continue;
            }
            java.util.Arrays.fill(count, 0);
            for (int a = 0; a < size; a++) {
                count[digit(key(fromValue[a]), shift) + 1]++;
            }
            for (int b = 0; b < 256; b++) {
                count[b + 1] += count[b];
            }
            for (int a = 0; a < size; a++) {
                int at = count[digit(key(fromValue[a]), shift)]++;
                toValue[at] = fromValue[a];
                toIndex[at] = fromIndex[a];
            }
            double[] tv = fromValue;
            fromValue = toValue;
            toValue = tv;
            int[] ti = fromIndex;
            fromIndex = toIndex;
            toIndex = ti;
        }
        if (fromValue != values) {
            System.arraycopy(fromValue, 0, values, 0, size);
            System.arraycopy(fromIndex, 0, indexes, 0, size);
        }
    }

    /** A key whose unsigned order is {@link Double#compare}'s (negative zero just below zero, NaN last). */
    static long key(double d) {
        long bits = Double.doubleToLongBits(d);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }

    /** The byte of {@code key} from bit {@code shift} up. */
    static int digit(long key, int shift) {
        return (int) (key >>> shift) & 0xff;
    }
}
