package io.speechsampler.hardmining.mining;

import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * The result of global hard sample mining (Wang et al., "Mining hard samples locally and globally
 * for improved speech separation", ICASSP 2022, section 2.3): for each utterance, its hard
 * partners, i.e. utterances of other speakers whose speaker parameter (median f0, x-vector,
 * energy) is closest, with their distances in ascending order.
 *
 * <p>File format (TSV, UTF-8): one line {@code utterance<TAB>partner<TAB>distance} per hard
 * pair, sorted by utterance id then ascending distance (ties keep the mining order). Distances
 * are written with {@link Double#toString(double)} so that a round trip is exact.
 */
public final class HardPairTable {

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
     * Reads a table written by {@link #write(Path)} and checks it against {@code corpus}: every id
     * is a corpus utterance and no pair has one speaker.
     *
     * @throws ConfigException naming the file (and line) for a missing or unreadable file, a
     *                         malformed line, an unknown id, a non-finite distance, a self pair,
     *                         a repeated pair or a same-speaker pair
     */
    public static HardPairTable read(Path file, Corpus corpus) {
        Objects.requireNonNull(corpus, "corpus");
        List<String> ids = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        List<List<Integer>> rowPartners = new ArrayList<>();
        List<List<Double>> rowDistances = new ArrayList<>();
        List<Set<Integer>> rowSeen = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String[] f = line.split("\t", -1);
                if (f.length != 3 || f[0].isEmpty() || f[1].isEmpty()) {
                    throw lineError(file, lineNo, "expected 'utterance<TAB>partner<TAB>distance', got '" + line + "'");
                }
                int ui = corpusIndex(file, lineNo, corpus, f[0]);
                int pi = corpusIndex(file, lineNo, corpus, f[1]);
                if (ui == pi) {
                    throw lineError(file, lineNo, "utterance '" + f[0] + "' is paired with itself");
                }
                if (corpus.speakerOf(ui) == corpus.speakerOf(pi)) {
                    throw lineError(file, lineNo, "'" + f[0] + "' and '" + f[1] + "' have the same speaker '"
                            + corpus.speakers().get(corpus.speakerOf(ui)) + "'; hard partners must be of other speakers");
                }
                double distance;
                try {
                    distance = Double.parseDouble(f[2]);
                } catch (NumberFormatException e) {
                    throw lineError(file, lineNo, "distance is not a number: '" + f[2] + "'");
                }
                if (!Double.isFinite(distance)) {
                    throw lineError(file, lineNo, "distance is not finite: " + f[2]);
                }
                int u = intern(f[0], ids, index, rowPartners, rowDistances, rowSeen);
                int p = intern(f[1], ids, index, rowPartners, rowDistances, rowSeen);
                if (!rowSeen.get(u).add(p)) {
                    throw lineError(file, lineNo, "pair '" + f[0] + "' -> '" + f[1] + "' is listed twice");
                }
                rowPartners.get(u).add(p);
                rowDistances.get(u).add(distance);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": hard pair table not found; expected the TSV written by mining");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read hard pair table: " + AtomicFiles.reason(e), e);
        } catch (UncheckedIOException e) {
            throw new ConfigException(file + ": cannot read hard pair table: " + AtomicFiles.reason(e.getCause()), e);
        }
        int[][] p = new int[ids.size()][];
        double[][] d = new double[ids.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = rowPartners.get(i).stream().mapToInt(Integer::intValue).toArray();
            d[i] = rowDistances.get(i).stream().mapToDouble(Double::doubleValue).toArray();
        }
        return of(ids, p, d);
    }

    private static int corpusIndex(Path file, int lineNo, Corpus corpus, String id) {
        OptionalInt i = corpus.indexOf(id);
        if (i.isEmpty()) {
            throw lineError(file, lineNo, "unknown utterance id '" + id + "' (not in corpus " + corpus.source() + ")");
        }
        return i.getAsInt();
    }

    private static int intern(String id, List<String> ids, Map<String, Integer> index, List<List<Integer>> rowPartners,
                              List<List<Double>> rowDistances, List<Set<Integer>> rowSeen) {
        Integer i = index.get(id);
        if (i != null) {
            return i;
        }
        ids.add(id);
        index.put(id, ids.size() - 1);
        rowPartners.add(new ArrayList<>());
        rowDistances.add(new ArrayList<>());
        rowSeen.add(new HashSet<>());
        return ids.size() - 1;
    }

    private static ConfigException lineError(Path file, int lineNo, String message) {
        return new ConfigException(file + " line " + lineNo + ": " + message);
    }

    /**
     * Writes the table as TSV, atomically: to a temporary file in the same directory, then renamed
     * over {@code file}, so a reader never sees a partial table.
     */
    public void write(Path file) {
        AtomicFiles.writeText(file, out -> {
            TreeMap<String, Integer> sorted = new TreeMap<>(indexOf);
            StringBuilder sb = new StringBuilder(128);
            for (Map.Entry<String, Integer> e : sorted.entrySet()) {
                int i = e.getValue();
                for (int k = 0; k < partners[i].length; k++) {
                    sb.setLength(0);
                    // Double.toString is locale-independent (always '.')
                    sb.append(e.getKey()).append('\t').append(ids.get(partners[i][k])).append('\t')
                            .append(distances[i][k]).append('\n');
                    out.append(sb);
                }
            }
        });
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
