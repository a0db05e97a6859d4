package io.speechsampler.curriculum.datamap;

import io.speechsampler.curriculum.datamap.DatamapRegions.Region;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The share of each region by factor bin ({@code regions.csv}): each seen utterance drawn with
 * factors falls, by its mean factors ({@link DatamapTable}), in one SNR bin, one speaker count (its
 * mean count rounded half up), one overlap bin and one domain ({@code synthetic}: never drawn
 * {@code real}; {@code real}: always; else {@code mixed}). SNR and overlap bins are given by
 * increasing edges e1 < ... < ek: {@code <e1}, {@code [e1;e2)}, ..., {@code >=ek}.
 *
 * @param snrEdgesDb   the SNR bins' edges in dB
 * @param overlapEdges the overlap bins' edges
 */
public record DatamapByFactor(double[] snrEdgesDb, double[] overlapEdges) {

    /** Default SNR edges (dB) of {@code sampler datamap --snr-bins}. */
    public static final double[] DEFAULT_SNR_EDGES_DB = {-5, 0, 5};
    /** Default overlap edges of {@code sampler datamap --overlap-bins}. */
    public static final double[] DEFAULT_OVERLAP_EDGES = {0.25, 0.5, 0.75};

    /** One row: in {@code bin} of {@code factor}, {@code count} utterances of {@code region}, a {@code share} of the bin. */
    public record Row(String factor, String bin, Region region, int count, double share) {
    }

    /**
     * @throws IllegalArgumentException when edges are not finite and strictly increasing
     */
    public DatamapByFactor {
        snrEdgesDb = check("SNR", snrEdgesDb);
        overlapEdges = check("overlap", overlapEdges);
    }

    private static double[] check(String what, double[] edges) {
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException(what + " bin edges are not finite and strictly increasing: "
                        + java.util.Arrays.toString(edges));
            }
        }
        return edges.clone();
    }

    private static String fmt(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** The label of the bin of {@code v}, and its order. */
    static Map.Entry<Integer, String> bin(double v, double[] edges) {
        if (edges.length == 0) {
            return Map.entry(0, "all");
        }
        if (v < edges[0]) {
            return Map.entry(0, "<" + fmt(edges[0]));
        }
        for (int i = 1; i < edges.length; i++) {
            if (v < edges[i]) {
                return Map.entry(i, "[" + fmt(edges[i - 1]) + ";" + fmt(edges[i]) + ")");
            }
        }
        return Map.entry(edges.length, ">=" + fmt(edges[edges.length - 1]));
    }

    /** The rows, factor by factor (snr_db, speakers, overlap, domain), bins in order, regions easy, ambiguous, hard. */
    public List<Row> rows(DatamapTable t, DatamapRegions r) {
        List<Row> out = new ArrayList<>();
        List<TreeMap<Integer, Object[]>> byFactor = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            byFactor.add(new TreeMap<>());
        }
        for (int i = 0; i < t.size(); i++) {
            Region region = r.regions()[i];
            if (region == Region.UNSEEN || t.factorDraws(i) == 0) {
                continue;
            }
            int speakers = (int) Math.floor(t.speakers(i) + 0.5);
            double real = t.realShare(i);
            List<Map.Entry<Integer, String>> bins = List.of(bin(t.snrDb(i), snrEdgesDb),
                    Map.entry(speakers, Integer.toString(speakers)), bin(t.overlap(i), overlapEdges),
                    real == 0 ? Map.entry(0, "synthetic") : real == 1 ? Map.entry(2, "real") : Map.entry(1, "mixed"));
            for (int f = 0; f < 4; f++) {
                Object[] cell = byFactor.get(f).computeIfAbsent(bins.get(f).getKey(),
                        k -> new Object[] {null, new int[Region.values().length]});
                cell[0] = bins.get(f).getValue();
                ((int[]) cell[1])[region.ordinal()]++;
            }
        }
        String[] names = {"snr_db", "speakers", "overlap", "domain"};
        for (int f = 0; f < 4; f++) {
            for (Object[] cell : byFactor.get(f).values()) {
                int[] c = (int[]) cell[1];
                int total = c[Region.EASY.ordinal()] + c[Region.AMBIGUOUS.ordinal()] + c[Region.HARD.ordinal()];
                for (Region region : List.of(Region.EASY, Region.AMBIGUOUS, Region.HARD)) {
                    out.add(new Row(names[f], (String) cell[0], region, c[region.ordinal()],
                            c[region.ordinal()] / (double) total));
                }
            }
        }
        return out;
    }

    /**
     * Writes {@code regions.csv}: {@code region,count,share} over the seen utterances; when some
     * utterance was drawn with factors, two more columns {@code factor,bin} ({@code all} and empty
     * on those rows) and the rows of {@link #rows}.
     */
    public void writeRegions(Writer w, DatamapTable t, DatamapRegions r) throws IOException {
        int[] counts = r.counts();
        int seen = t.size() - counts[Region.UNSEEN.ordinal()];
        boolean factors = t.hasFactors();
        w.write("region,count,share" + (factors ? ",factor,bin" : "") + "\n");
        for (Region region : List.of(Region.EASY, Region.AMBIGUOUS, Region.HARD)) {
            int c = counts[region.ordinal()];
            w.write(region.label() + "," + c + "," + (seen == 0 ? "" : share(c / (double) seen))
                    + (factors ? ",all," : "") + "\n");
        }
        if (factors) {
            for (Row row : rows(t, r)) {
                w.write(row.region().label() + "," + row.count() + "," + share(row.share()) + "," + row.factor() + ","
                        + row.bin() + "\n");
            }
        }
    }

    private static String share(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatamapByFactor d && java.util.Arrays.equals(snrEdgesDb, d.snrEdgesDb)
                && java.util.Arrays.equals(overlapEdges, d.overlapEdges);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(snrEdgesDb) * 31 + java.util.Arrays.hashCode(overlapEdges);
    }

    @Override
    public String toString() {
        return "DatamapByFactor" + java.util.Arrays.toString(snrEdgesDb) + java.util.Arrays.toString(overlapEdges);
    }
}
