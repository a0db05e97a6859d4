package io.speechsampler.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.audio.mix.MixtureRenderer;
import io.speechsampler.audio.mix.RenderedMixture;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.loss.GradientClipping;
import io.speechsampler.djl.loss.PitSiSnrLoss;
import io.speechsampler.djl.model.ConvTasNet;
import io.speechsampler.djl.model.ConvTasNetConfig;
import io.speechsampler.djl.train.BatchRenderer;
import io.speechsampler.djl.train.RenderedBatch;
import io.speechsampler.djl.train.StatefulAdam;
import io.speechsampler.djl.train.StepListener;
import io.speechsampler.djl.train.StepReport;
import io.speechsampler.djl.train.Task;
import io.speechsampler.djl.train.TrainSettings;
import io.speechsampler.djl.train.TrainingLoop;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.run.TrainingRun;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training steps per second of our {@link TrainingLoop} against a bare DJL loop, same model (tiny
 * Conv-TasNet, 2 sources), same batch shape (4 mixtures of 1 s at 8 kHz), same loss (PIT SI-SNR),
 * same global-norm gradient clipping at 5 and the same Adam ({@link StatefulAdam}, lr 1e-3), in one
 * JMH run. One invocation is one training step in both, so the primary score is steps per second.
 *
 * <p><b>Our loop</b> runs exactly as a user runs it: a pipeline (dynamic mixing of a synthetic
 * 64-utterance corpus, fixed batches of 4, uniform loss weighting, and an outcome observer that
 * streams per-id loss statistics), rendering by {@link MixtureRenderer} from an in-memory
 * {@link AudioCache} on the loop's background thread (prefetch on), per-sample losses and SI-SNRi
 * metrics, the weighting, outcome feedback to the pipeline, epoch ends (16 steps an epoch).
 * TrainingLoop has no hook to run a given number of steps, so the loop runs on its own thread for a
 * practically unbounded number of epochs, and the {@link StepListener} hands control back to the
 * benchmark thread after every step: an invocation releases the loop for one step and waits for
 * that step's report. The hand-off (two semaphores) costs microseconds against a step of tens of
 * milliseconds.
 *
 * <p><b>The bare loop</b> precomputes the first 1,024 batches of the same pipeline (rendered by the
 * same renderer) as tensors, starts from our loop's initial weights and per step copies one batch
 * into a scratch manager, then: forward, per-sample PIT SI-SNR loss, mean, backward, global-norm
 * clipping, Adam step, and reads the loss back. No sampler, rendering, weighting, metric or
 * feedback. Both loops thus take the same batches in the same order from the same weights, and
 * their losses stay together ({@link PairMeter#lossGap}). Clipping is in both because without it
 * this model and data reached a NaN loss within about 50 steps, which stops our loop (as it should).
 *
 * <p><b>Paired</b> benchmarks ({@code pairedLoopSteps}, {@code pairedRunSteps}) take one step of
 * each in the same invocation, the order alternating, and measure each side's wall and CPU time:
 * the machine's speed drifts by more than the few percent to resolve between forks and minutes,
 * and pairing cancels it. {@code benchmarks/scripts/paired_overhead.py} turns the JSON result into
 * the overhead per fork and its 95% interval over forks (BENCHMARKS.md, section 3c).
 *
 * <p>PyTorch runs with one intra-op and one inter-op thread on both sides: on the shared two-core
 * machine, the default two intra-op threads made single steps of our loop take from 0.1 s to
 * 19 s as other processes took the cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class TrainingLoopBenchmark {

    private static final int RATE = 8000;
    private static final double CLIP_NORM = 5;
    private static final int BATCH = 4;
    private static final int SPEAKERS = 16;
    private static final String CONFIG = "seed: 1\n"
            + "sampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 1.0}\n"
            + "batch: {name: fixed, size: " + BATCH + ", drop_incomplete: true}\n"
            + "weighting: {name: uniform}\n"
            + "observers: [{name: bench-loss-stats}]\n";

    static {
        System.setProperty("ai.djl.offline", "true");
    }

    /** Synthetic speech on disk (1.5 s utterances), all of it held in an in-memory cache. */
    static final class Data {
        final Corpus corpus;
        final BatchRenderer renderer;

        final Path dir;

        /** The synthetic corpus writer's 16 speakers of {@code perSpeaker} utterances of about 1.5 s, in a temporary folder. */
        Data(int perSpeaker) throws IOException {
            dir = Files.createTempDirectory("loop-bench");
            SyntheticCorpus.write(new SynthSpec(SPEAKERS, perSpeaker, 1.5, RATE, 1, 0, 0), dir.resolve("corpus"),
                    io.speechsampler.audio.synth.ProgressListener.NONE);
            corpus = CorpusReader.read(dir.resolve("corpus/train"));
            List<Utterance> utts = corpus.utterances();
            AudioCache cache = AudioCache.of(Long.MAX_VALUE);
            utts.forEach(cache::get);
            MixtureRenderer mixer = MixtureRenderer.of(corpus, cache);
            renderer = draws -> {
                float[][] mix = new float[draws.size()][];
                float[][][] src = new float[draws.size()][][];
                for (int i = 0; i < draws.size(); i++) {
                    RenderedMixture r = mixer.render((MixtureDraw) draws.get(i));
                    mix[i] = r.mixture();
                    src[i] = r.sources();
                }
                return RenderedBatch.separation(mix, src);
            };
        }

        Pipeline pipeline() {
            return Pipeline.build(RunConfig.parse(CONFIG, "bench.yaml", corpus.source()), corpus,
                    ProviderRegistry.load(), 0, 1);
        }

        void delete() throws IOException {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The corpus every side of a trial trains on. */
    @State(Scope.Benchmark)
    public static class CorpusSize {
        /**
         * Utterances per speaker (16 speakers): 4 gives epochs of 16 steps (the run then writes a
         * checkpoint every 16 steps), 64 epochs of 256 steps.
         */
        @Param({"4"})
        public int perSpeaker;
    }

    /**
     * A training loop on its own thread that takes exactly one step each time {@link #step} lets it:
     * its {@link StepListener} hands control back after every step (two semaphores). Knows the
     * threads the loop started (its own, the prefetch thread, a progress bar's), so that their CPU
     * time can be told apart from the benchmark thread's.
     */
    static final class Stepper {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final Semaphore go = new Semaphore(0);
        private final Semaphore done = new Semaphore(0);
        private volatile boolean stop;
        private volatile Throwable failure;
        private Thread thread;
        private long[] threadIds = new long[0];
        private long[] rendererIds = new long[0];
        /** The loss of the loop's last step. */
        volatile double lastLoss = Double.NaN;

        final StepListener handOff = new StepListener() {
            @Override
            public void onStep(StepReport report) {
                if (report != null) {
                    lastLoss = report.loss();
                }
                done.release();
                go.acquireUninterruptibly();
                if (stop) {
                    throw new Stopped();
                }
            }
        };

        /** Starts {@code body} (which runs a loop with {@link #handOff} as a listener) and waits for its first step. */
        void start(String name, Callable<?> body) {
            java.util.Set<Long> before = new java.util.HashSet<>();
            Thread.getAllStackTraces().keySet().forEach(t -> before.add(t.getId()));
            thread = new Thread(() -> {
                try {
                    body.call();
                } catch (Stopped e) {
                    // the benchmark is over
                } catch (Throwable t) {
                    if (!(t.getCause() instanceof Stopped)) {
                        failure = t;
                        done.release();
                    }
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
            await(); // the first step (trainer initialisation) is not measured
            threadIds = Thread.getAllStackTraces().keySet().stream().mapToLong(Thread::getId)
                    .filter(id -> !before.contains(id)).toArray();
            rendererIds = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t.getId())
                    && t.getName().equals("batch-renderer")).mapToLong(Thread::getId).toArray();
        }

        /** Lets the loop take one step and waits for it. */
        void step() {
            go.release();
            await();
        }

        private void await() {
            done.acquireUninterruptibly();
            if (failure != null) {
                throw new IllegalStateException("the training loop failed: " + failure, failure);
            }
        }

        /** CPU nanoseconds of the threads the loop started, so far. */
        long cpuNanos() {
            return cpuNanos(threadIds);
        }

        /** CPU nanoseconds of the loop's prefetch thread (rendering), so far. */
        long renderCpuNanos() {
            return cpuNanos(rendererIds);
        }

        private static long cpuNanos(long[] ids) {
            long sum = 0;
            for (long id : ids) {
                long t = THREADS.getThreadCpuTime(id);
                if (t > 0) {
                    sum += t;
                }
            }
            return sum;
        }

        void stop() throws InterruptedException {
            stop = true;
            go.release();
            thread.join(60_000);
        }
    }

    /** Our loop, running on its own thread one step at a time. */
    @State(Scope.Benchmark)
    public static class OurLoop {
        final Stepper stepper = new Stepper();
        private TrainingLoop loop;
        private Data data;
        /** Render the next batch on the loop's prefetch thread while a step trains (as a run does). */
        @Param({"true"})
        public boolean prefetch;

        @Setup(Level.Trial)
        public void setUp(CorpusSize size) throws IOException {
            data = new Data(size.perSpeaker);
            TrainSettings settings = new TrainSettings(1_000_000, 0, 1e-3, CLIP_NORM, 0, null, 0, prefetch, "cpu",
                    null);
            loop = TrainingLoop.builder().setPipeline(data.pipeline())
                    .setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(2))).setTask(Task.separation(2))
                    .setRenderer(data.renderer).setSettings(settings).optListener(stepper.handOff).build();
            stepper.start("training-loop", loop::run);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException, IOException {
            stepper.stop();
            loop.close();
            data.delete();
        }
    }

    /**
     * The run library as {@code ./sampler train} uses it: {@link TrainingRun#train} on a corpus on
     * disk (the same 64 utterances, written by the synthetic corpus writer), the same pipeline
     * config plus {@code model: conv-tasnet, preset: tiny}, with everything a run does besides the
     * loop: WAV reading through the run's audio cache, {@code metrics.jsonl} and
     * {@code batches.jsonl} written and flushed a line per step, the progress bar, and a checkpoint
     * (parameters and Adam state, written atomically) at every epoch end, that is every 16 steps.
     */
    @State(Scope.Benchmark)
    public static class RunLoop {
        final Stepper stepper = new Stepper();
        private Data data;

        @Setup(Level.Trial)
        public void setUp(CorpusSize size) throws IOException {
            data = new Data(size.perSpeaker);
            String yaml = CONFIG + "corpus: corpus/train\n"
                    + "model: {name: conv-tasnet, preset: tiny, sources: 2}\n"
                    + "train: {epochs: 1000000, lr: 0.001, clip_norm: " + CLIP_NORM + ", device: cpu}\n";
            RunConfig cfg = RunConfig.parse(yaml, "bench.yaml", data.dir);
            stepper.start("training-run", () -> TrainingRun.train(cfg, null, data.dir.resolve("run"), false,
                    TrainingRun.Options.NONE.withListener(stepper.handOff)));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException, IOException {
            stepper.stop();
            data.delete();
        }
    }

    /** The bare DJL loop on a thread of its own, stepped like ours (to see what the thread costs). */
    @State(Scope.Benchmark)
    public static class BareOnThread {
        final Stepper stepper = new Stepper();

        @Setup(Level.Trial)
        public void setUp(BareLoop bare) {
            stepper.start("bare-loop", () -> {
                while (true) {
                    bare.step();
                    stepper.handOff.onStep(null);
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stepper.stop();
        }
    }

    /**
     * Wall and CPU time of the two sides of a paired benchmark, summed over an iteration. The
     * bare side's CPU is the benchmark thread's; our side's is that of the threads its loop
     * started. GC and JIT threads count for neither.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PairMeter {
        public long bareWallNanos;
        public long oursWallNanos;
        public long bareCpuNanos;
        public long oursCpuNanos;
        /** Of {@link #oursCpuNanos}: the prefetch thread's, rendering the next batch. */
        public long oursRenderCpuNanos;
        public long pairs;
        /**
         * Sum over pairs of |our loss - bare loss| (both sides take the same batches from the same
         * initial weights, so this stays near 0 while their trajectories agree).
         */
        public double lossGap;
        long oursCpuStart;
        long oursRenderCpuStart;
        long bareCpuStart;

        @Setup(Level.Iteration)
        public void reset() {
            bareWallNanos = 0;
            oursWallNanos = 0;
            bareCpuNanos = 0;
            oursCpuNanos = 0;
            oursRenderCpuNanos = 0;
            pairs = 0;
            lossGap = 0;
            oursCpuStart = -1;
        }
    }

    /** Thrown from the listener to end the loop's thread. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    /** The bare DJL loop's model, trainer and precomputed batch tensors. */
    @State(Scope.Benchmark)
    public static class BareLoop {
        Model model;
        Trainer trainer;
        NDManager tensors;
        List<NDArray> mixtures = new ArrayList<>();
        List<NDArray> references = new ArrayList<>();
        PitSiSnrLoss loss = PitSiSnrLoss.of(2);
        int next;
        /**
         * Batches of the pipeline rendered in set-up and cycled through: 1024 (the batches our loop
         * takes in its first 1,024 steps, in its order), or 16 (as this benchmark had before).
         */
        @Param({"1024"})
        public int batches;
        /**
         * {@code tensors}: each step copies precomputed tensors (the original reference);
         * {@code arrays}: each step creates its tensors from the rendered Java arrays, as a loop fed
         * by a renderer must.
         */
        @Param({"tensors"})
        public String inputs;
        final List<RenderedBatch> rendered = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp(CorpusSize size) throws IOException {
            Data data = new Data(size.perSpeaker);
            Pipeline p = data.pipeline();
            model = Model.newInstance("bare", Device.cpu());
            model.setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(2)));
            tensors = model.getNDManager().newSubManager();
            while (mixtures.size() < batches) {
                Optional<Batch> b = p.nextInEpoch();
                if (b.isEmpty()) {
                    p.finishEpoch();
                    continue;
                }
                RenderedBatch r = data.renderer.render(b.get().draws());
                if (inputs.equals("arrays")) {
                    rendered.add(r);
                }
                mixtures.add(tensors.create(flatten(r.mixture()), new Shape(r.size(), r.length())));
                float[][][] s = r.sources();
                float[][] rows = new float[s.length * s[0].length][];
                for (int i = 0; i < s.length; i++) {
                    for (int j = 0; j < s[i].length; j++) {
                        rows[i * s[i].length + j] = s[i][j];
                    }
                }
                references.add(tensors.create(flatten(rows), new Shape(r.size(), s[0].length, r.length())));
            }
            // our loop's initialisation seed: both sides start from the same weights and take the
            // same batches in the same order (ours has taken batch 0 in its set-up)
            Engine.getInstance().setRandomSeed((int) RandomStreams.derive(1, "djl/init", 0));
            next = 1;
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(StatefulAdam.of(1e-3))
                    .optDevices(new Device[] {Device.cpu()}));
            trainer.initialize(mixtures.get(0).getShape());
            data.delete();
        }

        private static float[] flatten(float[][] rows) {
            int t = rows[0].length;
            float[] flat = new float[rows.length * t];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, flat, i * t, t);
            }
            return flat;
        }

        /** One step: forward, per-sample loss, mean, backward, clipping, Adam; returns the loss. */
        float step() {
            int k = next++ % mixtures.size();
            try (NDManager scratch = trainer.getManager().newSubManager()) {
                NDArray mix;
                NDArray ref;
                if (inputs.equals("arrays")) {
                    RenderedBatch r = rendered.get(k);
                    mix = scratch.create(flatten(r.mixture()), new Shape(r.size(), r.length()));
                    float[][][] src = r.sources();
                    float[] flat = new float[src.length * src[0].length * r.length()];
                    for (int i = 0; i < src.length; i++) {
                        for (int j = 0; j < src[i].length; j++) {
                            System.arraycopy(src[i][j], 0, flat, (i * src[i].length + j) * r.length(), r.length());
                        }
                    }
                    ref = scratch.create(flat, new Shape(r.size(), src[0].length, r.length()));
                } else {
                    mix = mixtures.get(k).duplicate();
                    mix.attach(scratch);
                    ref = references.get(k).duplicate();
                    ref.attach(scratch);
                }
                float value;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(new NDList(mix));
                    NDArray total = loss.compute(out.get(0), ref).loss().mean();
                    value = total.getFloat();
                    collector.backward(total);
                }
                GradientClipping.clipGlobalNorm(model.getBlock().getParameters(), CLIP_NORM, scratch);
                trainer.step();
                return value;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            trainer.close();
            model.close();
        }
    }

    /** One step of our TrainingLoop (pipeline, rendering, loss, weighting, feedback, epoch ends). */
    @Benchmark
    public void trainingLoopStep(OurLoop s, CpuMeter cpu) {
        s.stepper.step();
        cpu.add(1);
    }

    /** One step of {@link TrainingRun} (the loop plus the run's logs, progress bar and checkpoints). */
    @Benchmark
    public void trainingRunStep(RunLoop s, CpuMeter cpu) {
        s.stepper.step();
        cpu.add(1);
    }

    /** One step of a bare DJL loop on precomputed tensors. */
    @Benchmark
    public float bareDjlStep(BareLoop s, CpuMeter cpu) {
        cpu.add(1);
        return s.step();
    }

    /**
     * One bare DJL step, then one step of our loop, in the same JVM: both sides see the same
     * machine within a fraction of a second of each other, so that drift in the machine's speed
     * (other processes, steal time) cancels out of their ratio. The score is pairs per second;
     * {@link PairMeter} has each side's wall and CPU time.
     */
    @Benchmark
    public float pairedLoopSteps(BareLoop bare, OurLoop ours, PairMeter m) {
        return paired(bare, ours.stepper, m);
    }

    /** As {@link #pairedLoopSteps}, with {@link TrainingRun} as our side. */
    @Benchmark
    public float pairedRunSteps(BareLoop bare, RunLoop ours, PairMeter m) {
        return paired(bare, ours.stepper, m);
    }

    /** As {@link #pairedLoopSteps}, with the bare loop on a thread of its own too. */
    @Benchmark
    public void pairedThreadedSteps(BareOnThread bare, OurLoop ours, PairMeter m) {
        if (m.oursCpuStart < 0) {
            m.oursCpuStart = ours.stepper.cpuNanos();
            m.bareCpuStart = bare.stepper.cpuNanos();
        }
        boolean oursFirst = (m.pairs & 1) == 1;
        long t0 = System.nanoTime();
        if (oursFirst) {
            ours.stepper.step();
        }
        long t1 = System.nanoTime();
        bare.stepper.step();
        long t2 = System.nanoTime();
        if (!oursFirst) {
            ours.stepper.step();
        }
        long t3 = System.nanoTime();
        m.bareWallNanos += t2 - t1;
        m.oursWallNanos += (t1 - t0) + (t3 - t2);
        m.bareCpuNanos = bare.stepper.cpuNanos() - m.bareCpuStart;
        m.oursCpuNanos = ours.stepper.cpuNanos() - m.oursCpuStart;
        m.pairs++;
    }

    private static float paired(BareLoop bare, Stepper ours, PairMeter m) {
        if (m.oursCpuStart < 0) {
            m.oursCpuStart = ours.cpuNanos();
            m.oursRenderCpuStart = ours.renderCpuNanos();
        }
        // the order alternates, so that what one side leaves behind (caches, garbage) falls on both
        boolean oursFirst = (m.pairs & 1) == 1;
        long t0 = System.nanoTime();
        if (oursFirst) {
            ours.step();
        }
        long c1 = CPU.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        float v = bare.step();
        long t2 = System.nanoTime();
        long c2 = CPU.getCurrentThreadCpuTime();
        if (!oursFirst) {
            ours.step();
        }
        long t3 = System.nanoTime();
        m.bareWallNanos += t2 - t1;
        m.oursWallNanos += (t1 - t0) + (t3 - t2);
        m.bareCpuNanos += c2 - c1;
        m.oursCpuNanos = ours.cpuNanos() - m.oursCpuStart;
        m.oursRenderCpuNanos = ours.renderCpuNanos() - m.oursRenderCpuStart;
        m.lossGap += Math.abs(ours.lastLoss - v);
        m.pairs++;
        return v;
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
}
