package io.speechsampler.hardmining.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardPairTableTest {

    @TempDir
    Path dir;

    static Corpus corpus() {
        return Corpus.of(Path.of("corpus"), List.of(
                utt("a", "x"), utt("b", "x"), utt("c", "y"), utt("d", "z")));
    }

    static Utterance utt(String id, String speaker) {
        return new Utterance(id, speaker, Path.of("/audio/" + id + ".wav"), 0, 16000, 16000, List.of());
    }

    static HardPairTable sample() {
        return HardPairTable.of(List.of("a", "b", "c", "d"),
                new int[][] {{3, 2}, {2}, {0, 1}, {}},
                new double[][] {{0.5, 0.25}, {0.1}, {0.3, 0.3}, {}});
    }

    @Test
    void writesSortedTsvAndReadsItBack() throws IOException {
        Path f = dir.resolve("hard.tsv");
        sample().write(f);
        assertEquals(List.of("a\tc\t0.25", "a\td\t0.5", "b\tc\t0.1", "c\ta\t0.3", "c\tb\t0.3"), Files.readAllLines(f));
        HardPairTable back = HardPairTable.read(f, corpus());
        assertEquals(sample(), back);
        assertEquals(List.of("c", "d"), back.partnersOf("a"));
        assertEquals(5, back.pairCount());
        assertFalse(back.hasPartners("d"));
        assertEquals("b", back.partner("c", 1));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void readingNamesFileAndLine() throws IOException {
        assertError("a\tc\t0.1\nbad line\n", "line 2", "expected 'utterance<TAB>partner<TAB>distance'");
        assertError("a\tq\t0.1\n", "line 1", "unknown utterance id 'q'");
        assertError("a\tc\tNaN\n", "line 1", "not finite");
        assertError("a\tc\tclose\n", "line 1", "not a number");
        assertError("a\tb\t0.1\n", "line 1", "same speaker 'x'");
        assertError("a\ta\t0.1\n", "line 1", "paired with itself");
        assertError("a\tc\t0.1\na\tc\t0.2\n", "line 2", "listed twice");
        ConfigException e = assertThrows(ConfigException.class,
                () -> HardPairTable.read(dir.resolve("missing.tsv"), corpus()));
        assertTrue(e.getMessage().contains("missing.tsv") && e.getMessage().contains("not found"), e.getMessage());
    }

    private void assertError(String content, String line, String phrase) throws IOException {
        Path f = dir.resolve("bad.tsv");
        Files.writeString(f, content);
        ConfigException e = assertThrows(ConfigException.class, () -> HardPairTable.read(f, corpus()));
        assertTrue(e.getMessage().startsWith(f + " " + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(phrase), e.getMessage());
    }

    @Test
    void constructionRefusesSelfPairsAndNonFiniteDistances() {
        assertThrows(IllegalArgumentException.class,
                () -> HardPairTable.of(List.of("a", "b"), new int[][] {{0}, {}}, new double[][] {{0.1}, {}}));
        assertThrows(IllegalArgumentException.class,
                () -> HardPairTable.of(List.of("a", "b"), new int[][] {{1}, {}}, new double[][] {{Double.NaN}, {}}));
        assertThrows(IllegalArgumentException.class,
                () -> HardPairTable.of(List.of("a", "a"), new int[][] {{}, {}}, new double[][] {{}, {}}));
    }
}
