package io.speechsampler.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path root;

    @Test
    void foldersAndPointersAreMadeWithTheUmask() throws IOException {
        Path dir = Checkpoints.write(root, 12, d -> Files.writeString(d.resolve("state.json"), "{}"));
        Checkpoints.point(root, Checkpoints.LATEST, dir);
        assertEquals("step-0000000012\n", Files.readString(root.resolve("latest")));
        assertEquals(Optional.of(dir), Checkpoints.resolve(root, Checkpoints.LATEST));
        assertEquals(Files.getPosixFilePermissions(Files.createFile(root.resolve("probe"))),
                Files.getPosixFilePermissions(root.resolve("latest")), "latest: as a file the user makes");
        assertEquals(Files.getPosixFilePermissions(Files.createDirectory(root.resolve("probe-dir"))),
                Files.getPosixFilePermissions(dir), "a checkpoint: as a folder the user makes");
    }

    @Test
    void aFailedCheckpointLeavesTheLatestWholeAndNoTemporary() throws IOException {
        Path first = Checkpoints.write(root, 3, d -> Files.writeString(d.resolve("state.json"), "three"));
        Checkpoints.point(root, Checkpoints.LATEST, first);
        assertThrows(ConfigException.class, () -> Checkpoints.write(root, 6, d -> {
            Files.writeString(d.resolve("optimizer.bin"), "half");
            throw new IOException("No space left on device");
        }));
        assertEquals(Optional.of(first), Checkpoints.resolve(root, Checkpoints.LATEST));
        assertEquals(Set.of("latest", "step-0000000003"), names());
    }

    @Test
    void pruneKeepsWhatIsNamedAndRemovesWhatAKilledProcessLeft() throws IOException {
        Path latest = Checkpoints.write(root, 9, d -> Files.writeString(d.resolve("state.json"), "{}"));
        Path best = Checkpoints.write(root, 3, d -> Files.writeString(d.resolve("state.json"), "{}"));
        Checkpoints.write(root, 6, d -> Files.writeString(d.resolve("state.json"), "{}"));
        Files.createDirectories(root.resolve(".step-0000000012.4242-7.tmp")).resolve("optimizer.bin").toFile()
                .createNewFile();
        Files.createDirectories(root.resolve(".tmp-8675309"));
        Files.writeString(root.resolve(".latest.4242-8.tmp"), "step-");
        Files.writeString(root.resolve("notes.txt"), "mine");
        Checkpoints.prune(root, Set.of(latest, best));
        assertEquals(Set.of("step-0000000009", "step-0000000003", "notes.txt"), names());
    }

    @Test
    void aPointerNamingNothingIsOneClearLine() throws IOException {
        assertEquals(Optional.empty(), Checkpoints.resolve(root, Checkpoints.LATEST));
        Files.writeString(root.resolve("latest"), "step-0000000042\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Checkpoints.resolve(root, Checkpoints.LATEST));
        assertTrue(e.getMessage().startsWith(root.resolve("latest") + ": names checkpoint step-0000000042, which "
                + "does not exist"), e.getMessage());
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
