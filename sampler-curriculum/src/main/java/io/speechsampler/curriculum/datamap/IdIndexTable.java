package io.speechsampler.curriculum.datamap;

import io.speechsampler.api.corpus.Corpus;

/**
 * Utterance id to corpus index, as {@link Corpus#indexOf} answers it, in an open-addressing table
 * (linear probing, load at most 1/2) built once per observer: per lookup one slot of a
 * {@code long[]} (the id's {@code String.hashCode} and the index) and one of a {@code String[]}
 * (the id, compared by identity first: the draws of a run hold the corpus's own id strings), both
 * at the same position, so the two loads go out together; no {@code Integer}, no map node. 12 bytes
 * per slot, 24 to 48 bytes per utterance, in memory only (not part of any state).
 */
final class IdIndexTable {

    private final long[] slots;
    private final String[] ids;
    private final int shift;

    private IdIndexTable(Corpus corpus) {
        int n = corpus.size();
        int bits = Math.max(2, 33 - Integer.numberOfLeadingZeros(Math.max(1, n)));
        if (bits > 30) {
            throw new IllegalArgumentException("datamap: " + n + " utterances are beyond its id table (at most 2^29)");
        }
        slots = new long[1 << bits];
        ids = new String[1 << bits];
        shift = 32 - bits;
        int mask = slots.length - 1;
        for (int i = 0; i < n; i++) {
            String id = corpus.get(i).id();
            int h = id.hashCode();
            int s = slot(h);
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = entry(h, i);
            ids[s] = id;
        }
    }

    static IdIndexTable of(Corpus corpus) {
        return new IdIndexTable(corpus);
    }

    private static long entry(int hash, int index) {
        return ((long) hash << 32) | (index + 1L);
    }

    /** Fibonacci hashing: the top bits of the product, so that similar ids spread. */
    int slot(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }

    /** The corpus index of {@code id}, whose {@code hashCode()} is {@code hash}; -1 when it is not in the corpus. */
    int indexOf(String id, int hash) {
        int mask = slots.length - 1;
        for (int s = slot(hash);; s = (s + 1) & mask) {
            long e = slots[s];
            if (e == 0) {
                return -1;
            }
            if ((int) (e >>> 32) == hash) {
                String c = ids[s];
                if (c == id || c.equals(id)) {
                    return (int) e - 1;
                }
            }
        }
    }

    int indexOf(String id) {
        return indexOf(id, id.hashCode());
    }
}
