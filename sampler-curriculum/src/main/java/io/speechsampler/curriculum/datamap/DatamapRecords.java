package io.speechsampler.curriculum.datamap;

import io.speechsampler.api.state.SampleColumns;

/**
 * The datamap's per-sample state in memory, laid out for the outcome path: the state's eight
 * columns (32 bytes per sample, {@link TseDatamap#layout}) held as five arrays, each packing what
 * one path touches together, so that an outcome reads and writes one 8-byte slot of one array
 * (an outcome with factors: three), not two or five 4-byte columns:
 *
 * <ul>
 *   <li>{@code pending}: the epoch's fixed-point score sum (high int) and the counts word (low int:
 *       the epoch's outcomes and the epochs seen); every outcome;</li>
 *   <li>{@code tally}: the correct epochs / draws with factors word (low int) and the SNR sum (high
 *       int); outcomes with factors, epoch ends;</li>
 *   <li>{@code word}: the factor word (overlap, speaker and {@code real} sums); outcomes with
 *       factors;</li>
 *   <li>{@code mean} and {@code m2}: Welford's, at epoch ends only.</li>
 * </ul>
 *
 * <p>Copy on write per array, as {@link SampleColumns}: {@link #snapshot()} shares the arrays in
 * O(1), and the first write to an array after it copies that array.
 */
final class DatamapRecords {

    private static final int PENDING = 1;
    private static final int TALLY = 2;
    private static final int WORD = 4;
    private static final int STATS = 8;
    private static final int ALL = PENDING | TALLY | WORD | STATS;

    private final int size;
    private long[] pending;
    private long[] tally;
    private long[] word;
    private float[] mean;
    private float[] m2;
    /** Arrays a snapshot holds too (bits above); the next write to one copies it. */
    private int shared;
    private final boolean readOnly;
    /** Counts the calls that may write (the {@code ...ForWrite} methods): unchanged means unwritten. */
    private long writes;

    private DatamapRecords(int size, long[] pending, long[] tally, long[] word, float[] mean, float[] m2,
                           boolean readOnly) {
        this.size = size;
        this.pending = pending;
        this.tally = tally;
        this.word = word;
        this.mean = mean;
        this.m2 = m2;
        this.readOnly = readOnly;
    }

    /** Every sample unseen. */
    static DatamapRecords empty(int size) {
        return new DatamapRecords(size, new long[size], new long[size], new long[size], new float[size],
                new float[size], false);
    }

    int size() {
        return size;
    }

    /** A read-only view of the values now, in O(1). */
    DatamapRecords snapshot() {
        if (readOnly) {
            return this;
        }
        shared = ALL;
        return new DatamapRecords(size, pending, tally, word, mean, m2, true);
    }

    /** Changes whenever an array may have been written since: equal values mean the same contents. */
    long writes() {
        return writes;
    }

    static long pack(int low, int high) {
        return (low & 0xFFFFFFFFL) | ((long) high << 32);
    }

    static int low(long v) {
        return (int) v;
    }

    static int high(long v) {
        return (int) (v >>> 32);
    }

    long pending(int i) {
        return pending[i];
    }

    long tally(int i) {
        return tally[i];
    }

    long word(int i) {
        return word[i];
    }

    float mean(int i) {
        return mean[i];
    }

    float m2(int i) {
        return m2[i];
    }

    private void writable(int bit) {
        if (readOnly) {
            throw new UnsupportedOperationException("a snapshot of datamap records is read-only");
        }
        writes++;
        if ((shared & bit) != 0) {
            switch (bit) {
                case PENDING -> pending = pending.clone();
                case TALLY -> tally = tally.clone();
                case WORD -> word = word.clone();
                default -> {
                    mean = mean.clone();
                    m2 = m2.clone();
                }
            }
            shared &= ~bit;
        }
    }

    /** The pending array, to write (copied first if a snapshot holds it). */
    long[] pendingForWrite() {
        writable(PENDING);
        return pending;
    }

    long[] tallyForWrite() {
        writable(TALLY);
        return tally;
    }

    long[] wordForWrite() {
        writable(WORD);
        return word;
    }

    float[] meanForWrite() {
        writable(STATS);
        return mean;
    }

    float[] m2ForWrite() {
        writable(STATS);
        return m2;
    }

    /** The state's columns ({@link TseDatamap#layout}), O(N). */
    SampleColumns toColumns() {
        SampleColumns c = TseDatamap.layout(size);
        int epochSum = c.column(TseDatamap.EPOCH_SUM);
        int counts = c.column(TseDatamap.COUNTS);
        int correctDraws = c.column(TseDatamap.CORRECT_DRAWS);
        int snrSum = c.column(TseDatamap.SNR_SUM);
        int lo = c.column(TseDatamap.FACTORS_LO);
        int hi = c.column(TseDatamap.FACTORS_HI);
        int meanColumn = c.column(TseDatamap.MEAN);
        int m2Column = c.column(TseDatamap.M2);
        for (int i = 0; i < size; i++) {
            c.setInt(epochSum, i, high(pending[i]));
            c.setInt(counts, i, low(pending[i]));
        }
        for (int i = 0; i < size; i++) {
            c.setInt(correctDraws, i, low(tally[i]));
            c.setInt(snrSum, i, high(tally[i]));
        }
        for (int i = 0; i < size; i++) {
            c.setInt(lo, i, low(word[i]));
            c.setInt(hi, i, high(word[i]));
        }
        for (int i = 0; i < size; i++) {
            c.setFloat(meanColumn, i, mean[i]);
            c.setFloat(m2Column, i, m2[i]);
        }
        return c;
    }

    /** Records of columns in {@link TseDatamap#layout} (checked by the caller), O(N). */
    static DatamapRecords fromColumns(SampleColumns c) {
        int n = c.size();
        DatamapRecords r = empty(n);
        int epochSum = c.column(TseDatamap.EPOCH_SUM);
        int counts = c.column(TseDatamap.COUNTS);
        int correctDraws = c.column(TseDatamap.CORRECT_DRAWS);
        int snrSum = c.column(TseDatamap.SNR_SUM);
        int lo = c.column(TseDatamap.FACTORS_LO);
        int hi = c.column(TseDatamap.FACTORS_HI);
        int meanColumn = c.column(TseDatamap.MEAN);
        int m2Column = c.column(TseDatamap.M2);
        for (int i = 0; i < n; i++) {
            r.pending[i] = pack(c.getInt(counts, i), c.getInt(epochSum, i));
            r.tally[i] = pack(c.getInt(correctDraws, i), c.getInt(snrSum, i));
            r.word[i] = pack(c.getInt(lo, i), c.getInt(hi, i));
            r.mean[i] = c.getFloat(meanColumn, i);
            r.m2[i] = c.getFloat(m2Column, i);
        }
        return r;
    }
}
