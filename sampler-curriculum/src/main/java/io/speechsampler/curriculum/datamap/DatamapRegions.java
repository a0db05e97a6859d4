package io.speechsampler.curriculum.datamap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cartography's regions of a datamap: of the samples seen, the {@code ambiguousShare} of highest
 * variability are {@link Region#AMBIGUOUS} ({@code round(share * n)} samples; ties broken by corpus
 * order); of the rest, confidence above the cut is {@link Region#EASY} and at or below it
 * {@link Region#HARD}, where the cut is a given value or, by default, the median confidence of the
 * rest (the mean of the middle two for an even count). Samples never seen are {@link Region#UNSEEN}.
 *
 * @param regions           each sample's region, by corpus index
 * @param variabilityCut    the lowest variability among the ambiguous samples (NaN when none)
 * @param confidenceCut     the confidence cut between easy and hard (NaN when no sample is left)
 */
public record DatamapRegions(Region[] regions, double variabilityCut, double confidenceCut) {

    /** The regions, in the order they are reported. */
    public enum Region {
        EASY, AMBIGUOUS, HARD, UNSEEN;

        /** The lower-case name written to files. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Default share of the seen samples that are ambiguous: variability's top third. */
    public static final double DEFAULT_AMBIGUOUS_SHARE = 1.0 / 3;

    /**
     * @param confidenceCut the easy/hard cut, or NaN for the median of the non-ambiguous samples
     * @throws IllegalArgumentException for a share outside [0, 1]
     */
    public static DatamapRegions assign(DatamapTable table, double ambiguousShare, double confidenceCut) {
        if (!(ambiguousShare >= 0 && ambiguousShare <= 1)) {
            throw new IllegalArgumentException("ambiguous share is not in [0, 1]: " + ambiguousShare);
        }
        int n = table.size();
        Region[] r = new Region[n];
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (table.epochsSeen(i) == 0) {
                r[i] = Region.UNSEEN;
            } else {
                seen.add(i);
            }
        }
        seen.sort(Comparator.comparingDouble((Integer i) -> -table.variability(i)).thenComparingInt(i -> i));
        int ambiguous = (int) Math.round(ambiguousShare * seen.size());
        double varCut = Double.NaN;
        for (int k = 0; k < ambiguous; k++) {
            r[seen.get(k)] = Region.AMBIGUOUS;
            varCut = table.variability(seen.get(k));
        }
        List<Integer> rest = seen.subList(ambiguous, seen.size());
        double cut = confidenceCut;
        if (Double.isNaN(cut) && !rest.isEmpty()) {
            double[] c = rest.stream().mapToDouble(table::confidence).sorted().toArray();
            int m = c.length / 2;
            cut = c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
        }
        for (int i : rest) {
            r[i] = table.confidence(i) > cut ? Region.EASY : Region.HARD;
        }
        return new DatamapRegions(r, varCut, cut);
    }

    /** Samples per region, in {@link Region} order. */
    public int[] counts() {
        int[] c = new int[Region.values().length];
        for (Region x : regions) {
            c[x.ordinal()]++;
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatamapRegions d && Arrays.equals(regions, d.regions)
                && Double.compare(variabilityCut, d.variabilityCut) == 0
                && Double.compare(confidenceCut, d.confidenceCut) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(regions) * 31 + Double.hashCode(confidenceCut);
    }

    @Override
    public String toString() {
        return "DatamapRegions" + Arrays.toString(counts());
    }
}
