package io.speechsampler.api.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Named primitive columns ({@code float} or {@code int}) of one value per sample, indexed by
 * corpus index ({@code Corpus.indexOf(outcome.key())}): the per-sample state of scores, counts
 * and Welford statistics, at 4 bytes per value instead of a JSON number or a boxed map entry.
 *
 * <p><b>Copy on write.</b> {@link #snapshot()} returns a read-only view in O(1): it shares the
 * arrays, and the next write to a column of this object copies that column once (O(N), once per
 * column and snapshot), so the snapshot keeps the values it was taken with. The pipeline takes a
 * snapshot of every draw component at each epoch start; a component whose {@code snapshot()}
 * returns {@code () -> json(columns.snapshot())} thus costs O(1) there.
 *
 * <p><b>Binary form.</b> {@link #toBytes()}, little-endian: the format name
 * {@value #FORMAT} (a 2-byte length, then UTF-8), the version ({@value #VERSION}), N, the column
 * count, each column's name (2-byte length, UTF-8) and type (0 float, 1 int), then each column's N
 * values, then a CRC32 of everything before it. {@link #fromBytes} checks all of it. Two columns
 * take {@code 8 N + 48 + names} bytes. {@link #toJson()} wraps the bytes in a Jackson binary node,
 * which {@link BinarySideFile} writes beside a checkpoint's {@code state.json} (and a plain JSON
 * writer writes as base64).
 */
public final class SampleColumns {

    /** Format name at the start of the binary form. */
    public static final String FORMAT = "speech-sampler-columns";
    /** Version of the binary form. */
    public static final int VERSION = 1;

    /** Column types. */
    public enum Type { FLOAT, INT }

    private final int size;
    private final String[] names;
    private final Type[] types;
    /** float[] or int[] per column. */
    private final Object[] data;
    /** Per column: the array is shared with a snapshot, so the next write copies it. */
    private final boolean[] shared;
    private final boolean readOnly;

    private SampleColumns(int size, String[] names, Type[] types, Object[] data, boolean readOnly) {
        this.size = size;
        this.names = names;
        this.types = types;
        this.data = data;
        this.shared = new boolean[names.length];
        this.readOnly = readOnly;
    }

    /** Columns of {@code size} samples; add columns with the builder's methods. */
    public static Builder builder(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
        return new Builder(size);
    }

    /** Declares columns in order, each with the value every sample starts at. */
    public static final class Builder {
        private final int size;
        private final Map<String, Object> columns = new LinkedHashMap<>();

        private Builder(int size) {
            this.size = size;
        }

        public Builder floats(String name, float initial) {
            float[] a = new float[size];
            Arrays.fill(a, initial);
            return add(name, a);
        }

        public Builder ints(String name, int initial) {
            int[] a = new int[size];
            Arrays.fill(a, initial);
            return add(name, a);
        }

        private Builder add(String name, Object array) {
            checkName(name);
            if (columns.putIfAbsent(name, array) != null) {
                throw new IllegalArgumentException("column '" + name + "' is declared twice");
            }
            return this;
        }

        public SampleColumns build() {
            String[] n = columns.keySet().toArray(String[]::new);
            Type[] t = new Type[n.length];
            Object[] d = new Object[n.length];
            for (int c = 0; c < n.length; c++) {
                d[c] = columns.get(n[c]);
                t[c] = d[c] instanceof float[] ? Type.FLOAT : Type.INT;
            }
            return new SampleColumns(size, n, t, d, false);
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("a column name must be non-empty and short: " + name);
        }
    }

    /** Samples per column. */
    public int size() {
        return size;
    }

    /** Column names in order. */
    public List<String> names() {
        return List.of(names);
    }

    public Type type(int column) {
        return types[column];
    }

    /**
     * The index of the column {@code name}.
     *
     * @throws IllegalArgumentException naming the columns there are
     */
    public int column(String name) {
        for (int c = 0; c < names.length; c++) {
            if (names[c].equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no column '" + name + "'; columns: " + String.join(", ", names));
    }

    public float getFloat(int column, int sample) {
        return ((float[]) data[column])[sample];
    }

    public int getInt(int column, int sample) {
        return ((int[]) data[column])[sample];
    }

    public void setFloat(int column, int sample, float value) {
        ((float[]) writable(column))[sample] = value;
    }

    public void setInt(int column, int sample, int value) {
        ((int[]) writable(column))[sample] = value;
    }

    /** Sets every sample of an int column to {@code value}. */
    public void fillInt(int column, int value) {
        Arrays.fill((int[]) writable(column), value);
    }

    /** Sets every sample of a float column to {@code value}. */
    public void fillFloat(int column, float value) {
        Arrays.fill((float[]) writable(column), value);
    }

    /** The mean of a float column (0 for no samples), summed in double. */
    public double meanFloat(int column) {
        float[] a = (float[]) data[column];
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return a.length == 0 ? 0 : s / a.length;
    }

    private Object writable(int column) {
        if (readOnly) {
            throw new UnsupportedOperationException("a snapshot of sample columns is read-only");
        }
        if (shared[column]) {
            Object a = data[column];
            data[column] = a instanceof float[] f ? f.clone() : ((int[]) a).clone();
            shared[column] = false;
        }
        return data[column];
    }

    /** A read-only view of the values now, in O(1) (see the class comment); a snapshot's snapshot is itself. */
    public SampleColumns snapshot() {
        if (readOnly) {
            return this;
        }
        Arrays.fill(shared, true);
        return new SampleColumns(size, names, types, data.clone(), true);
    }

    /** True for a read-only snapshot. */
    public boolean isSnapshot() {
        return readOnly;
    }

    /** A writable copy (copy on write: O(1) until written). */
    public SampleColumns mutableCopy() {
        SampleColumns c = new SampleColumns(size, names, types, data.clone(), false);
        Arrays.fill(c.shared, true);
        if (!readOnly) {
            Arrays.fill(shared, true);
        }
        return c;
    }

    /**
     * Takes {@code other}'s values (sharing its arrays until the next write).
     *
     * @throws IllegalStateException when {@code other} has another size, other column names or
     *                               types; the message says what differs
     */
    public void restoreFrom(SampleColumns other) {
        if (readOnly) {
            throw new UnsupportedOperationException("a snapshot of sample columns is read-only");
        }
        requireLayout(other);
        for (int c = 0; c < data.length; c++) {
            data[c] = other.data[c];
            shared[c] = true;
        }
        if (!other.readOnly) {
            Arrays.fill(other.shared, true);
        }
    }

    /**
     * @throws IllegalStateException when {@code other} has another size, other column names or types
     */
    public void requireLayout(SampleColumns other) {
        if (other.size != size) {
            throw new IllegalStateException("the columns hold " + other.size + " samples; expected " + size
                    + " (one per utterance of this corpus)");
        }
        if (!Arrays.equals(other.names, names) || !Arrays.equals(other.types, types)) {
            throw new IllegalStateException("the columns are " + other.layout() + "; expected " + layout());
        }
    }

    private String layout() {
        List<String> l = new ArrayList<>();
        for (int c = 0; c < names.length; c++) {
            l.add(names[c] + " (" + types[c].name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return String.join(", ", l);
    }

    /** The binary form (see the class comment). */
    public byte[] toBytes() {
        byte[] format = FORMAT.getBytes(StandardCharsets.UTF_8);
        byte[][] nameBytes = new byte[names.length][];
        int header = 2 + format.length + 4 + 4 + 4;
        for (int c = 0; c < names.length; c++) {
            nameBytes[c] = names[c].getBytes(StandardCharsets.UTF_8);
            header += 2 + nameBytes[c].length + 1;
        }
        long total = header + 4L * size * names.length + 4;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("sample columns of " + total + " bytes do not fit one array");
        }
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) format.length).put(format).putInt(VERSION).putInt(size).putInt(names.length);
        for (int c = 0; c < names.length; c++) {
            b.putShort((short) nameBytes[c].length).put(nameBytes[c]).put((byte) types[c].ordinal());
        }
        for (Object a : data) {
            if (a instanceof float[] f) {
                b.asFloatBuffer().put(f);
                b.position(b.position() + 4 * f.length);
            } else {
                int[] i = (int[]) a;
                b.asIntBuffer().put(i);
                b.position(b.position() + 4 * i.length);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Reads the binary form (a writable object).
     *
     * @param what names the bytes in messages, e.g. {@code info-batch scores}
     * @throws IllegalStateException for bytes that are not this format or version, are truncated,
     *                               have bytes left over, or fail the CRC32 check
     */
    public static SampleColumns fromBytes(byte[] bytes, String what) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] format = new byte[b.getShort()];
            b.get(format);
            if (!FORMAT.equals(new String(format, StandardCharsets.UTF_8))) {
                throw new IllegalStateException(what + ": not " + FORMAT + " data");
            }
            int version = b.getInt();
            if (version != VERSION) {
                throw new IllegalStateException(what + ": " + FORMAT + " version " + version + "; expected " + VERSION);
            }
            int size = b.getInt();
            int count = b.getInt();
            if (size < 0 || count < 0 || count > 1024) {
                throw new IllegalStateException(what + ": " + size + " samples in " + count + " columns is not a "
                        + "valid header (damaged)");
            }
            String[] names = new String[count];
            Type[] types = new Type[count];
            for (int c = 0; c < count; c++) {
                byte[] n = new byte[b.getShort()];
                b.get(n);
                names[c] = new String(n, StandardCharsets.UTF_8);
                int t = b.get();
                if (t < 0 || t >= Type.values().length) {
                    throw new IllegalStateException(what + ": column '" + names[c] + "' has type " + t
                            + "; expected 0 (float) or 1 (int) (damaged)");
                }
                types[c] = Type.values()[t];
            }
            long expected = (long) b.position() + 4L * size * count + 4;
            if (expected != bytes.length) {
                throw new IllegalStateException(what + ": " + bytes.length + " bytes where " + size + " samples in "
                        + count + " columns take " + expected + " (" + (bytes.length < expected ? "truncated" : "bytes left over")
                        + ")");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()) {
                throw new IllegalStateException(what + ": the CRC32 check fails (damaged)");
            }
            Object[] data = new Object[count];
            for (int c = 0; c < count; c++) {
                if (types[c] == Type.FLOAT) {
                    float[] f = new float[size];
                    b.asFloatBuffer().get(f);
                    data[c] = f;
                } else {
                    int[] i = new int[size];
                    b.asIntBuffer().get(i);
                    data[c] = i;
                }
                b.position(b.position() + 4 * size);
            }
            return new SampleColumns(size, names, types, data, false);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalStateException(what + ": ends inside the header (truncated)");
        }
    }

    /** The binary form as a JSON binary node (written as base64 by a plain JSON writer). */
    public JsonNode toJson() {
        return JsonNodeFactory.instance.binaryNode(toBytes());
    }

    /**
     * Reads {@link #toJson()}'s node, or the base64 text a JSON reader gives for it.
     *
     * @throws IllegalStateException as {@link #fromBytes}, or for a node that is neither
     */
    public static SampleColumns fromJson(JsonNode node, String what) {
        if (node == null || !(node.isBinary() || node.isTextual())) {
            throw new IllegalStateException(what + ": expected " + FORMAT + " data (binary, or base64 text), got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        byte[] bytes;
        try {
            bytes = node.binaryValue();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(what + ": not base64 text (damaged)");
        }
        return fromBytes(bytes, what);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SampleColumns c) || c.size != size || !Arrays.equals(c.names, names)
                || !Arrays.equals(c.types, types)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            boolean same = data[i] instanceof float[] f ? Arrays.equals(f, (float[]) c.data[i])
                    : Arrays.equals((int[]) data[i], (int[]) c.data[i]);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(size, Arrays.hashCode(names));
        for (Object a : data) {
            h = 31 * h + (a instanceof float[] f ? Arrays.hashCode(f) : Arrays.hashCode((int[]) a));
        }
        return h;
    }

    @Override
    public String toString() {
        return "SampleColumns[" + size + " samples: " + layout() + "]";
    }
}
