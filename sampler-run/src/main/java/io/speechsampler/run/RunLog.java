package io.speechsampler.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

/**
 * A JSON-lines log of a run folder ({@code metrics.jsonl}, {@code batches.jsonl}): appended one
 * flushed line at a time while training, and on resume cut back to the lines the checkpoint
 * covers, so that a resumed run holds every step once. The cut is measured first ({@link #kept})
 * and made later ({@link #cutTo}), so that a resume refused in between changes nothing.
 */
public final class RunLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunLog() {
    }

    /**
     * The length in bytes of the leading lines that {@code keep} accepts: the log up to the first
     * line it does not, or to an unfinished last line (one a killed process was writing).
     *
     * @throws ConfigException for a finished line that is not JSON (a damaged log)
     */
    public static long kept(Path file, Predicate<JsonNode> keep) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + AtomicFiles.reason(e), e);
        }
        int start = 0;
        int line = 1;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            if (end == bytes.length) {
                break;
            }
            JsonNode o;
            try {
                o = JSON.readTree(new String(bytes, start, end - start, StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new ConfigException(file + " line " + line + ": not a JSON line; expected the log 'sampler "
                        + "train' writes (remove the run's lines from here on to resume)");
            }
            if (o == null || !keep.test(o)) {
                break;
            }
            start = end + 1;
            line++;
        }
        return start;
    }

    /** Cuts {@code file} to its first {@code length} bytes, atomically (an absent file is created empty). */
    public static void cutTo(Path file, long length) {
        try {
            if (Files.exists(file) && Files.size(file) == length) {
                return;
            }
        } catch (IOException e) {
            throw AtomicFiles.failure(file, e);
        }
        AtomicFiles.write(file, out -> copyPrefix(file, length, out));
    }

    private static void copyPrefix(Path file, long length, OutputStream out) throws IOException {
        if (length == 0) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException(file + " is shorter than " + length + " bytes");
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    /** Opens {@code file} to append lines (created if absent). */
    public static BufferedWriter append(Path file) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw AtomicFiles.failure(file, e);
        }
    }

    /** Appends one line and flushes it, so that a killed process leaves at most an unfinished last line. */
    public static void writeLine(BufferedWriter w, Path file, String line) {
        try {
            w.write(line);
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw AtomicFiles.failure(file, e);
        }
    }
}
