package io.speechsampler.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesWholeFilesWithTheUmasksPermissions() throws IOException {
        Path out = dir.resolve("sub/out.tsv");
        AtomicFiles.writeString(out, "a\t1\n");
        assertEquals("a\t1\n", Files.readString(out));
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        assertEquals(plain, Files.getPosixFilePermissions(out), "same permissions as a file made with the umask");
        assertEquals(Set.of("out.tsv"), names(out.getParent()), "no temporary file left");
    }

    @Test
    void aFailedWriteLeavesThePreviousFileAndNoTemporary() throws IOException {
        Path out = dir.resolve("out.txt");
        AtomicFiles.writeString(out, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(out, (AtomicFiles.StreamBody) s -> {
            s.write("new, half".getBytes());
            throw new IllegalStateException("bug");
        }));
        OutputException e = assertThrows(OutputException.class, () -> AtomicFiles.write(out, s -> {
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().startsWith(out + ": cannot write: "), e.getMessage());
        assertEquals("old", Files.readString(out));
        assertEquals(Set.of("out.txt"), names(dir));
    }

    @Test
    void aFolderInTheWayOrAMissingRootIsOneClearLine() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("taken"));
        OutputException e = assertThrows(OutputException.class, () -> AtomicFiles.writeString(folder, "x"));
        assertEquals(folder + ": cannot write: it is a folder (expected a file path)", e.getMessage());
        Path file = Files.writeString(dir.resolve("file"), "x");
        e = assertThrows(OutputException.class, () -> AtomicFiles.writeString(file.resolve("p.jsonl"), "x"));
        assertTrue(e.getMessage().contains(file + " is not a folder"), e.getMessage());
        e = assertThrows(OutputException.class, () -> AtomicFiles.writeString(Path.of("/proc/x/p.jsonl"), "x"));
        assertTrue(e.getMessage().startsWith("/proc/x/p.jsonl: cannot write: "), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void earlyChecksRefuseWhatCanNeverBeWrittenAndLeaveNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path folder = Files.createDirectory(dir.resolve("folder"));
        assertEquals(dir.resolve("new/deeper/p.jsonl").toAbsolutePath(),
                AtomicFiles.checkTarget(dir.resolve("new/deeper/p.jsonl")));
        assertEquals(folder.toAbsolutePath(), AtomicFiles.checkFolder(folder));
        AtomicFiles.checkFolder(dir.resolve("new/report"));
        assertEquals(Set.of("file", "folder"), names(dir), "a check creates nothing");
        assertEquals(Set.of(), names(folder));

        assertEquals(folder + ": cannot write: it is a folder (expected a file path)",
                assertThrows(OutputException.class, () -> AtomicFiles.checkTarget(folder)).getMessage());
        assertEquals(file + ": cannot write: it is a file (expected a folder)",
                assertThrows(OutputException.class, () -> AtomicFiles.checkFolder(file)).getMessage());
        assertEquals(file.resolve("a/b.tsv") + ": cannot write: " + file.toAbsolutePath() + " is not a folder",
                assertThrows(OutputException.class, () -> AtomicFiles.checkTarget(file.resolve("a/b.tsv")))
                        .getMessage());
        // root may write anywhere on a normal file system; /proc refuses new files even to root
        String m = assertThrows(OutputException.class, () -> AtomicFiles.checkTarget(Path.of("/proc/p.jsonl")))
                .getMessage();
        assertTrue(m.startsWith("/proc/p.jsonl: cannot write: cannot create files in /proc: "), m);
        assertFalse(m.contains(".tmp"), "the probe's temporary name is internal: " + m);
        m = assertThrows(OutputException.class, () -> AtomicFiles.checkFolder(Path.of("/proc/x/report")))
                .getMessage();
        assertTrue(m.startsWith("/proc/x/report: cannot write: cannot create files in /proc: "), m);
    }

    @Test
    void reasonsAreWordsNotClassNames() {
        assertEquals("not UTF-8 text", AtomicFiles.reason(new java.nio.charset.MalformedInputException(1)));
        assertEquals("no space left on device", AtomicFiles.reason(new IOException("No space left on device")));
        assertEquals("no such file or folder (/a/b)", AtomicFiles.reason(new java.nio.file.NoSuchFileException("/a/b")));
        assertEquals("input/output error", AtomicFiles.reason(new IOException()));
    }

    @Test
    void aFileSetAppearsWholeOrNotAtAll() throws IOException {
        Path a = dir.resolve("summary.json");
        Path b = dir.resolve("si_snri.csv");
        try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
            set.writeString(a, "old a").writeString(b, "old b").commit();
        }
        assertThrows(OutputException.class, () -> {
            try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
                set.writeString(a, "new a");
                set.write(b, s -> {
                    throw new IOException("No space left on device");
                });
                set.commit();
            }
        });
        assertEquals("old a", Files.readString(a));
        assertEquals("old b", Files.readString(b));
        assertEquals(Set.of("summary.json", "si_snri.csv"), names(dir));
    }

    @Test
    void aFolderIsWrittenWholeAndReplacesTheOldOneWhole() throws IOException {
        Path ckpt = dir.resolve("checkpoints/step-1");
        AtomicFiles.writeFolder(ckpt, d -> Files.writeString(d.resolve("a.bin"), "old"));
        assertEquals(Set.of("a.bin"), names(ckpt));
        assertThrows(OutputException.class, () -> AtomicFiles.writeFolder(ckpt, d -> {
            Files.writeString(d.resolve("a.bin"), "new, half");
            throw new IOException("No space left on device");
        }));
        assertEquals("old", Files.readString(ckpt.resolve("a.bin")), "a failed write leaves the old folder");
        AtomicFiles.writeFolder(ckpt, d -> Files.writeString(d.resolve("b.bin"), "new"));
        assertEquals(Set.of("b.bin"), names(ckpt), "the new folder replaces the old one whole");
        assertEquals(Set.of("step-1"), names(ckpt.getParent()), "no temporary folder left");
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain")));
        assertEquals(plain, Files.getPosixFilePermissions(ckpt), "same permissions as a folder made with the umask");
    }

    @Test
    void temporaryNamesAreRecognised() {
        Path tmp = AtomicFiles.temporaryFor(dir.resolve("x.bin"));
        assertTrue(AtomicFiles.isTemporary(tmp));
        assertFalse(AtomicFiles.isTemporary(dir.resolve("x.bin")));
        AtomicFiles.deleteQuietly(tmp);
        assertFalse(Files.exists(tmp));
    }

    private static Set<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }
}
