package io.speechsampler.hardmining.mining;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The result of global hard sample mining (Wang et al., "Mining hard samples locally and globally
 * for improved speech separation", ICASSP 2022, section 2.3): for each utterance, its hard
 * partners, i.e. utterances of other speakers whose speaker parameter (median f0, x-vector,
 * energy) is closest, with their distances in ascending order.
 *
 * <p>Rows are per pivot: utterance {@code a}'s row lists {@code a}'s partners, as the {@code
 * hard-resample} stage draws them (a uniform draw from the pivot's row). A pair found from both
 * sides (each among the other's nearest) is therefore in both rows, {@code a -> b} and {@code b ->
 * a}; one found from one side only is in that side's row only. Nothing is merged or deduplicated
 * across rows, so every row holds exactly the partners its miner selected.
 *
 * <p>Two file formats hold the same content, chosen by {@link Format}: {@link Format#TSV} for
 * people and other tools ({@link HardPairTsv}), {@link Format#BIN} for size and speed ({@link
 * HardPairBinary}: about 12 bytes a pair against about 50; at 3.2e7 pairs written about 30 times
 * and read 9 to 20 times faster, BENCHMARKS.md section 8). Distances are kept exactly in both.
 */
public final class HardPairTable {

    /** The file formats of a table. */
    public enum Format {
        /**
         * UTF-8 text, one line {@code utterance<TAB>partner<TAB>distance} per pair, sorted by utterance
         * id then ascending distance (ties keep the mining order); distances written with {@link
         * Double#toString(double)}, so a round trip is exact.
         */
        TSV(".tsv"),
        /** The compact binary table of {@link HardPairBinary}: little-endian, checksummed. */
        BIN(".bin");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        /** The file name extension this format is written with, {@code .tsv} or {@code .bin}. */
        public String extension() {
            return extension;
        }

        /** {@link #BIN} for a name ending in {@code .bin} (any case), else {@link #TSV}. */
        public static Format byName(Path file) {
            Path name = file.getFileName();
            return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(BIN.extension) ? BIN
                    : TSV;
        }
    }

    private final List<String> ids;
    private final Map<String, Integer> indexOf;
    private final int[][] partners;
    private final double[][] distances;
    private final long pairCount;

    private HardPairTable(List<String> ids, Map<String, Integer> indexOf, int[][] partners, double[][] distances) {
        this.ids = ids;
        this.indexOf = indexOf;
        this.partners = partners;
        this.distances = distances;
        long n = 0;
        for (int[] p : partners) {
            n += p.length;
        }
        this.pairCount = n;
    }

    /**
     * A table over utterances {@code ids} (distinct): row {@code i} lists utterance {@code i}'s
     * partners as indexes into {@code ids} with their distances. Each row is stably sorted by
     * ascending distance.
     *
     * @throws IllegalArgumentException for duplicate ids, rows of different lengths, a partner
     *                                  index out of range, a self pair, a repeated partner or a
     *                                  non-finite distance
     */
    public static HardPairTable of(List<String> ids, int[][] partners, double[][] distances) {
        return of(ids, partners, distances, true);
    }

    /**
     * {@link #of(List, int[][], double[][])} for a miner that hands its new rows over and never
     * touches them again: rows already in ascending order are kept, not copied (a table of 1e4
     * utterances at P_M 4% holds 4e6 pairs).
     */
    static HardPairTable adopt(List<String> ids, int[][] partners, double[][] distances) {
        return of(ids, partners, distances, false);
    }

    private static HardPairTable of(List<String> ids, int[][] partners, double[][] distances, boolean copy) {
        List<String> idList = List.copyOf(ids);
        if (partners.length != idList.size() || distances.length != idList.size()) {
            throw new IllegalArgumentException("partners and distances need one row per id (" + idList.size()
                    + "), got " + partners.length + " and " + distances.length);
        }
        Map<String, Integer> index = new HashMap<>(idList.size() * 2);
        for (int i = 0; i < idList.size(); i++) {
            if (index.put(idList.get(i), i) != null) {
                throw new IllegalArgumentException("ids has a duplicate: '" + idList.get(i) + "'");
            }
        }
        int[][] p = new int[idList.size()][];
        double[][] d = new double[idList.size()][];
        // seenInRow[j] == i + 1: row i lists j (no per-row set: the miners hand over millions of pairs)
        int[] seenInRow = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            if (partners[i].length != distances[i].length) {
                throw new IllegalArgumentException("row " + i + " ('" + idList.get(i) + "') has " + partners[i].length
                        + " partners but " + distances[i].length + " distances");
            }
            boolean sorted = true;
            for (int k = 0; k < partners[i].length; k++) {
                int j = partners[i][k];
                if (j < 0 || j >= p.length) {
                    throw new IllegalArgumentException("partner index is not in [0, " + (p.length - 1) + "]: " + j);
                }
                if (j == i) {
                    throw new IllegalArgumentException("utterance '" + idList.get(i) + "' is its own partner");
                }
                if (seenInRow[j] == i + 1) {
                    throw new IllegalArgumentException("utterance '" + idList.get(i) + "' lists partner '"
                            + idList.get(j) + "' twice");
                }
                seenInRow[j] = i + 1;
                if (!Double.isFinite(distances[i][k])) {
                    throw new IllegalArgumentException("distance of '" + idList.get(i) + "' to '" + idList.get(j)
                            + "' is not finite: " + distances[i][k]);
                }
                sorted &= k == 0 || Double.compare(distances[i][k - 1], distances[i][k]) <= 0;
            }
            if (sorted) {
                p[i] = copy ? partners[i].clone() : partners[i];
                d[i] = copy ? distances[i].clone() : distances[i];
            } else {
                sortRow(partners[i].clone(), distances[i].clone(), p, d, i);
            }
        }
        return new HardPairTable(idList, Collections.unmodifiableMap(index), p, d);
    }

    private static void sortRow(int[] rowPartners, double[] rowDistances, int[][] p, double[][] d, int i) {
        Integer[] order = new Integer[rowPartners.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(rowDistances[a], rowDistances[b]));
        p[i] = new int[order.length];
        d[i] = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            p[i][k] = rowPartners[order[k]];
            d[i][k] = rowDistances[order[k]];
        }
    }

    /**
     * Reads a table written by {@link #write(Path, Format)} and checks it against {@code corpus}:
     * every id is a corpus utterance and no pair has one speaker. The format is detected: a file
     * that starts with the binary table's magic bytes is read as {@link Format#BIN}, any other as
     * {@link Format#TSV}, except that a name ending in {@code .bin} must be binary.
     *
     * @throws ConfigException naming the file (and line, for TSV) for a missing or unreadable file,
     *                         a malformed line, a truncated or damaged binary table, an unknown
     *                         id, a non-finite distance, a self pair, a repeated pair or a
     *                         same-speaker pair
     */
    public static HardPairTable read(Path file, Corpus corpus) {
        Objects.requireNonNull(corpus, "corpus");
        return HardPairBinary.startsWithMagic(file) || Format.byName(file) == Format.BIN
                ? HardPairBinary.read(file, corpus) : HardPairTsv.read(file, corpus);
    }

    /** Writes the table as TSV, atomically ({@link #write(Path, Format)}). */
    public void write(Path file) {
        write(file, Format.TSV);
    }

    /**
     * Writes the table in {@code format}, atomically: to a temporary file in the same directory,
     * then renamed over {@code file}, so a reader never sees a partial table.
     */
    public void write(Path file, Format format) {
        Objects.requireNonNull(format, "format");
        AtomicFiles.write(file, out -> writeTo(out, format));
    }

    /** Streams the table in {@code format} into {@code out} (buffered here; {@code out} need not be). */
    public void writeTo(OutputStream out, Format format) throws IOException {
        switch (format) {
            case TSV -> HardPairTsv.write(this, out);
            case BIN -> HardPairBinary.write(this, out);
            default -> throw new IllegalStateException("unknown format " + format);
        }
    }

    /** Rows of the table, for the format classes: utterance {@code i}'s partners (not a copy). */
    int[] partnerRow(int i) {
        return partners[i];
    }

    /** The distances of {@link #partnerRow}, ascending (not a copy). */
    double[] distanceRow(int i) {
        return distances[i];
    }

    /** The utterances the table knows (those with partners and those that are partners), in no set order. */
    public List<String> utterances() {
        return ids;
    }

    /** Whether {@code id} has at least one hard partner. */
    public boolean hasPartners(String id) {
        Integer i = indexOf.get(id);
        return i != null && partners[i].length > 0;
    }

    /** {@code id}'s hard partners, nearest first; empty for an utterance without any (or unknown). */
    public List<String> partnersOf(String id) {
        Integer i = indexOf.get(id);
        if (i == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(partners[i].length);
        for (int j : partners[i]) {
            out.add(ids.get(j));
        }
        return Collections.unmodifiableList(out);
    }

    /** The distances of {@link #partnersOf(String)}, ascending; empty when there are none. */
    public double[] distancesOf(String id) {
        Integer i = indexOf.get(id);
        return i == null ? new double[0] : distances[i].clone();
    }

    /** How many hard partners {@code id} has. */
    public int partnerCount(String id) {
        Integer i = indexOf.get(id);
        return i == null ? 0 : partners[i].length;
    }

    /** {@code id}'s {@code k}-th nearest hard partner, {@code k} in [0, {@link #partnerCount}). */
    public String partner(String id, int k) {
        Integer i = indexOf.get(id);
        if (i == null || k < 0 || k >= partners[i].length) {
            throw new IndexOutOfBoundsException("partner " + k + " of '" + id + "' (it has " + partnerCount(id) + ")");
        }
        return ids.get(partners[i][k]);
    }

    /** Total number of (utterance, partner) lines. */
    public long pairCount() {
        return pairCount;
    }

    /** Equal when every utterance has the same partners, in the same order, at the same distances. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HardPairTable t)) {
            return false;
        }
        Set<String> all = new HashSet<>(ids);
        all.addAll(t.ids);
        for (String id : all) {
            if (!partnersOf(id).equals(t.partnersOf(id)) || !Arrays.equals(distancesOf(id), t.distancesOf(id))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < ids.size(); i++) {
            if (partners[i].length > 0) {
                h += ids.get(i).hashCode() ^ partnersOf(ids.get(i)).hashCode() ^ Arrays.hashCode(distances[i]);
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "HardPairTable[" + ids.size() + " utterances, " + pairCount + " pairs]";
    }
}
