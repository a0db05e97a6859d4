package io.speechsampler.hardmining.mining;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.api.io.TextLines;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * The TSV form of a {@link HardPairTable} ({@link HardPairTable.Format#TSV}): UTF-8, one line
 * {@code utterance<TAB>partner<TAB>distance} per pair, sorted by utterance id (String order) then
 * ascending distance, ties in the row's order; distances by {@link Double#toString(double)}, so a
 * round trip is exact. Lines are formatted into a byte buffer (ids encoded once each) and parsed
 * without regular expressions: at 3.2e7 pairs the text is about 1.4 GB.
 */
final class HardPairTsv {

    private static final int[] NO_PARTNERS = new int[0];
    private static final double[] NO_DISTANCES = new double[0];

    private HardPairTsv() {
    }

    static void write(HardPairTable table, OutputStream out) throws IOException {
        List<String> ids = table.utterances();
        Integer[] order = new Integer[ids.size()];
        byte[][] utf8 = new byte[ids.size()][];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            utf8[i] = ids.get(i).getBytes(StandardCharsets.UTF_8);
        }
        Arrays.sort(order, (a, b) -> ids.get(a).compareTo(ids.get(b)));
        byte[] buf = new byte[1 << 20];
        int pos = 0;
        for (int i : order) {
            int[] partners = table.partnerRow(i);
            double[] distances = table.distanceRow(i);
            byte[] u = utf8[i];
            for (int k = 0; k < partners.length; k++) {
                byte[] p = utf8[partners[k]];
                // Double.toString is locale-independent ('.') ASCII of at most 24 characters
                String d = Double.toString(distances[k]);
                int need = u.length + p.length + d.length() + 3;
                if (pos + need > buf.length) {
                    out.write(buf, 0, pos);
                    pos = 0;
                    if (need > buf.length) {
                        buf = new byte[2 * need];
                    }
                }
                System.arraycopy(u, 0, buf, pos, u.length);
                pos += u.length;
                buf[pos++] = '\t';
                System.arraycopy(p, 0, buf, pos, p.length);
                pos += p.length;
                buf[pos++] = '\t';
                for (int c = 0; c < d.length(); c++) {
                    buf[pos++] = (byte) d.charAt(c);
                }
                buf[pos++] = '\n';
            }
        }
        out.write(buf, 0, pos);
        out.flush();
    }

    /**
     * Reads a TSV table and checks it against {@code corpus}. Lines of one utterance are usually
     * together (as written); they need not be. Lines end in LF or CR LF.
     */
    static HardPairTable read(Path file, Corpus corpus) {
        Rows rows = new Rows(corpus.size());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            new LineParser(file, corpus, rows).parse(ch);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": hard pair table not found; expected the table written by 'sampler mine'"
                    + " (TSV, or binary .bin)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read hard pair table: " + AtomicFiles.reason(e), e);
        }
        rows.flush();
        int[] repeat = rows.firstRepeat();
        if (repeat != null) {
            String u = rows.ids.get(repeat[0]);
            String p = rows.ids.get(repeat[1]);
            throw lineError(file, lineOfRepeat(file, u, p), "pair '" + u + "' -> '" + p + "' is listed twice");
        }
        return HardPairTable.adopt(rows.ids, rows.partners.toArray(new int[0][]),
                rows.distances.toArray(new double[0][]));
    }

    /**
     * Splits the file's bytes into lines and fields without decoding whole lines: at 3.2e7 lines a
     * String per line and a regular expression per split cost more than the numbers.
     */
    private static final class LineParser {
        private final Path file;
        private final Corpus corpus;
        private final Rows rows;
        private byte[] buf = new byte[1 << 20];
        private int lineNo;
        /** The previous line's utterance, as bytes and as its corpus index. */
        private byte[] lastId = new byte[0];
        private int lastIdLength = -1;
        private String lastIdString;
        private int lastIndex = -1;

        LineParser(Path file, Corpus corpus, Rows rows) {
            this.file = file;
            this.corpus = corpus;
            this.rows = rows;
        }

        void parse(FileChannel ch) throws IOException {
            int have = 0;
            while (true) {
                if (have == buf.length) {
                    buf = Arrays.copyOf(buf, 2 * buf.length); // a line longer than the buffer
                }
                int r = ch.read(ByteBuffer.wrap(buf, have, buf.length - have));
                if (r < 0) {
                    if (have > 0) {
                        line(0, have);
                    }
                    return;
                }
                have += r;
                int start = 0;
                int nl;
                while ((nl = indexOf(buf, (byte) '\n', start, have)) >= 0) {
                    line(start, nl);
                    start = nl + 1;
                }
                System.arraycopy(buf, start, buf, 0, have - start);
                have -= start;
            }
        }

        /** One line, {@code buf[from, to)} without its LF. */
        private void line(int from, int to) {
            lineNo++;
            if (to > from && buf[to - 1] == '\r') {
                to--;
            }
            int t1 = indexOf(buf, (byte) '\t', from, to);
            int t2 = t1 < 0 ? -1 : indexOf(buf, (byte) '\t', t1 + 1, to);
            if (t1 <= from || t2 <= t1 + 1 || indexOf(buf, (byte) '\t', t2 + 1, to) >= 0) {
                throw lineError(file, lineNo, "expected 'utterance<TAB>partner<TAB>distance', got '"
                        + string(from, to) + "'");
            }
            // consecutive lines mostly share the utterance: look it up once per run
            if (t1 - from != lastIdLength || !Arrays.equals(buf, from, t1, lastId, 0, lastIdLength)) {
                lastIdString = string(from, t1);
                lastIndex = corpusIndex(file, lineNo, corpus, lastIdString);
                lastIdLength = t1 - from;
                if (lastId.length < lastIdLength) {
                    lastId = new byte[2 * lastIdLength];
                }
                System.arraycopy(buf, from, lastId, 0, lastIdLength);
            }
            int ui = lastIndex;
            String partnerId = string(t1 + 1, t2);
            int pi = corpusIndex(file, lineNo, corpus, partnerId);
            if (ui == pi) {
                throw lineError(file, lineNo, "utterance '" + lastIdString + "' is paired with itself");
            }
            if (corpus.speakerOf(ui) == corpus.speakerOf(pi)) {
                throw lineError(file, lineNo, "'" + lastIdString + "' and '" + partnerId + "' have the same speaker '"
                        + corpus.speakers().get(corpus.speakerOf(ui)) + "'; hard partners must be of other speakers");
            }
            String field = string(t2 + 1, to);
            double distance;
            try {
                distance = Double.parseDouble(field);
            } catch (NumberFormatException e) {
                throw lineError(file, lineNo, "distance is not a number: '" + field + "'");
            }
            if (!Double.isFinite(distance)) {
                throw lineError(file, lineNo, "distance is not finite: " + field);
            }
            rows.add(ui, lastIdString, pi, partnerId, distance);
        }

        /** {@code buf[from, to)} as text: Latin-1 (a plain copy) when it is ASCII, else UTF-8. */
        private String string(int from, int to) {
            for (int k = from; k < to; k++) {
                if (buf[k] < 0) {
                    return new String(buf, from, to - from, StandardCharsets.UTF_8);
                }
            }
            return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
        }

        private static int indexOf(byte[] b, byte c, int from, int to) {
            for (int k = from; k < to; k++) {
                if (b[k] == c) {
                    return k;
                }
            }
            return -1;
        }
    }

    /**
     * The table's rows as read: ids in order of first appearance, each row filled from runs of
     * consecutive lines (one run for a file as written, so each row is copied once).
     */
    private static final class Rows {
        final List<String> ids;
        final List<int[]> partners;
        final List<double[]> distances;
        /** Table index by corpus index, -1 until seen. */
        private final int[] tableIndex;
        private int runRow = -1;
        private int runLength;
        private int[] runPartners = new int[64];
        private double[] runDistances = new double[64];

        Rows(int corpusSize) {
            // sized for the whole corpus: growing lists of a million rows stalls on the collector
            ids = new ArrayList<>(corpusSize);
            partners = new ArrayList<>(corpusSize);
            distances = new ArrayList<>(corpusSize);
            tableIndex = new int[corpusSize];
            Arrays.fill(tableIndex, -1);
        }

        void add(int corpusU, String u, int corpusP, String p, double distance) {
            int row = intern(corpusU, u);
            int partner = intern(corpusP, p);
            if (row != runRow) {
                flush();
                runRow = row;
            }
            if (runLength == runPartners.length) {
                runPartners = Arrays.copyOf(runPartners, 2 * runLength);
                runDistances = Arrays.copyOf(runDistances, 2 * runLength);
            }
            runPartners[runLength] = partner;
            runDistances[runLength++] = distance;
        }

        private int intern(int corpusIndex, String id) {
            int t = tableIndex[corpusIndex];
            if (t < 0) {
                t = ids.size();
                tableIndex[corpusIndex] = t;
                ids.add(id);
                partners.add(NO_PARTNERS);
                distances.add(NO_DISTANCES);
            }
            return t;
        }

        /** Appends the current run to its row. */
        void flush() {
            if (runLength == 0) {
                return;
            }
            int[] p = partners.get(runRow);
            double[] d = distances.get(runRow);
            int[] np = Arrays.copyOf(p, p.length + runLength);
            double[] nd = Arrays.copyOf(d, d.length + runLength);
            System.arraycopy(runPartners, 0, np, p.length, runLength);
            System.arraycopy(runDistances, 0, nd, d.length, runLength);
            partners.set(runRow, np);
            distances.set(runRow, nd);
            runLength = 0;
        }

        /** The first (row, partner) listed twice, or null. */
        int[] firstRepeat() {
            int[] seenInRow = new int[ids.size()];
            for (int i = 0; i < partners.size(); i++) {
                for (int j : partners.get(i)) {
                    if (seenInRow[j] == i + 1) {
                        return new int[] {i, j};
                    }
                    seenInRow[j] = i + 1;
                }
            }
            return null;
        }
    }

    /** The line that lists {@code u -> p} the second time (the error path reads the file again). */
    private static int lineOfRepeat(Path file, String u, String p) {
        String prefix = u + '\t' + p + '\t';
        int[] lines = {0, -1};
        TextLines.forEach(file, "hard pair table", "hard pair table not found", (line, lineNo) -> {
            if (line.startsWith(prefix) && ++lines[0] == 2 && lines[1] < 0) {
                lines[1] = lineNo;
            }
        });
        if (lines[1] > 0) {
            return lines[1];
        }
        throw new IllegalStateException("pair '" + u + "' -> '" + p + "' is not listed twice in " + file);
    }

    private static int corpusIndex(Path file, int lineNo, Corpus corpus, String id) {
        OptionalInt i = corpus.indexOf(id);
        if (i.isEmpty()) {
            throw lineError(file, lineNo, "unknown utterance id '" + id + "' (not in corpus " + corpus.source() + ")");
        }
        return i.getAsInt();
    }

    private static ConfigException lineError(Path file, int lineNo, String message) {
        return new ConfigException(file + " line " + lineNo + ": " + message);
    }
}
