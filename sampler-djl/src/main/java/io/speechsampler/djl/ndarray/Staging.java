package io.speechsampler.djl.ndarray;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Float tensors from Java arrays through one reused staging buffer per thread.
 *
 * <p>{@code NDManager.create(float[])} wraps the array, allocates a fresh zeroed direct buffer
 * of its size, copies into it and hands that buffer to the engine, whose tensor then aliases
 * it (PyTorch's {@code from_blob}); the buffer's memory is freed only when the garbage collector
 * finds the buffer. A training loop that creates its batch this way every step (a few hundred
 * kilobytes to megabytes) leaves megabytes of direct memory for the collector, and the native
 * allocator hands out fresh pages for every new one: measured in {@code TrainingLoopBenchmark},
 * the loop's thread took about twice the page faults of a loop on precomputed tensors and half
 * of the loop's 10% overhead went there (BENCHMARKS.md, section 3c).
 *
 * <p>Here the values are written into a direct buffer the calling thread keeps (grown to the
 * largest tensor it has staged), a tensor is made over it, and that tensor is duplicated into
 * memory the engine owns before the alias is closed: the result never refers to the staging
 * buffer, so the buffer is free for the next call at once. The cost is one copy inside the
 * engine, which reuses the memory it freed a step earlier.
 */
public final class Staging {

    private static final ThreadLocal<ByteBuffer[]> BUFFER = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private Staging() {
    }

    /** A (rows, t) tensor of equally long rows. */
    public static NDArray matrix(NDManager manager, float[][] rows) {
        int t = rows[0].length;
        FloatBuffer fb = floats((long) rows.length * t);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != t) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + t);
            }
            fb.put(rows[i]);
        }
        return tensor(manager, new Shape(rows.length, t));
    }

    /** A (rows, s, t) tensor: per row {@code s} equally long series. */
    public static NDArray cube(NDManager manager, float[][][] rows) {
        int s = rows[0].length;
        int t = rows[0][0].length;
        FloatBuffer fb = floats((long) rows.length * s * t);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != s) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " sources, row 0 has " + s);
            }
            for (int j = 0; j < s; j++) {
                if (rows[i][j].length != t) {
                    throw new IllegalArgumentException("row " + i + ", source " + j + " has " + rows[i][j].length
                            + " values, row 0 has " + t);
                }
                fb.put(rows[i][j]);
            }
        }
        return tensor(manager, new Shape(rows.length, s, t));
    }

    /** A tensor of {@code shape} holding {@code values} (row-major). */
    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + shape);
        }
        floats(values.length).put(values);
        return tensor(manager, shape);
    }

    /** The thread's staging buffer, at least {@code count} floats, as a float view at position 0. */
    private static FloatBuffer floats(long count) {
        long bytes = count * Float.BYTES;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + count + " floats does not fit one buffer");
        }
        ByteBuffer[] holder = BUFFER.get();
        if (holder[0] == null || holder[0].capacity() < bytes) {
            long grown = Math.max(bytes, holder[0] == null ? 0 : Math.min(Integer.MAX_VALUE - 8L,
                    2L * holder[0].capacity()));
            holder[0] = ByteBuffer.allocateDirect((int) grown).order(ByteOrder.nativeOrder());
        }
        ByteBuffer b = holder[0];
        b.clear();
        return b.asFloatBuffer();
    }

    private static NDArray tensor(NDManager manager, Shape shape) {
        int bytes = Math.toIntExact(shape.size() * Float.BYTES);
        ByteBuffer view = BUFFER.get()[0].slice(0, bytes).order(ByteOrder.nativeOrder());
        NDArray alias = manager.create(view, shape, DataType.FLOAT32);
        try {
            return alias.duplicate();
        } finally {
            alias.close();
        }
    }
}
