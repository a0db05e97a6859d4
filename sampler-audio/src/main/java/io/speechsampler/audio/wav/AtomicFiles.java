package io.speechsampler.audio.wav;

import io.speechsampler.api.corpus.CorpusException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whole-file writes that readers never see half done: write a temporary file beside the target,
 * then rename it over the target (atomically where the file system can).
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code text} as UTF-8; a {@link CorpusException} naming the file when that fails. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes}; a {@link CorpusException} naming the file when that fails. */
    public static void write(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = temporaryBeside(abs);
            Files.write(tmp, bytes);
            moveOver(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw new CorpusException(target + ": cannot write file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** A new empty temporary file in {@code target}'s directory (created if needed). */
    static Path temporaryBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    }

    /** Renames {@code tmp} over {@code target}, atomically where the file system can. */
    static void moveOver(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes a temporary file left by a failed write; the write's own error is the one reported. */
    static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the failed write is already being reported; a stray temporary file is secondary
        }
    }
}
