package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.hardmining.mining.HardPairTable.Format;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary hard pair table: its layout, its detection and every way a file can be unusable. */
class HardPairTableFormatsTest {

    @TempDir
    Path dir;

    private static final Corpus CORPUS = HardPairTableTest.corpus(); // a, b: x; c: y; d: z

    private byte[] binary() throws IOException {
        Path f = dir.resolve("sample.bin");
        HardPairTableTest.sample().write(f, Format.BIN);
        return Files.readAllBytes(f);
    }

    @Test
    void theLayoutIsTheDocumentedOne() throws IOException {
        byte[] b = binary();
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(Arrays.equals(HardPairBinary.MAGIC, Arrays.copyOf(b, 8)));
        assertEquals(1, in.getInt(8), "version");
        assertEquals(4, in.getInt(12), "utterances");
        assertEquals(2, in.getInt(16), "longest row");
        assertEquals(0, in.getInt(20));
        assertEquals(5, in.getLong(24), "pairs");
        assertEquals(4 * 5, in.getLong(32), "dictionary: four one-byte ids with their lengths");
        assertEquals(1, in.getInt(40));
        assertEquals('a', b[44]);
        int counts = 40 + 20;
        assertEquals(List.of(2, 1, 2, 0), List.of(in.getInt(counts), in.getInt(counts + 4), in.getInt(counts + 8),
                in.getInt(counts + 12)));
        int partners = counts + 16;
        // row a nearest first: c (0.25), d (0.5)
        assertEquals(List.of(2, 3), List.of(in.getInt(partners), in.getInt(partners + 4)));
        int distances = partners + 5 * 4;
        assertEquals(0.25, in.getDouble(distances));
        assertEquals(distances + 5 * 8 + 4, b.length, "ends with the checksum");
    }

    @Test
    void bothFormatsReadBackEqualAndTheFormatIsToldByTheFirstBytes() throws IOException {
        Path tsv = dir.resolve("hard.tsv");
        HardPairTableTest.sample().write(tsv);
        Path binNamedTsv = dir.resolve("binary-named.tsv");
        Files.write(binNamedTsv, binary());
        assertEquals(HardPairTableTest.sample(), HardPairTable.read(tsv, CORPUS));
        assertEquals(HardPairTableTest.sample(), HardPairTable.read(binNamedTsv, CORPUS));
        assertEquals(Format.BIN, Format.byName(Path.of("x/hard.BIN")));
        assertEquals(Format.TSV, Format.byName(Path.of("hard.table")));
    }

    @Test
    void aTruncatedFileIsNamedAsSuch() throws IOException {
        byte[] b = binary();
        for (int length : new int[] {0, 5, 8, 20, 43, 44, 50, b.length - 40, b.length - 1}) {
            Path f = dir.resolve("cut-" + length + ".bin");
            Files.write(f, Arrays.copyOf(b, length));
            assertError(f, "binary hard pair table is truncated");
        }
    }

    @Test
    void aDamagedFileIsNamedAsSuch() throws IOException {
        byte[] b = binary();
        for (int at : new int[] {45, 62, 70, 100, b.length - 5, b.length - 1}) {
            byte[] bad = b.clone();
            bad[at] ^= 0x10;
            Path f = dir.resolve("flip-" + at + ".bin");
            Files.write(f, bad);
            assertError(f, "binary hard pair table is damaged");
        }
        byte[] longer = Arrays.copyOf(b, b.length + 3);
        Path f = dir.resolve("longer.bin");
        Files.write(f, longer);
        assertError(f, "damaged", "header announces " + b.length);
        byte[] header = b.clone();
        header[20] = 1;
        Path h = dir.resolve("header.bin");
        Files.write(h, header);
        assertError(h, "damaged", "header is not consistent");
    }

    @Test
    void otherFilesAndVersionsAreRefused() throws IOException {
        Path text = dir.resolve("text.bin");
        Files.writeString(text, "a\tc\t0.25\n");
        assertError(text, "not a binary hard pair table");
        byte[] v2 = binary();
        v2[8] = 2;
        Path f = dir.resolve("v2.bin");
        Files.write(f, v2);
        assertError(f, "of version 2; this build reads version 1");
        assertError(dir.resolve("missing.bin"), "not found");
    }

    @Test
    void anIntactTableIsCheckedAgainstTheCorpusLikeTheTsv() throws IOException {
        Path unknown = dir.resolve("unknown.bin");
        HardPairTable.of(List.of("a", "q"), new int[][] {{1}, {}}, new double[][] {{0.1}, {}}).write(unknown, Format.BIN);
        assertError(unknown, "unknown utterance id 'q'");
        Path same = dir.resolve("same.bin");
        HardPairTable.of(List.of("a", "b"), new int[][] {{1}, {}}, new double[][] {{0.1}, {}}).write(same, Format.BIN);
        assertError(same, "'a' and 'b' have the same speaker 'x'");
    }

    @Test
    void tsvLinesMayEndInCrLfAndComeInAnyOrder() throws IOException {
        Path f = dir.resolve("mixed.tsv");
        Files.writeString(f, "c\ta\t0.3\r\na\tc\t0.25\r\nc\tb\t0.3\r\na\td\t0.5\r\nb\tc\t0.1");
        assertEquals(HardPairTableTest.sample(), HardPairTable.read(f, CORPUS));
        Path repeat = dir.resolve("repeat.tsv");
        Files.writeString(repeat, "a\tc\t0.1\nb\tc\t0.1\na\tc\t0.2\n");
        ConfigException e = assertThrows(ConfigException.class, () -> HardPairTable.read(repeat, CORPUS));
        assertTrue(e.getMessage().startsWith(repeat + " line 3: pair 'a' -> 'c' is listed twice"), e.getMessage());
    }

    private static void assertError(Path f, String... phrases) {
        ConfigException e = assertThrows(ConfigException.class, () -> HardPairTable.read(f, CORPUS), f.toString());
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }
}
