package io.speechsampler.api.io;

import io.speechsampler.api.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The one line reader of the project's text formats (corpus lists and manifests, weights, pitch
 * tables, Kaldi vectors, label files, run logs, CSV reports): UTF-8, line by line with 1-based
 * line numbers, blank lines skipped, and every failure one message naming the file (and the line,
 * through {@link #error}). The hard pair TSV keeps a byte-level parser of its own: at 3.2e7 lines a
 * String per line costs more than its numbers (BENCHMARKS.md section 9).
 */
public final class TextLines {

    private TextLines() {
    }

    /** What a reader does with one non-blank line. */
    @FunctionalInterface
    public interface LineHandler {
        void accept(String line, int number);
    }

    /**
     * Hands every non-blank line of {@code file} to {@code handler}.
     *
     * @param what    what the file is, for {@code "FILE: cannot read WHAT: reason"} (may be empty)
     * @param missing what to say after {@code "FILE: "} when the file does not exist, e.g.
     *                {@code "pitch table not found; expected the TSV written by 'sampler pitch'"}
     * @throws ConfigException for a missing or unreadable file; what the handler throws passes through
     */
    public static void forEach(Path file, String what, String missing, LineHandler handler) {
        forEach(file, what, missing, ConfigException::new, handler);
    }

    /** As {@link #forEach(Path, String, String, LineHandler)}, with the reader's own exception type for file errors. */
    public static void forEach(Path file, String what, String missing,
                               Function<String, ? extends ConfigException> exception, LineHandler handler) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (!line.isBlank()) {
                    handler.accept(line, no);
                }
            }
        } catch (NoSuchFileException e) {
            throw exception.apply(file + ": " + missing);
        } catch (IOException e) {
            ConfigException c = exception.apply(file + ": cannot read" + (what.isEmpty() ? "" : " " + what) + ": "
                    + AtomicFiles.reason(e));
            c.initCause(e);
            throw c;
        }
    }

    /** A message for line {@code number} of {@code file}: {@code "FILE line N: message"}. */
    public static ConfigException error(Path file, int number, String message) {
        return new ConfigException(file + " line " + number + ": " + message);
    }
}
