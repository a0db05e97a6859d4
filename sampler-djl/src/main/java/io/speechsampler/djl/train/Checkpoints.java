package io.speechsampler.djl.train;

import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoint folders written whole: a checkpoint is filled in a temporary folder and renamed to
 * {@code step-NNNNNNNNNN} ({@link AtomicFiles#writeFolder}); the pointer files {@code latest} and
 * {@code best} name a checkpoint and are replaced by an atomic rename
 * ({@link AtomicFiles#writeString}), so a process killed at any moment leaves {@code latest} naming
 * a complete checkpoint. Checkpoints that no pointer names and temporary files a killed process
 * left are deleted by {@link #prune}.
 */
public final class Checkpoints {

    /** The pointer to the newest checkpoint. */
    public static final String LATEST = "latest";
    /** The pointer to the checkpoint with the best validation score. */
    public static final String BEST = "best";

    private static final Pattern NAME = Pattern.compile("step-\\d{10}");
    /** Temporary names of versions before {@link AtomicFiles} ({@code .tmp-123}, {@code .tmp-latest123}). */
    private static final String LEGACY_TMP_PREFIX = ".tmp-";

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

    /** Writes checkpoint {@code step} whole (replacing one of that name) and returns its directory. */
    static Path write(Path root, long step, Contents contents) {
        return AtomicFiles.writeFolder(root.resolve(name(step)), contents::write);
    }

    /** Points {@code pointer} at checkpoint {@code dir}, atomically. */
    static void point(Path root, String pointer, Path dir) {
        AtomicFiles.writeString(root.resolve(pointer), dir.getFileName().toString() + "\n");
    }

    /**
     * The checkpoint folder that {@code pointer} names, or empty when there is no such pointer.
     *
     * @throws ConfigException when the pointer cannot be read, does not hold a checkpoint's name,
     *                         or names a checkpoint that does not exist
     */
    public static Optional<Path> resolve(Path root, String pointer) {
        Path p = root.resolve(pointer);
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConfigException(p + ": cannot read: " + AtomicFiles.reason(e), e);
        }
        if (!NAME.matcher(text).matches()) {
            throw new ConfigException(p + ": expected the name of a checkpoint folder (step-NNNNNNNNNN), got '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
        Path dir = root.resolve(text);
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(p + ": names checkpoint " + text + ", which does not exist (expected a folder "
                    + dir + ")");
        }
        return Optional.of(dir);
    }

    /** True for a name {@link #write} gives a checkpoint folder. */
    static boolean isCheckpointName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * Deletes the checkpoints other than the ones named, and the temporary files and folders a
     * killed process left (those of {@link AtomicFiles}, and the {@code .tmp-} names earlier
     * versions used). Only the one process that trains a run writes here, and never while this
     * runs, so no temporary file in use can be taken.
     */
    static void prune(Path root, Set<Path> keep) {
        Set<String> kept = new HashSet<>();
        keep.stream().filter(Objects::nonNull).forEach(k -> kept.add(k.getFileName().toString()));
        delete(root, n -> isCheckpointName(n) && !kept.contains(n));
    }

    /** Deletes only the temporary files and folders a killed process left (see {@link #prune}). */
    static void removeTemporaries(Path root) {
        delete(root, n -> false);
    }

    private static void delete(Path root, Predicate<String> stale) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (stale.test(n) || AtomicFiles.isTemporary(p) || n.startsWith(LEGACY_TMP_PREFIX)) {
                    AtomicFiles.deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            // best effort: what is left is a hidden temporary or an unused checkpoint, never a pointed-to one
        }
    }
}
