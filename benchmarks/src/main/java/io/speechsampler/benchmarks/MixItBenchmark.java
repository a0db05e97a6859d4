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
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.MixtureDraw;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.audio.mix.MixtureRenderer;
import io.speechsampler.audio.mix.RenderedMixture;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.audio.wav.AudioCache;
import io.speechsampler.core.pipeline.Pipeline;
import io.speechsampler.djl.loss.GradientClipping;
import io.speechsampler.djl.loss.MixItLoss;
import io.speechsampler.djl.loss.PitSiSnrLoss;
import io.speechsampler.djl.loss.SiSnr;
import io.speechsampler.djl.model.ConvTasNet;
import io.speechsampler.djl.model.ConvTasNetConfig;
import io.speechsampler.djl.train.StatefulAdam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * What MixIT's loss over all 2^M assignments (M = 4) costs in a training step of the tiny
 * Conv-TasNet with 4 outputs (issue 13, Speed: at most 20% of the step, against the same step with
 * PIT). Three bare DJL steps (forward, loss, mean, backward, global-norm clipping at 5, Adam 1e-3),
 * each side its own model from the same initial weights, on the same precomputed batches in the
 * same order: 4 mixtures of 1 s at 8 kHz, each the sum of two dynamic mixtures of 2 sources of a
 * synthetic corpus:
 * <ul>
 * <li>{@code mixit}: {@link MixItLoss} of the 4 outputs against the 2 reference mixtures (16
 *     assignments);</li>
 * <li>{@code pit}: {@link PitSiSnrLoss} of the 4 outputs against the 4 sources (24 permutations);</li>
 * <li>{@code fixed}: negative SI-SNR of output j against source j, no search: the step without
 *     an assignment loss's search, so {@code (mixit - fixed) / mixit} bounds the search's share.</li>
 * </ul>
 * One invocation takes one step of each side, the order rotating, so that the machine's drift
 * falls on all three alike ({@link Meter} sums each side's wall time over an iteration). Read
 * {@code mixitNanos / pitNanos} (MixIT's step against PIT's) and {@code (mixitNanos -
 * fixedNanos) / mixitNanos} (the share of MixIT's step spent beyond a fixed-order loss).
 * One PyTorch intra-op and inter-op thread, as {@link TrainingLoopBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class MixItBenchmark {

    private static final int RATE = 8000;
    private static final int BATCH = 4;
    private static final int OUTPUTS = 4;
    private static final int BATCHES = 16;

    static {
        System.setProperty("ai.djl.offline", "true");
    }

    /** One side: a model, its trainer and its loss. */
    static final class Side {
        final Model model;
        final Trainer trainer;
        final BiFunction<NDArray, Integer, NDArray> loss;

        Side(String name, Shape input, BiFunction<NDArray, Integer, NDArray> loss) {
            this.model = Model.newInstance(name, Device.cpu());
            model.setBlock(ConvTasNet.separation(ConvTasNetConfig.tiny(OUTPUTS)));
            Engine.getInstance().setRandomSeed(1);
            this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(StatefulAdam.of(1e-3)).optDevices(new Device[] {Device.cpu()}));
            trainer.initialize(input);
            this.loss = loss;
        }
    }

    /** The batches and the three sides. */
    @State(Scope.Benchmark)
    public static class Sides {
        NDManager tensors;
        final List<NDArray> mixtures = new ArrayList<>();
        final List<NDArray> sources = new ArrayList<>();
        final List<NDArray> references = new ArrayList<>();
        Side mixit;
        Side pit;
        Side fixed;
        int next;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Path dir = Files.createTempDirectory("mixit-bench");
            SyntheticCorpus.write(new SynthSpec(16, 4, 1.5, RATE, 1, 0, 0), dir.resolve("corpus"),
                    io.speechsampler.audio.synth.ProgressListener.NONE);
            Corpus corpus = CorpusReader.read(dir.resolve("corpus/train"));
            MixtureRenderer renderer = MixtureRenderer.of(corpus, AudioCache.of(Long.MAX_VALUE));
            Pipeline p = Pipeline.build(RunConfig.parse("seed: 1\nsampler: {name: dynamic-mixing, speakers: 4, "
                    + "segment_seconds: 1.0}\nbatch: {name: fixed, size: " + BATCH + ", drop_incomplete: true}\n",
                    "bench.yaml", corpus.source()), corpus, ProviderRegistry.load(), 0, 1);
            tensors = NDManager.newBaseManager();
            while (mixtures.size() < BATCHES) {
                Optional<Batch> b = p.nextInEpoch();
                if (b.isEmpty()) {
                    p.finishEpoch();
                    continue;
                }
                List<Draw> draws = b.get().draws();
                int t = RATE;
                float[] mix = new float[BATCH * t];
                float[] src = new float[BATCH * OUTPUTS * t];
                float[] refs = new float[BATCH * 2 * t];
                for (int i = 0; i < BATCH; i++) {
                    RenderedMixture r = renderer.render((MixtureDraw) draws.get(i));
                    System.arraycopy(r.mixture(), 0, mix, i * t, t);
                    for (int j = 0; j < OUTPUTS; j++) {
                        System.arraycopy(r.sources()[j], 0, src, (i * OUTPUTS + j) * t, t);
                        for (int k = 0; k < t; k++) {
                            refs[(i * 2 + j / 2) * t + k] += r.sources()[j][k]; // mixtures of sources 0-1 and 2-3
                        }
                    }
                }
                mixtures.add(tensors.create(mix, new Shape(BATCH, t)));
                sources.add(tensors.create(src, new Shape(BATCH, OUTPUTS, t)));
                references.add(tensors.create(refs, new Shape(BATCH, 2, t)));
            }
            Shape input = mixtures.get(0).getShape();
            MixItLoss mixitLoss = MixItLoss.of(OUTPUTS);
            PitSiSnrLoss pitLoss = PitSiSnrLoss.of(OUTPUTS);
            mixit = new Side("mixit", input, (est, k) -> mixitLoss.compute(est, attached(references.get(k), est)));
            pit = new Side("pit", input, (est, k) -> pitLoss.compute(est, attached(sources.get(k), est)).loss());
            fixed = new Side("fixed", input, (est, k) -> SiSnr.of(est, attached(sources.get(k), est)).mean(new int[] {1})
                    .neg());
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }

        private static NDArray attached(NDArray a, NDArray like) {
            NDArray d = a.duplicate();
            d.attach(like.getManager());
            return d;
        }

        /** One step of a side on batch {@code k}; returns the loss. */
        float step(Side side, int k) {
            try (NDManager scratch = side.trainer.getManager().newSubManager()) {
                NDArray mix = mixtures.get(k).duplicate();
                mix.attach(scratch);
                float value;
                try (GradientCollector collector = side.trainer.newGradientCollector()) {
                    NDList out = side.trainer.forward(new NDList(mix));
                    NDArray total = side.loss.apply(out.get(0), k).mean();
                    value = total.getFloat();
                    collector.backward(total);
                }
                GradientClipping.clipGlobalNorm(side.model.getBlock().getParameters(), 5, scratch);
                side.trainer.step();
                return value;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (Side s : new Side[] {mixit, pit, fixed}) {
                s.trainer.close();
                s.model.close();
            }
            tensors.close();
        }
    }

    /** Wall time of each side, summed over an iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Meter {
        public long mixitNanos;
        public long pitNanos;
        public long fixedNanos;
        public long triples;

        @Setup(Level.Iteration)
        public void reset() {
            mixitNanos = 0;
            pitNanos = 0;
            fixedNanos = 0;
            triples = 0;
        }
    }

    /** One step of each side on the same batch, the order rotating; the score is triples per second. */
    @Benchmark
    public float pairedSteps(Sides s, Meter m) {
        int k = s.next++ % BATCHES;
        Side[] order = {s.mixit, s.pit, s.fixed};
        int shift = (int) (m.triples % 3);
        float sum = 0;
        for (int i = 0; i < 3; i++) {
            Side side = order[(i + shift) % 3];
            long t0 = System.nanoTime();
            sum += s.step(side, k);
            long dt = System.nanoTime() - t0;
            if (side == s.mixit) {
                m.mixitNanos += dt;
            } else if (side == s.pit) {
                m.pitNanos += dt;
            } else {
                m.fixedNanos += dt;
            }
        }
        m.triples++;
        return sum;
    }
}
