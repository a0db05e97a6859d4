package io.speechsampler.api.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {

    @TempDir
    Path dir;

    private static final Corpus CORPUS = corpus();

    private static Corpus corpus() {
        List<Utterance> u = new ArrayList<>();
        for (String id : List.of("a1", "a2", "b1", "b2", "c1")) {
            u.add(new Utterance(id, id.substring(0, 1), Path.of("/x/" + id + ".wav"), 0, 8000, 8000, List.of()));
        }
        return Corpus.of(Path.of("corpus"), u);
    }

    private Path file(String text) throws IOException {
        Path f = dir.resolve("labels.tsv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theClassesAreTheSortedLabels() throws IOException {
        Labels l = Labels.read(file("a1\tk9\nb1\tk10\n\na2\tk9\nc1 k2\n"), CORPUS);
        assertEquals(List.of("k10", "k2", "k9"), l.names());
        assertEquals(3, l.size());
        assertEquals(4, l.labelled());
        assertEquals(2, l.classOf(0));
        assertEquals(-1, l.classOf(3), "b2 has no label");
        assertEquals(0, l.require(CORPUS, "b1"));
        assertArrayEquals(new int[] {2}, l.utterancesByClass()[0]);
        assertArrayEquals(new int[] {0, 1}, l.utterancesByClass()[2]);
    }

    @Test
    void anUnlabelledDrawIsOneLineNamingTheFile() throws IOException {
        Labels l = Labels.read(file("a1\tk\n"), CORPUS);
        ConfigException e = assertThrows(ConfigException.class, () -> l.require(CORPUS, "b2"));
        assertEquals(dir.resolve("labels.tsv") + ": utterance 'b2' was drawn but has no label in this file; expected a "
                + "line 'b2<TAB>label'", e.getMessage());
    }

    @Test
    void badFilesAreOneLineNamingFileAndLine() throws IOException {
        String f = dir.resolve("labels.tsv").toString();
        assertMessage("a1\tk\nb1\n", f + " line 2: expected 'utterance<TAB>label', got 'b1'");
        assertMessage("a1\tk\tx\n", f + " line 1: expected 'utterance<TAB>label', got 'a1\tk\tx'");
        assertMessage("a1\tk\nzz\tk\n", f + " line 2: utterance 'zz' is not in the corpus corpus");
        assertMessage("a1\tk\n\na1\tj\n", f + " line 3: utterance 'a1' is labelled twice (first on line 1)");
        assertMessage("\n\n", f + ": the label file has no lines; expected 'utterance<TAB>label' lines");
        ConfigException e = assertThrows(ConfigException.class, () -> Labels.read(dir.resolve("none.tsv"), CORPUS));
        assertEquals(dir.resolve("none.tsv") + ": label file not found; expected lines 'utterance<TAB>label'",
                e.getMessage());
    }

    private void assertMessage(String text, String expected) throws IOException {
        Path f = file(text);
        ConfigException e = assertThrows(ConfigException.class, () -> Labels.read(f, CORPUS));
        assertEquals(expected, e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }
}
