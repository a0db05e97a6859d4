package io.speechsampler.benchmarks;

import io.speechsampler.api.state.SampleColumns;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SPI 2 section 6: per-sample state of two numbers per sample (a float score and an int stamp,
 * what {@code info-batch} keeps) in {@link SampleColumns} at N = 1e6. Measures the epoch-start
 * snapshot (O(1): shares the arrays), the first write after a snapshot (copies the column once),
 * and writing and reading the binary form that goes into a checkpoint's {@code state.bin}; the
 * trial's setup prints that form's bytes per sample (the goal: at most 16).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SampleStateBenchmark {

    /** The columns under test. */
    @State(Scope.Benchmark)
    public static class Columns {
        @Param({"1000000"})
        public int n;

        SampleColumns columns;
        byte[] bytes;
        int i;

        @Setup(Level.Trial)
        public void setUp() {
            columns = SampleColumns.builder(n).floats("score", 3f).ints("stamp", 0).build();
            for (int k = 0; k < n; k++) {
                columns.setFloat(0, k, k * 1e-6f);
                columns.setInt(1, k, k);
            }
            bytes = columns.toBytes();
            System.out.printf("%nbinary form: %d bytes for %d samples, %.5f bytes per sample%n", bytes.length, n,
                    (double) bytes.length / n);
        }
    }

    /** The epoch-start snapshot: O(1) in N. */
    @Benchmark
    public SampleColumns snapshot(Columns c) {
        return c.columns.snapshot();
    }

    /** A snapshot and the first write after it: the written column is copied once (O(N), once per epoch). */
    @Benchmark
    public SampleColumns snapshotThenWrite(Columns c) {
        SampleColumns s = c.columns.snapshot();
        c.columns.setFloat(0, c.i++ % c.n, 1f);
        return s;
    }

    /** The binary form of both columns (what a checkpoint writes). */
    @Benchmark
    public byte[] toBytes(Columns c) {
        return c.columns.toBytes();
    }

    /** Reading and checking it back (header and CRC32). */
    @Benchmark
    public SampleColumns fromBytes(Columns c) {
        return SampleColumns.fromBytes(c.bytes, "bench");
    }
}
