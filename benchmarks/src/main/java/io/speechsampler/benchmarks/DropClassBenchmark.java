package io.speechsampler.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SegmentContext;
import io.speechsampler.core.samplers.ClassBalancedBatchSampler;
import io.speechsampler.djl.model.ClassifierHead;
import io.speechsampler.djl.model.XVectorTdnn;
import io.speechsampler.djl.train.PerSample;
import io.speechsampler.djl.train.Task;
import io.speechsampler.dropclass.DroppedClasses;
import io.speechsampler.dropclass.RandomDropSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
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
 * DropClass (issue 15, "Speed"): what a change of the dropped set costs, and the masked head's
 * step against the unmasked one.
 *
 * <ul>
 *   <li>{@code changeDroppedSet}: one boundary of {@code drop-class}, as the pipeline runs it:
 *       {@code decide} (a fresh random stream, a {@code CombinationSampler} draw of N_D = K / 3 of
 *       K classes, the JSON decision) and {@code apply} (parsing and checking it, the dropped and
 *       live sets). At K = 600, 6,000 (the paper's 5,994) and 60,000, to show O(K).</li>
 *   <li>{@code changeAndFirstBatch} / {@code batchWithoutChange}: the class-balanced sampler's
 *       next batch of 128 after a change (it reads the new set and refills its pool, O(K)) and
 *       without one; the difference is the sampler's share of a change.</li>
 *   <li>{@code maskedHeadStep} / {@code unmaskedHeadStep}: the x-vector's whole head step from
 *       fixed segment-7 outputs (128, d) and a class weight matrix (K = 6,000, d) with gradients:
 *       the cosine scores ({@code XVectorTdnn.cosineScores}, as the network computes them; under
 *       the mask against the 4,000 live rows only, {@code ClassifierHead.liveRows}), the
 *       classification task's training evaluation ({@code Task.classification}: AM-softmax logits
 *       s = 30, m = 0.4, the per-sample margin cross-entropy, the true-class probability metric),
 *       its mean and the backward into both, with 2,000 of 6,000 classes masked or none; d = 64
 *       (the tiny x-vector's embedding) and 512 (the paper's). PyTorch on the CPU, one intra-op
 *       and one inter-op thread.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
    "-Dai.djl.pytorch.num_interop_threads=1"})
public class DropClassBenchmark {

    static final int BATCH = 128;

