package io.speechsampler.hardmining.mining;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.io.AtomicFiles;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.zip.CRC32C;

/**
 * The binary form of a {@link HardPairTable} ({@link HardPairTable.Format#BIN}, {@code .bin}),
 * version 1. Every number is little-endian:
 *
 * <pre>
 * offset  size         field
 * 0       8            magic: 0x89 'S' 'S' 'H' 'P' 'T' '\r' '\n'
 * 8       4            int32 version, 1
 * 12      4            int32 n: utterances (dictionary entries, rows)
 * 16      4            int32 m: partners in the longest row (M for a table mined with --partners M)
 * 20      4            int32 reserved, 0
 * 24      8            int64 pairs: partners in all rows
 * 32      8            int64 dictionary bytes, D
 * 40      D            dictionary: n entries of int32 length + that many bytes of UTF-8 utterance id
 * 40+D    4 n          int32 partners of each row, in dictionary order
 *         4 pairs      int32 partner, as an index into the dictionary; row after row, nearest first
 *         8 pairs      float64 (IEEE 754 binary64) distance of each partner, same order
 * end-4   4            CRC-32C of every byte before it
 * </pre>
 *
 * <p>Distances are binary64 so that the binary and the TSV form ({@link Double#toString}) hold the
 * same numbers and either converts to the other exactly; binary32 would save 4 of the 16 bytes a
 * pair, 128 MB at 3.2e7 pairs, and make the two forms differ. The magic's first byte is not ASCII
 * and its end is CR LF, so a file passed through a text-mode copy fails the check. A reader
 * compares the file's size with the header's before reading the body (a truncated file is named as
 * such) and checks the CRC before looking at the content (a damaged one is named as such), then
 * checks the content against the corpus as the TSV reader does.
 */
final class HardPairBinary {

    static final byte[] MAGIC = {(byte) 0x89, 'S', 'S', 'H', 'P', 'T', '\r', '\n'};
    static final int VERSION = 1;
    static final int HEADER_BYTES = 40;
    private static final int CRC_BYTES = 4;
    private static final int BUFFER = 1 << 20;

    private HardPairBinary() {
    }

    static void write(HardPairTable table, OutputStream out) throws IOException {
        List<String> ids = table.utterances();
        int n = ids.size();
        byte[][] utf8 = new byte[n][];
        long dictionaryBytes = 0;
        long pairs = 0;
        int longest = 0;
        for (int i = 0; i < n; i++) {
            utf8[i] = ids.get(i).getBytes(StandardCharsets.UTF_8);
            dictionaryBytes += 4 + utf8[i].length;
            pairs += table.partnerRow(i).length;
            longest = Math.max(longest, table.partnerRow(i).length);
        }
        Output o = new Output(out);
        o.bytes(MAGIC);
        o.int32(VERSION);
        o.int32(n);
        o.int32(longest);
        o.int32(0);
        o.int64(pairs);
        o.int64(dictionaryBytes);
        for (byte[] id : utf8) {
            o.int32(id.length);
            o.bytes(id);
        }
        for (int i = 0; i < n; i++) {
            o.int32(table.partnerRow(i).length);
        }
        for (int i = 0; i < n; i++) {
            for (int p : table.partnerRow(i)) {
                o.int32(p);
            }
        }
        for (int i = 0; i < n; i++) {
            for (double d : table.distanceRow(i)) {
                o.float64(d);
            }
        }
        o.finish();
    }

