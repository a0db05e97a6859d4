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
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.audio.mix.MixtureRenderer;
import io.speechsampler.audio.mix.RenderedMixture;
import io.speechsampler.audio.synth.Sex;
import io.speechsampler.audio.synth.SourceFilterSynthesizer;
import io.speechsampler.audio.synth.SpeakerProfile;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.audio.wav.WavWriter;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
 * <p><b>The bare loop</b> precomputes 16 batches (the first epoch of the same pipeline, rendered by
 * the same renderer) as tensors and per step copies one into a scratch manager, then: forward,
 * per-sample PIT SI-SNR loss, mean, backward, global-norm clipping, Adam step, and reads the loss
 * back. No sampler, rendering, weighting, metric or feedback. Clipping is in both because without
 * it this model and data reached a NaN loss within about 50 steps, which stops our loop (as it
 * should).
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
    private static final int PER_SPEAKER = 4;
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

        Data() throws IOException {
            Path dir = Files.createTempDirectory("loop-bench");
            SourceFilterSynthesizer synth = SourceFilterSynthesizer.of(RATE);
            int n = RATE * 3 / 2;
            List<Utterance> utts = new ArrayList<>();
            for (int s = 0; s < SPEAKERS; s++) {
                SpeakerProfile sp = SpeakerProfile.draw(String.format("spk%02d", s), s % 2 == 0 ? Sex.MALE : Sex.FEMALE,
                        RandomStreams.of(1, "bench/speaker", s));
                for (int u = 0; u < PER_SPEAKER; u++) {
                    String id = sp.id() + "-" + u;
                    Path wav = dir.resolve(id + ".wav");
                    WavWriter.write(wav, synth.synthesize(sp, n, RandomStreams.of(1, "bench/utt/" + id, 0)).samples(),
                            RATE);
                    utts.add(new Utterance(id, sp.id(), wav, 0, n, RATE, List.of()));
                }
            }
            corpus = Corpus.of(dir, utts);
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
    }

    /** Our loop, running on its own thread one step at a time. */
    @State(Scope.Benchmark)
    public static class OurLoop {
        private final Semaphore go = new Semaphore(0);
        private final Semaphore done = new Semaphore(0);
        private volatile boolean stop;
        private volatile Throwable failure;
        private TrainingLoop loop;
        private Thread thread;

        @Setup(Level.Trial)
        public void setUp() throws IOException, InterruptedException {
            Data data = new Data();
            TrainSettings settings = new TrainSettings(1_000_000, 0, 1e-3, CLIP_NORM, 0, null, 0, true, "cpu", null);
            StepListener handOff = new StepListener() {
                @Override
                public void onStep(StepReport report) {
                    done.release();
                    go.acquireUninterruptibly();
                    if (stop) {
                        throw new Stopped();
                    }
                }
            };
            loop = TrainingLoop.builder().setPipeline(data.pipeline())
                    .setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(2))).setTask(Task.separation(2))
                    .setRenderer(data.renderer).setSettings(settings).optListener(handOff).build();
            thread = new Thread(() -> {
                try {
                    loop.run();
                } catch (Stopped e) {
                    // the benchmark is over
                } catch (Throwable t) {
                    failure = t;
                    done.release();
                }
            }, "training-loop");
            thread.setDaemon(true);
            thread.start();
            awaitStep(); // the first step (trainer initialisation) is not measured
        }

        void awaitStep() {
            done.acquireUninterruptibly();
            if (failure != null) {
                throw new IllegalStateException("the training loop failed: " + failure, failure);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop = true;
            go.release();
            thread.join(60_000);
            loop.close();
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

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Data data = new Data();
            Pipeline p = data.pipeline();
            model = Model.newInstance("bare", Device.cpu());
            model.setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(2)));
            tensors = model.getNDManager().newSubManager();
            Optional<Batch> b;
            while ((b = p.nextInEpoch()).isPresent()) {
                RenderedBatch r = data.renderer.render(b.get().draws());
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
            Engine.getInstance().setRandomSeed(1);
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(StatefulAdam.of(1e-3))
                    .optDevices(new Device[] {Device.cpu()}));
            trainer.initialize(mixtures.get(0).getShape());
        }

        private static float[] flatten(float[][] rows) {
            int t = rows[0].length;
            float[] flat = new float[rows.length * t];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, flat, i * t, t);
            }
            return flat;
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
        s.go.release();
        s.awaitStep();
        cpu.add(1);
    }

    /** One step of a bare DJL loop on precomputed tensors. */
    @Benchmark
    public float bareDjlStep(BareLoop s, CpuMeter cpu) {
        int k = s.next++ % s.mixtures.size();
        try (NDManager scratch = s.trainer.getManager().newSubManager()) {
            NDArray mix = s.mixtures.get(k).duplicate();
            mix.attach(scratch);
            NDArray ref = s.references.get(k).duplicate();
            ref.attach(scratch);
            float value;
            try (GradientCollector collector = s.trainer.newGradientCollector()) {
                NDList out = s.trainer.forward(new NDList(mix));
                NDArray total = s.loss.compute(out.get(0), ref).loss().mean();
                value = total.getFloat();
                collector.backward(total);
            }
            GradientClipping.clipGlobalNorm(s.model.getBlock().getParameters(), CLIP_NORM, scratch);
            s.trainer.step();
            cpu.add(1);
            return value;
        }
    }
}
