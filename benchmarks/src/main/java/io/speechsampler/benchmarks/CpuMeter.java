package io.speechsampler.benchmarks;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CPU time next to wall time. The machine these benchmarks run on is shared with other builds,
 * so wall-clock throughput swings with their load; the CPU time the benchmark JVM itself consumed
 * (all its threads: the benchmark, rendering and PyTorch threads, GC and JIT) moves much less.
 * Per iteration JMH reports the totals {@code cpuNanos} (from the iteration's set-up to its
 * tear-down) and {@code work} (draws, seconds of audio or steps, as each benchmark counts);
 * {@code work / cpuNanos * 1e9} is the throughput per CPU second. The process CPU clock ticks in
 * 10 ms steps on Linux, so it is read once per iteration, not per invocation.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuMeter {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Process CPU nanoseconds consumed during the iteration. */
    public long cpuNanos;
    /** Units of work done during the iteration. */
    public double work;

    private long start;

    @Setup(Level.Iteration)
    public void start() {
        work = 0;
        cpuNanos = 0;
        start = OS.getProcessCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        cpuNanos = OS.getProcessCpuTime() - start;
    }

    /** Counts {@code units} of work. */
    void add(double units) {
        work += units;
    }
}
