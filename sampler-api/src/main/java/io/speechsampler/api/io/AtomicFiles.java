package io.speechsampler.api.io;

import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The one way this project writes output files: into a temporary file beside the target (so the
 * rename stays on one file system), then renamed over it, atomically where the file system can. A
 * reader never sees half a file; a failed or killed write leaves the previous file whole.
 *
 * <p>Temporary files are named {@code .<name>.<pid>-<n>.tmp} and are created with the process's
 * default permissions (the user's umask), so the result reads like any other file the user makes;
 * {@link #isTemporary} recognises them so a resumed command can remove those a killed process left
 * ({@link #removeTemporaries}). {@link #writeFolder} does the same for a folder (a checkpoint).
 *
 * <p>Every failure is an {@link OutputException} naming the target and the reason (permission
 * denied, no such folder, no space left on device, a folder in the way).
 */
public final class AtomicFiles {

    private static final String TMP_SUFFIX = ".tmp";
    private static final Pattern TMP_NAME = Pattern.compile("\\..+\\.\\d+-\\d+\\.tmp");
    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {
    }

    /** Writes into an output stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface StreamBody {
        void write(OutputStream out) throws IOException;
    }

    /** Writes text; may throw {@link IOException}. */
    @FunctionalInterface
    public interface TextBody {
        void write(Writer out) throws IOException;
    }

    /** Fills a folder; may throw {@link IOException}. */
    @FunctionalInterface
    public interface FolderBody {
        void write(Path folder) throws IOException;
    }

    /** Writes {@code text} as UTF-8. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes}. */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Writes UTF-8 text streamed through a buffered writer. */
    public static void writeText(Path target, TextBody body) {
        write(target, text(body));
    }

    private static StreamBody text(TextBody body) {
        return out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
        };
    }

    /** Streams the file's bytes through {@code body} into a temporary file, then renames it over {@code target}. */
    public static void write(Path target, StreamBody body) {
        Path tmp = temporaryFor(target);
        fillOrDelete(tmp, target, () -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
        });
        commit(tmp, target);
    }

    /** Work that fills a temporary file or folder. */
    @FunctionalInterface
    private interface Fill {
        void run() throws IOException;
    }

    /** Runs {@code fill}; on any failure removes {@code tmp}, an I/O one reported as {@code target}'s. */
    private static void fillOrDelete(Path tmp, Path target, Fill fill) {
        try {
            fill.run();
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure(target, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * A new empty temporary file beside {@code target} (its folder is created if missing), to be
     * filled and passed to {@link #commit}, or to {@link #deleteQuietly} on failure.
     */
    public static Path temporaryFor(Path target) {
        return createBeside(target, checkShape(target), false);
    }

    /** A new empty temporary file or folder {@code .<name>.<pid>-<n>.tmp} beside {@code abs}. */
    private static Path createBeside(Path target, Path abs, boolean folder) {
        try {
            Files.createDirectories(abs.getParent());
            while (true) {
                Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-"
                        + COUNTER.incrementAndGet() + TMP_SUFFIX);
                try {
                    return folder ? Files.createDirectory(tmp) : Files.createFile(tmp);
                } catch (FileAlreadyExistsException taken) {
                    // left by an earlier process with our pid: try the next number
                }
            }
        } catch (IOException e) {
            throw failure(target, e);
        }
    }

    /** Renames {@code temporary} over {@code target}. */
    public static void commit(Path temporary, Path target) {
        try {
            move(temporary, target.toAbsolutePath());
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw failure(target, e);
        }
    }

    /** Renames {@code from} to {@code to}, atomically where the file system can, replacing {@code to}. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** True for a temporary file or folder this helper (or {@link #temporaryFolderFor}) names. */
    public static boolean isTemporary(Path p) {
        Path name = p.getFileName();
        return name != null && TMP_NAME.matcher(name.toString()).matches();
    }

    /**
     * Deletes the temporary files and folders of {@code target} that a killed process left
     * ({@code .<name>.<pid>-<n>.tmp} beside it); other files are not touched. Call it only where no
     * other process writes {@code target}.
     */
    public static void removeTemporaries(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = "." + abs.getFileName() + ".";
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (isTemporary(p) && p.getFileName().toString().startsWith(prefix)) {
                    deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            // best effort, as in deleteQuietly
        }
    }

    /** A new empty temporary folder beside {@code target}, for outputs made of several files. */
    public static Path temporaryFolderFor(Path target) {
        return createBeside(target, target.toAbsolutePath(), true);
    }

    /**
     * Writes a folder as a whole: {@code body} fills a new temporary folder beside {@code target}
     * (created with the umask's permissions), which is then renamed to {@code target}. A folder
     * already there is first moved aside and removed after, so a reader finds the old folder or
     * the new one, never a part of one (only for the moment between the two renames, neither). A
     * failed or killed write leaves the previous folder whole and at most a temporary folder that
     * {@link #isTemporary} recognises.
     *
     * @return {@code target}
     */
    public static Path writeFolder(Path target, FolderBody body) {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new OutputException(target + ": cannot write: a file is in the way (expected a folder)", null);
        }
        Path tmp = temporaryFolderFor(abs);
        fillOrDelete(tmp, target, () -> body.write(tmp));
        Path aside = null;
        try {
            if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                aside = temporaryFolderFor(abs).resolve(abs.getFileName());
                move(abs, aside);
            }
            try {
                move(tmp, abs);
            } catch (IOException e) {
                if (aside != null) {
                    move(aside, abs);
                    deleteQuietly(aside.getParent());
                }
                throw e;
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure(target, e);
        }
        if (aside != null) {
            deleteQuietly(aside.getParent());
        }
        return target;
    }

    /** Removes a temporary file or folder (recursively); errors are ignored: the caller's own error wins. */
    public static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var s = Files.list(p)) {
                    for (Path child : s.toList()) {
                        deleteQuietly(child);
                    }
                }
            }
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a hidden temporary file is harmless and recognised by isTemporary
        }
    }

    /**
     * Several files that appear together or not at all: each is written to a temporary file, and
     * {@link #commit()} renames them only after every one is written. Closing without a commit
     * removes the temporary files and leaves the previous outputs untouched. A report that mixes a
     * new {@code si_snri.csv} with an old {@code summary.json} cannot happen, short of a crash in
     * the middle of the renames themselves.
     */
    public static FileSet fileSet() {
        return new FileSet();
    }

    /** See {@link #fileSet()}. */
    public static final class FileSet implements AutoCloseable {
        private final Map<Path, Path> staged = new LinkedHashMap<>();
        private boolean committed;

        private FileSet() {
        }

        /** Stages {@code target}'s bytes. */
        public FileSet write(Path target, StreamBody body) {
            Path tmp = temporaryFor(target);
            staged.put(tmp, target);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            } catch (IOException e) {
                throw failure(target, e);
            }
            return this;
        }

        /** Stages {@code target}'s text as UTF-8. */
        public FileSet writeString(Path target, String text) {
            return write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        }

        /** Stages UTF-8 text streamed through a buffered writer. */
        public FileSet writeText(Path target, TextBody body) {
            return write(target, text(body));
        }

        /** Renames every staged file over its target. */
        public void commit() {
            List<Map.Entry<Path, Path>> all = new ArrayList<>(staged.entrySet());
            for (Map.Entry<Path, Path> e : all) {
                AtomicFiles.commit(e.getKey(), e.getValue());
                staged.remove(e.getKey());
            }
            committed = true;
        }

        @Override
        public void close() {
            if (!committed) {
                staged.keySet().forEach(AtomicFiles::deleteQuietly);
                staged.clear();
            }
        }
    }

    /**
     * Fails early, before any work, when {@code target} cannot be written: an existing folder in
     * its place, a parent that exists but is not a folder, or a folder that refuses new files
     * (read-only, no permission, a virtual file system such as {@code /proc}). A command calls it
     * on each output path before its long work starts. Returns the absolute path.
     */
    public static Path checkTarget(Path target) {
        Path abs = checkShape(target);
        probe(target, nearestExisting(target, abs.getParent()));
        return abs;
    }

    /**
     * {@link #checkTarget} for an output folder: fails when a file is in its place, a parent that
     * exists is not a folder, or the folder (or its nearest existing parent, where it would be
     * made) refuses new files. Creates nothing. Returns the absolute path.
     */
    public static Path checkFolder(Path folder) {
        Path abs = folder.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new OutputException(folder + ": cannot write: it is a file (expected a folder)", null);
        }
        probe(folder, nearestExisting(folder, abs));
        return abs;
    }

    private static Path checkShape(Path target) {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new OutputException(target + ": cannot write: it is a folder (expected a file path)", null);
        }
        nearestExisting(target, abs.getParent());
        return abs;
    }

    /** The first of {@code p} and its parents that exists; an error about {@code target} when that is not a folder. */
    private static Path nearestExisting(Path target, Path p) {
        Path at = p;
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        if (at == null) {
            throw new OutputException(target + ": cannot write: no existing folder above it", null);
        }
        if (!Files.isDirectory(at)) {
            throw new OutputException(target + ": cannot write: " + at + " is not a folder", null);
        }
        return at;
    }

    /** Creates and removes an empty temporary file in {@code dir}: the one sure test, whoever runs it. */
    private static void probe(Path target, Path dir) {
        Path probe = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + TMP_SUFFIX);
        try {
            Files.createFile(probe);
        } catch (FileAlreadyExistsException leftOver) {
            return; // a name a killed process left: files can be made here
        } catch (IOException e) {
            throw new OutputException(target + ": cannot write: cannot create files in " + dir + ": " + reason(e), e);
        }
        deleteQuietly(probe);
    }

    /** The one-line error for a failed write of {@code target}. */
    public static OutputException failure(Path target, IOException e) {
        return new OutputException(target + ": cannot write: " + reason(e), e);
    }

    /** A short reason for an I/O failure, without Java class names. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + where(a);
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder" + where(n);
        }
        if (e instanceof NotDirectoryException n) {
            return "not a folder" + where(n);
        }
        if (e instanceof DirectoryNotEmptyException n) {
            return "a folder is in the way" + where(n);
        }
        if (e instanceof EOFException) {
            return "it ends too early (truncated)";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof FileAlreadyExistsException n) {
            return "already exists" + where(n);
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return lowerFirst(f.getReason()) + where(f);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : lowerFirst(m.strip().lines().findFirst().orElse(m));
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    /** The path an I/O error names, unless it is only one of our temporary files (an internal name). */
    private static String where(FileSystemException f) {
        if (f.getFile() == null || isTemporary(Path.of(f.getFile()))) {
            return "";
        }
        return " (" + f.getFile() + ")";
    }
}
