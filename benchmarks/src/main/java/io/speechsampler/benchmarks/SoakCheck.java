package io.speechsampler.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.speechsampler.api.io.AtomicFiles;
import io.speechsampler.djl.model.ConvTasNet;
import io.speechsampler.djl.model.ConvTasNetConfig;
import io.speechsampler.djl.train.StepListener;
import io.speechsampler.djl.train.StepReport;
import io.speechsampler.djl.train.Task;
import io.speechsampler.djl.train.TrainSettings;
import io.speechsampler.djl.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Long runs stay flat: trains the tiny Conv-TasNet of {@link TrainingLoopBenchmark} (dynamic mixing
 * of 1 s segments, batch 4, prefetch on, a checkpoint every 1,000 steps) for N steps and records,
 * every 500 steps, the live NDArrays under the model's manager (the trainer's and every batch's
 * managers are its children, so a leaked temporary shows here), the process's resident memory
 * (VmRSS: native libtorch memory included) and the JVM heap in use after a GC. Not a JMH benchmark
 * and not part of {@code verify}: it is a check, run by hand and reported in BENCHMARKS.md.
 *
 * <pre>java -Dai.djl.offline=true -cp benchmarks/target/benchmarks.jar io.speechsampler.benchmarks.SoakCheck 10000 soak.csv</pre>
 */
public final class SoakCheck {

    private static final int EVERY = 500;

    private SoakCheck() {
    }

    /** Thrown by the listener to end the loop after the last step. */
    private static final class Done extends RuntimeException {
        Done() {
            super(null, null, false, false);
        }
    }

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path csv = Path.of(args.length > 1 ? args[1] : "soak.csv");
        AtomicFiles.checkTarget(csv);
        TrainingLoopBenchmark.Data data = new TrainingLoopBenchmark.Data(4);
        Path checkpoints = Files.createTempDirectory("soak-checkpoints");
        TrainSettings settings = new TrainSettings(1_000_000, 0, 1e-3, 5, 0, checkpoints, 1000, true, "cpu", null);
        Block block = ConvTasNet.separation(ConvTasNetConfig.tiny(2));
        StringBuilder rows = new StringBuilder("step,live_ndarrays,rss_mib,heap_used_mib,steps_per_s\n");
        long start = System.nanoTime();
        StepListener probe = new StepListener() {
            private long done;

            @Override
            public void onStep(StepReport report) {
                done++;
                if (done % EVERY == 0 || done == 1) {
                    NDManager modelManager = block.getParameters().get(0).getValue().getArray().getManager();
                    int live = modelManager.getManagedArrays().size();
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    double heap = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double rate = done / seconds;
                    String row = String.format(Locale.ROOT, "%d,%d,%.1f,%.1f,%.2f", done, live, rssMib(), heap, rate);
                    rows.append(row).append('\n');
                    System.out.printf(Locale.ROOT, "soak: step %d/%d  live NDArrays %d  RSS %.1f MiB  heap %.1f MiB  "
                            + "%.2f steps/s  ETA %.0f s%n", done, steps, live, rssMib(), heap, rate,
                            (steps - done) / rate);
                }
                if (done >= steps) {
                    throw new Done();
                }
            }
        };
        TrainingLoop loop = TrainingLoop.builder().setPipeline(data.pipeline()).setBlock(block)
                .setTask(Task.separation(2)).setRenderer(data.renderer).setSettings(settings).optListener(probe)
                .build();
        try {
            loop.run();
        } catch (Done finished) {
            // the requested number of steps has run
        }
        AtomicFiles.writeString(csv, rows.toString());
        System.out.println("soak: wrote " + csv);
        System.exit(0);
    }

    private static double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