    /** Whether {@code file} exists and starts with {@link #MAGIC} (false for any read failure: the reader reports it). */
    static boolean startsWithMagic(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // until full or at the end
            }
            return !head.hasRemaining() && Arrays.equals(head.array(), MAGIC);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static HardPairTable read(Path file, Corpus corpus) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch, corpus);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": hard pair table not found; expected the table written by 'sampler mine'"
                    + " (TSV, or binary .bin)");
        } catch (EOFException e) {
            throw new ConfigException(file + ": binary hard pair table is truncated (it ended while being read); "
                    + "mine it again");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read hard pair table: " + AtomicFiles.reason(e), e);
        }
    }

    private static HardPairTable read(Path file, FileChannel ch, Corpus corpus) throws IOException {
        long size = ch.size();
        Input in = new Input(ch, Math.max(0, size - CRC_BYTES));
        int magicBytes = (int) Math.min(MAGIC.length, size);
        byte[] magic = in.bytes(magicBytes);
        if (!Arrays.equals(magic, 0, magicBytes, MAGIC, 0, magicBytes)) {
            throw new ConfigException(file + ": not a binary hard pair table (it does not start with the magic bytes"
                    + " of one); expected a table written by 'sampler mine --format bin'");
        }
        if (size < HEADER_BYTES + CRC_BYTES) {
            throw new ConfigException(file + ": binary hard pair table is truncated: " + size + " bytes, shorter than"
                    + " its " + (HEADER_BYTES + CRC_BYTES) + "-byte header and checksum; mine it again");
        }
        int version = in.int32();
        if (version != VERSION) {
            throw new ConfigException(file + ": binary hard pair table of version " + version + "; this build reads"
                    + " version " + VERSION + " (mine it again with this build)");
        }
        int n = in.int32();
        int longest = in.int32();
        int reserved = in.int32();
        long pairs = in.int64();
        long dictionaryBytes = in.int64();
        long expected = -1;
        if (n >= 0 && longest >= 0 && reserved == 0 && pairs >= 0 && pairs <= (long) n * longest
                && dictionaryBytes >= 5L * n) {
            try {
                expected = Math.addExact(Math.addExact(HEADER_BYTES + 4L * n + CRC_BYTES, dictionaryBytes),
                        Math.multiplyExact(12L, pairs));
            } catch (ArithmeticException e) {
                expected = -1;
            }
        }
        if (expected < 0) {
            throw damaged(file, "its header is not consistent (n " + n + ", m " + longest + ", pairs " + pairs
                    + ", dictionary " + dictionaryBytes + " bytes)");
        }
        if (size < expected) {
            throw new ConfigException(file + ": binary hard pair table is truncated: " + size + " bytes of the "
                    + expected + " its header announces; mine it again");
        }
        if (size > expected) {
            throw damaged(file, size + " bytes where its header announces " + expected);
        }
        String[] ids = new String[n];
        long dictionaryLeft = dictionaryBytes;
        for (int i = 0; i < n; i++) {
            int length = in.int32();
            if (length < 1 || length > dictionaryLeft - 4) {
                throw damaged(file, "dictionary entry " + i + " has length " + length);
            }
            ids[i] = new String(in.bytes(length), StandardCharsets.UTF_8);
            dictionaryLeft -= 4 + length;
        }
        if (dictionaryLeft != 0) {
            throw damaged(file, "its dictionary is " + (dictionaryBytes - dictionaryLeft) + " bytes, not "
                    + dictionaryBytes);
        }
        int[][] partners = new int[n][];
        double[][] distances = new double[n][];
        long counted = 0;
        for (int i = 0; i < n; i++) {
            int count = in.int32();
            if (count < 0 || count > longest) {
                throw damaged(file, "row " + i + " has " + count + " partners, not in [0, " + longest + "]");
            }
            counted += count;
            partners[i] = new int[count];
            distances[i] = new double[count];
        }
        if (counted != pairs) {
            throw damaged(file, "its rows hold " + counted + " pairs where its header says " + pairs);
        }
        for (int[] row : partners) {
            in.int32s(row);
        }
        for (double[] row : distances) {
            in.float64s(row);
        }
        int computed = in.checksum();
        int stored = in.int32();
        if (computed != stored) {
            throw damaged(file, "its CRC-32C is " + Integer.toHexString(computed) + " but it records "
                    + Integer.toHexString(stored));
        }
        check(file, corpus, ids, partners, distances);
        return HardPairTable.adopt(Arrays.asList(ids), partners, distances);
    }

    /** The checks of the TSV reader, on the rows of an intact file. */
    private static void check(Path file, Corpus corpus, String[] ids, int[][] partners, double[][] distances) {
        int n = ids.length;
        int[] speaker = new int[n];
        int[] seenAt = new int[corpus.size()];
        for (int i = 0; i < n; i++) {
            OptionalInt c = corpus.indexOf(ids[i]);
            if (c.isEmpty()) {
                throw new ConfigException(file + ": unknown utterance id '" + ids[i] + "' (not in corpus "
                        + corpus.source() + ")");
            }
            if (seenAt[c.getAsInt()] != 0) {
                throw damaged(file, "its dictionary lists '" + ids[i] + "' twice");
            }
            seenAt[c.getAsInt()] = i + 1;
            speaker[i] = corpus.speakerOf(c.getAsInt());
        }
        int[] seenInRow = new int[n];
        for (int i = 0; i < n; i++) {
            int[] row = partners[i];
            for (int k = 0; k < row.length; k++) {
                int j = row[k];
                if (j < 0 || j >= n) {
                    throw damaged(file, "partner " + k + " of '" + ids[i] + "' is " + j + ", not in [0, " + n + ")");
                }
                if (j == i) {
                    throw new ConfigException(file + ": utterance '" + ids[i] + "' is paired with itself");
                }
                if (speaker[i] == speaker[j]) {
                    throw new ConfigException(file + ": '" + ids[i] + "' and '" + ids[j] + "' have the same speaker '"
                            + corpus.speakers().get(speaker[i]) + "'; hard partners must be of other speakers");
                }
                if (seenInRow[j] == i + 1) {
                    throw new ConfigException(file + ": pair '" + ids[i] + "' -> '" + ids[j] + "' is listed twice");
                }
                seenInRow[j] = i + 1;
                if (!Double.isFinite(distances[i][k])) {
                    throw new ConfigException(file + ": distance of '" + ids[i] + "' to '" + ids[j]
                            + "' is not finite: " + distances[i][k]);
                }
            }
        }
    }

    private static ConfigException damaged(Path file, String why) {
        return new ConfigException(file + ": binary hard pair table is damaged: " + why + "; mine it again");
    }

    /** Little-endian writes through a buffer, with the CRC-32C of everything written. */
    private static final class Output {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        Output(OutputStream out) {
            this.out = out;
        }

        void bytes(byte[] b) throws IOException {
            for (int off = 0; off < b.length; ) {
                if (!buf.hasRemaining()) {
                    drain();
                }
                int k = Math.min(buf.remaining(), b.length - off);
                buf.put(b, off, k);
                off += k;
            }
        }

        void int32(int v) throws IOException {
            if (buf.remaining() < 4) {
                drain();
            }
            buf.putInt(v);
        }

        void int64(long v) throws IOException {
            if (buf.remaining() < 8) {
                drain();
            }
            buf.putLong(v);
        }

        void float64(double v) throws IOException {
            if (buf.remaining() < 8) {
                drain();
            }
            buf.putDouble(v);
        }

        private void drain() throws IOException {
            crc.update(buf.array(), 0, buf.position());
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }

        /** Writes the checksum of everything before it and flushes. */
        void finish() throws IOException {
            drain();
            buf.putInt((int) crc.getValue());
            out.write(buf.array(), 0, buf.position());
            buf.clear();
            out.flush();
        }
    }

    /**
     * Little-endian reads through a buffer, with the CRC-32C of the bytes before {@code checksummedEnd}
     * (the file's last four bytes are the checksum itself).
     */
    private static final class Input {
        private final FileChannel ch;
        private final long checksummedEnd;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        /** File position of the byte after those read into the buffer so far. */
        private long filled;

        Input(FileChannel ch, long checksummedEnd) {
            this.ch = ch;
            this.checksummedEnd = checksummedEnd;
            buf.limit(0);
        }

        /** Makes at least {@code k} (at most the buffer's size) bytes available. */
        private void need(int k) throws IOException {
            if (buf.remaining() >= k) {
                return;
            }
            buf.compact();
            while (buf.position() < k) {
                int start = buf.position();
                int r = ch.read(buf);
                if (r < 0) {
                    throw new EOFException();
                }
                long inChecksum = Math.max(0, Math.min(r, checksummedEnd - filled));
                crc.update(buf.array(), start, (int) inChecksum);
                filled += r;
            }
            buf.flip();
        }

        byte[] bytes(int k) throws IOException {
            byte[] out = new byte[k];
            for (int off = 0; off < k; ) {
                need(1);
                int m = Math.min(buf.remaining(), k - off);
                buf.get(out, off, m);
                off += m;
            }
            return out;
        }

        int int32() throws IOException {
            need(4);
            return buf.getInt();
        }

        long int64() throws IOException {
            need(8);
            return buf.getLong();
        }

        void int32s(int[] dst) throws IOException {
            for (int k = 0; k < dst.length; k++) {
                if (buf.remaining() < 4) {
                    need(4);
                }
                dst[k] = buf.getInt();
            }
        }

        void float64s(double[] dst) throws IOException {
            for (int k = 0; k < dst.length; k++) {
                if (buf.remaining() < 8) {
                    need(8);
                }
                dst[k] = buf.getDouble();
            }
        }

        /** The CRC-32C of the checksummed bytes, once all of them have been read. */
        int checksum() throws IOException {
            if (filled < checksummedEnd) {
                throw new EOFException();
            }
            return (int) crc.getValue();
        }
    }
}