    /** K speakers of one utterance each. */
    static Corpus corpus(int k) {
        List<Utterance> utts = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            String spk = String.format(Locale.ROOT, "spk%06d", c);
            utts.add(new Utterance(spk + "-0", spk, Path.of("/bench", spk + ".wav"), 0, 16000, 16000, List.of()));
        }
        return Corpus.of(Path.of("bench"), utts);
    }

    /** A drop-class set over K classes and a class-balanced sampler drawing from it. */
    @State(Scope.Thread)
    public static class Drops {
        @Param({"600", "6000", "60000"})
        public int k;

        DroppedClasses dc;
        EpochContext epoch;
        Iterator<Draw> draws;
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            Corpus corpus = corpus(k);
            dc = DroppedClasses.of(corpus.speakers(), RandomDropSource.periodic(k, k / 3, 500));
            epoch = new EpochContext(1, 0, 0, 1, "components.dc");
            change();
            draws = ClassBalancedBatchSampler.of(corpus, BATCH, Integer.MAX_VALUE / BATCH, dc).epoch(epoch);
        }

        /** The next period's boundary: decide and apply. */
        JsonNode change() {
            SegmentContext ctx = new SegmentContext(epoch, next, (int) (next / 500));
            next += 500;
            JsonNode d = dc.decide(ctx);
            dc.apply(d, ctx);
            return d;
        }

        Draw batch() {
            Draw last = null;
            for (int i = 0; i < BATCH; i++) {
                last = draws.next();
            }
            return last;
        }
    }

    @Benchmark
    public JsonNode changeDroppedSet(Drops s) {
        return s.change();
    }

    @Benchmark
    public Draw changeAndFirstBatch(Drops s) {
        s.change();
        return s.batch();
    }

    @Benchmark
    public Draw batchWithoutChange(Drops s) {
        return s.batch();
    }

    /**
     * Fixed segment-7 outputs of a batch of 128 distinct classes of 6,000, a class weight matrix
     * with gradients, and the classification task.
     */
    @State(Scope.Thread)
    public static class Head {
        static final int K = 6000;
        /** Embedding width: the tiny x-vector's 64 and the paper's 512. */
        @Param({"64", "512"})
        public int d;
        NDManager manager;
        Task task;
        Batch batch;
        float[] embeddings;
        NDArray weights;
        BitSet live;

        @Setup(Level.Trial)
        public void setUp() {
            System.setProperty("ai.djl.offline", "true");
            Corpus corpus = corpus(K);
            task = Task.classification(ClassifierHead.named("am"), corpus);
            UniformRandomProvider rng = RandomStreams.of(1, "bench/head", 0);
            List<Draw> draws = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                // classes 0, 47, 94, ...: live under the mask below (it drops classes 1 mod 3)
                draws.add(ItemDraw.of(corpus.get(i * 47 - (i * 47) % 3).id()));
            }
            batch = new Batch(0, 0, 0, 0, draws);
            embeddings = new float[BATCH * d];
            for (int i = 0; i < embeddings.length; i++) {
                embeddings[i] = (float) (2 * rng.nextDouble() - 1);
            }
            float[] w = new float[K * d];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (2 * rng.nextDouble() - 1);
            }
            live = new BitSet(K);
            for (int c = 0; c < K; c++) {
                if (c % 3 != 1) {
                    live.set(c);
                }
            }
            manager = NDManager.newBaseManager();
            // a parameter of the model, as the network's store gives it: it lives across steps
            weights = manager.create(w, new Shape(K, d));
            weights.setRequiresGradient(true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            manager.close();
        }

        float step(BitSet mask) {
            try (NDManager m = manager.newSubManager()) {
                NDArray h = m.create(embeddings, new Shape(BATCH, d));
                h.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray scores = XVectorTdnn.cosineScores(h, weights, ClassifierHead.liveRows(m, mask, K));
                    PerSample per = task.evaluate(new NDList(scores), batch, null, mask, true);
                    NDArray loss = per.loss().mean();
                    gc.backward(loss);
                    try (NDArray g = weights.getGradient()) {
                        return loss.getFloat() + g.getFloat(0, 0) + h.getGradient().getFloat(0, 0);
                    }
                }
            }
        }
    }

    @Benchmark
    public float maskedHeadStep(Head h) {
        return h.step(h.live);
    }

    @Benchmark
    public float unmaskedHeadStep(Head h) {
        return h.step(null);
    }

    /** Each side's summed wall time in an iteration of {@link #pairedHeadSteps}. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class HeadPair {
        public long maskedNanos;
        public long unmaskedNanos;
        public long pairs;

        @Setup(Level.Iteration)
        public void reset() {
            maskedNanos = 0;
            unmaskedNanos = 0;
            pairs = 0;
        }
    }

    /**
     * One masked and one unmasked head step per invocation, the order alternating, so that both see
     * the machine within milliseconds of each other; {@link HeadPair} sums each side's time
     * ({@code benchmarks/scripts/paired_overhead.py} reads it: masked as "ours").
     */
    @Benchmark
    public float pairedHeadSteps(Head h, HeadPair p) {
        boolean maskedFirst = (p.pairs & 1) == 0;
        long t0 = System.nanoTime();
        float v = h.step(maskedFirst ? h.live : null);
        long t1 = System.nanoTime();
        v += h.step(maskedFirst ? null : h.live);
        long t2 = System.nanoTime();
        p.maskedNanos += maskedFirst ? t1 - t0 : t2 - t1;
        p.unmaskedNanos += maskedFirst ? t2 - t1 : t1 - t0;
        p.pairs++;
        return v;
    }
}
