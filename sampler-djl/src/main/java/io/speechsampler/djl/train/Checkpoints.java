package io.speechsampler.djl.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checkpoint directories written atomically: a checkpoint is filled in a temporary directory and
 * renamed to {@code step-NNNNNNNNNN}; the pointer files {@code latest} and {@code best} name a
 * checkpoint and are replaced by an atomic rename, so a crash leaves the previous checkpoint
 * readable. Older checkpoints that no pointer names are deleted.
 */
public final class Checkpoints {

    /** Fills a checkpoint directory. */
    @FunctionalInterface
    interface Contents {
        void write(Path dir) throws IOException;
    }

    private Checkpoints() {
    }

    static String name(long step) {
        return String.format(Locale.ROOT, "step-%010d", step); // ASCII digits whatever the locale
    }

    /** Writes checkpoint {@code step} (replacing one of that name) and returns its directory. */
    static Path write(Path root, long step, Contents contents) throws IOException {
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, ".tmp-");
        try {
            contents.write(tmp);
            Path target = root.resolve(name(step));
            if (Files.exists(target)) {
                deleteTree(target);
            }
            move(tmp, target);
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** Points {@code pointer} at checkpoint {@code dir}, atomically. */
    static void point(Path root, String pointer, Path dir) throws IOException {
        Path tmp = Files.createTempFile(root, ".tmp-" + pointer, "");
        Files.writeString(tmp, dir.getFileName().toString() + "\n", StandardCharsets.UTF_8);
        move(tmp, root.resolve(pointer));
    }

    public static Optional<Path> resolve(Path root, String pointer) throws IOException {
        Path p = root.resolve(pointer);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        Path dir = root.resolve(Files.readString(p, StandardCharsets.UTF_8).trim());
        if (!Files.isDirectory(dir)) {
            throw new IOException(p + " names checkpoint " + dir.getFileName() + ", which does not exist");
        }
        return Optional.of(dir);
    }

    /** Deletes checkpoints other than the ones named. */
    static void prune(Path root, Set<Path> keep) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(x -> x.getFileName().toString().startsWith("step-")).toList()) {
                if (!keep.contains(p)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.delete(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
