package io.speechsampler.api.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.speechsampler.api.config.ConfigException;
import io.speechsampler.api.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The binary parts of a saved state in a file beside its JSON (SPI 2, section 6). A component
 * puts large per-sample state into its JSON state as a binary node ({@link SampleColumns#toJson()});
 * {@link #externalise} writes every binary node of a state tree into one side file, through
 * {@link AtomicFiles}, and replaces each by a reference
 * {@code {"$binary": "state.bin", "offset": o, "length": n, "crc32": c}};
 * {@link #internalise} reads them back, checking the file's header and each part's bounds and
 * CRC32. A state tree that never passes through here (the testkit's in-memory round trips, a JSON
 * writer of its own) keeps its binary nodes, which a JSON writer writes as base64 text and
 * {@link SampleColumns#fromJson} reads either way.
 *
 * <p>The file: the format name {@value #FORMAT} (2-byte little-endian length, UTF-8), the
 * version ({@value #VERSION}, 4 bytes little-endian), then the parts, back to back.
 */
public final class BinarySideFile {

    /** Format name at the start of a side file. */
    public static final String FORMAT = "speech-sampler-binary-state";
    /** Version of the side file. */
    public static final int VERSION = 1;

    private static final String REF = "$binary";

    private BinarySideFile() {
    }

    /**
     * A copy of {@code state} whose binary nodes are references into {@code dir/fileName}, which is
     * written (atomically) when there is at least one; {@code state} itself is unchanged.
     *
     * @throws io.speechsampler.api.io.OutputException when the file cannot be written
     */
    public static JsonNode externalise(JsonNode state, Path dir, String fileName) {
        checkName(fileName);
        List<byte[]> parts = new ArrayList<>();
        byte[] header = header();
        long[] offset = {header.length};
        JsonNode out = replace(state, n -> {
            if (!n.isBinary()) {
                return null;
            }
            byte[] bytes;
            try {
                bytes = n.binaryValue();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            CRC32 crc = new CRC32();
            crc.update(bytes);
            ObjectNode ref = JsonNodeFactory.instance.objectNode();
            ref.put(REF, fileName).put("offset", offset[0]).put("length", bytes.length).put("crc32", crc.getValue());
            parts.add(bytes);
            offset[0] += bytes.length;
            return ref;
        });
        if (!parts.isEmpty()) {
            AtomicFiles.write(dir.resolve(fileName), o -> {
                o.write(header);
                for (byte[] p : parts) {
                    o.write(p);
                }
            });
        }
        return out;
    }

    /**
     * A copy of {@code state} whose references are replaced by the binary parts they name, read
     * from files in {@code dir}.
     *
     * @throws ConfigException one line naming the file: missing, unreadable, not a side file, too
     *                         short for a part (truncated), or a part failing its CRC32 check
     */
    public static JsonNode internalise(JsonNode state, Path dir) {
        Map<String, byte[]> files = new java.util.HashMap<>();
        return replace(state, n -> {
            if (!n.isObject() || !n.has(REF)) {
                return null;
            }
            String name = n.get(REF).asText();
            Path file = dir.resolve(name);
            if (!isPlainName(name)) {
                throw new ConfigException(file + ": a state's binary part must be a file beside it, got '" + name + "'");
            }
            byte[] all = files.computeIfAbsent(name, k -> read(file));
            long offset = n.path("offset").asLong(-1);
            long length = n.path("length").asLong(-1);
            if (offset < header().length || length < 0 || !n.path("crc32").canConvertToLong()) {
                throw new ConfigException(file + ": the state's reference " + n + " is not a binary part's "
                        + "(expected offset, length and crc32)");
            }
            if (offset + length > all.length) {
                throw new ConfigException(file + ": ends at byte " + all.length + ", but the state's binary part needs "
                        + "bytes " + offset + " to " + (offset + length) + " (truncated)");
            }
            CRC32 crc = new CRC32();
            crc.update(all, (int) offset, (int) length);
            if (crc.getValue() != n.get("crc32").asLong()) {
                throw new ConfigException(file + ": the binary part at byte " + offset + " fails its CRC32 check "
                        + "(damaged, or from another checkpoint)");
            }
            return JsonNodeFactory.instance.binaryNode(java.util.Arrays.copyOfRange(all, (int) offset,
                    (int) (offset + length)));
        });
    }

    private static byte[] read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": not found; the state names it for its binary part (the state is "
                    + "damaged or was copied without it)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + AtomicFiles.reason(e), e);
        }
        byte[] h = header();
        if (all.length < h.length || !java.util.Arrays.equals(all, 0, h.length, h, 0, h.length)) {
            throw new ConfigException(file + ": not a version " + VERSION + " " + FORMAT + " file (damaged or "
                    + "another file)");
        }
        return all;
    }

    private static byte[] header() {
        byte[] f = FORMAT.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + f.length + 4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) f.length).put(f)
                .putInt(VERSION).array();
    }

    private static void checkName(String name) {
        if (!isPlainName(name)) {
            throw new IllegalArgumentException("a side file's name must be a plain file name, got '" + name + "'");
        }
    }

    private static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals(".")
                && !name.equals("..");
    }

    /** A copy of {@code n} in which every node {@code f} maps to non-null is replaced by that. */
    private static JsonNode replace(JsonNode n, java.util.function.Function<JsonNode, JsonNode> f) {
        if (n == null) {
            return null;
        }
        JsonNode r = f.apply(n);
        if (r != null) {
            return r;
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                var e = it.next();
                o.set(e.getKey(), replace(e.getValue(), f));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(replace(x, f)));
            return a;
        }
        return n;
    }
}
