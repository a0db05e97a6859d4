package io.speechsampler.benchmarks;

import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.RandomSampler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeBatch;
import io.speechsampler.api.state.BinarySideFile;
import io.speechsampler.core.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SPI 2's speed goals (issue 10, "Speed"), against DJL's {@code BatchSampler(RandomSampler, 32)} in
 * the same run:
 * <ul>
 *   <li>{@link #pipelineWithFeedback}: a whole epoch of shuffle + fixed batches of 32 at N = 1e6 in
 *       which every batch's draws are read (their ids, as a loop finds the audio) and, as the
 *       training loop does after each step, weighed ({@link Pipeline#weigh}) and reported back as
 *       {@link OutcomeBatch} ({@link Pipeline#observe}). {@code feedback}: {@code none} (the ids read,
 *       nothing reported), {@code loss-sum} (an observer that reads every outcome and does nothing
 *       else: the cost of delivery), {@code info-batch} (a real feedback-driven stage that prunes,
 *       weighs and scores). Draws per second; {@link #djlBatchesConsumed} is the reference.</li>
 *   <li>{@link #deliver}: one step's 32 outcomes made and delivered to the {@code loss-sum}
 *       observer, in ns per outcome (goal: at most 20), as {@link OutcomeBatch} (what the training loop
 *       sends); {@link #deliverRecords}: as a list of {@link Outcome} records.</li>
 *   <li>{@link #restoreMidEpoch}: a state saved after half an epoch of 1e7 draws, read back from its
 *       JSON and binary side file bytes and restored into a pipeline, up to its next batch (goal:
 *       under 1 s). {@code setup}: {@code shuffle}, or {@code info-batch} with outcomes fed for
 *       the first half (its 1e7 scores travel in the side file); {@code restore}: {@code seek} (the
 *       saved stream position) or {@code replay} (without it: the epoch replayed, trained draws skipped).</li>
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx14g"})
public class FeedbackBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 32;

    /** {@code n} utterances over {@code n / 100} speakers sharing one path: no audio is read. */
    static Corpus corpus(int n) {
        int speakers = Math.max(64, n / 100);
        String[] names = new String[speakers];
        for (int s = 0; s < speakers; s++) {
            names[s] = "s" + s;
        }
        Path path = Path.of("/bench/audio.wav");
        List<Utterance> utts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            utts.add(new Utterance("u" + i, names[i % speakers], path, 0, 8000 + (i % 7) * 4000L, 8000, List.of()));
        }
        return Corpus.of(Path.of("/bench"), utts);
    }

    static String yaml(String feedback) {
        return "seed: 1\nsampler: {name: shuffle}\nbatch: {name: fixed, size: " + BATCH + "}\n" + switch (feedback) {
            case "none" -> "";
            case "loss-sum" -> "observers: [{name: bench-loss-sum}]\n";
            case "info-batch", "shuffle+info-batch" -> "stages: [{name: info-batch, prune_ratio: 0.5, delta: 0.875}]\n";
            case "shuffle" -> "";
            default -> throw new IllegalArgumentException("feedback " + feedback);
        };
    }

    static Pipeline pipeline(String feedback, Corpus corpus) {
        Pipeline p = Pipeline.build(RunConfig.parse(yaml(feedback), "bench.yaml", Path.of("/bench")), corpus,
                ProviderRegistry.load(), 0, 1);
        p.plan(10, 0);
        return p;
    }

    /** Per-sample losses, as a model would report: a fixed table indexed by the draw's position. */
    static double[] losses(int size, long seed) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] l = new double[size];
        for (int i = 0; i < size; i++) {
            l[i] = rng.nextDouble() * 6;
        }
        return l;
    }

    /** What a training step reports after the batch: weights asked for, outcomes made and delivered. */
    static long feedBack(Pipeline p, Batch b, double[] table, int at, boolean observe, Blackhole bh) {
        List<Draw> draws = b.draws();
        int k = draws.size();
        double[] loss = new double[k];
        double[] metric = new double[k];
        for (int i = 0; i < k; i++) {
            loss[i] = table[(at + i) & (table.length - 1)];
        }
        double[] w = p.weigh(draws, loss, metric);
        if (bh != null) {
            bh.consume(w);
        }
        if (observe) {
            // as TrainingLoop reports a step
            p.observe(OutcomeBatch.of(b, loss, metric));
        }
        return k;
    }

    /** The pipelines with and without feedback at N. */
    @State(Scope.Benchmark)
    public static class Observed {
        @Param({"1000000"})
        public int n;

        @Param({"none", "loss-sum", "info-batch"})
        public String feedback;

        Pipeline pipeline;
        double[] table;

        @Setup(Level.Trial)
        public void setUp() {
            pipeline = pipeline(feedback, corpus(n));
            table = losses(1 << 16, 3);
        }
    }

    /** DJL's side at the same N. */
    @State(Scope.Benchmark)
    public static class DjlCorpus {
        @Param({"1000000"})
        public int n;

        RandomAccessDataset dataset;

        @Setup(Level.Trial)
        public void setUp() {
            dataset = new SamplerBenchmark.SizeOnlyDataset.Builder().size(n)
                    .setSampling(new BatchSampler(new RandomSampler(), BATCH)).build();
        }
    }

    /** One epoch: every draw's id read; with feedback, weighed and reported back after each batch. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public void pipelineWithFeedback(Observed o, SamplerBenchmark.Draws counter, CpuMeter cpu, Blackhole bh) {
        Pipeline p = o.pipeline;
        boolean feed = !"none".equals(o.feedback);
        Optional<Batch> next;
        long k = 0;
        while ((next = p.nextInEpoch()).isPresent()) {
            Batch b = next.get();
            for (Draw d : b.draws()) {
                bh.consume(((ItemDraw) d).id());
            }
            k += feed ? feedBack(p, b, o.table, (int) k, true, bh) : b.size();
        }
        p.finishEpoch();
        counter.draws += k;
        cpu.add(k);
    }

    /** DJL 0.35.1's {@code BatchSampler(RandomSampler, 32)}, every index read. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public void djlBatchesConsumed(DjlCorpus c, SamplerBenchmark.Draws counter, CpuMeter cpu, Blackhole bh) {
        SamplerBenchmark.drainDjlEpoch(c.dataset, true, counter, cpu, bh);
    }

    /** One step's outcomes and the pipeline that delivers them (to {@code bench-loss-sum}). */
    @State(Scope.Thread)
    public static class Step {
        Pipeline pipeline;
        Batch batch;
        double[] table;
        int at;

        @Setup(Level.Trial)
        public void setUp() {
            pipeline = pipeline("loss-sum", corpus(10_000));
            batch = pipeline.nextInEpoch().orElseThrow();
            table = losses(1 << 16, 5);
        }
    }

    /** Outcomes of one batch of 32 made and delivered: the time per outcome. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public void deliver(Step s) {
        Batch b = s.batch;
        int k = b.size();
        double[] loss = new double[k];
        double[] t = s.table;
        int at = s.at;
        for (int i = 0; i < k; i++) {
            loss[i] = t[(at + i) & (t.length - 1)];
        }
        s.at = at + k;
        s.pipeline.observe(OutcomeBatch.of(b, loss, new double[k]));
    }

    /** As {@link #deliver}, with a list of {@link Outcome} records made by the caller (the general path). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public void deliverRecords(Step s) {
        Batch b = s.batch;
        List<Draw> draws = b.draws();
        int k = draws.size();
        List<Outcome> out = new ArrayList<>(k);
        double[] t = s.table;
        int at = s.at;
        for (int i = 0; i < k; i++) {
            out.add(new Outcome(draws.get(i), b.epoch(), b.step(), b.globalIndex(), t[(at + i) & (t.length - 1)], 0));
        }
        s.at = at + k;
        s.pipeline.observe(out);
    }

    /** A state saved halfway through an epoch of {@code n} draws: its JSON and side-file bytes. */
    @State(Scope.Benchmark)
    public static class Saved {
        @Param({"10000000"})
        public int n;

        @Param({"shuffle", "shuffle+info-batch"})
        public String setup;

        /** {@code seek}: the state as saved ({@code Positioned} token); {@code replay}: without it, skipping. */
        @Param({"seek", "replay"})
        public String restore;

        Pipeline target;
        byte[] json;
        Path dir;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Corpus corpus = corpus(n);
            Pipeline source = pipeline(setup, corpus);
            boolean feed = setup.contains("info-batch");
            double[] table = losses(1 << 16, 7);
            // epoch 0 whole (info-batch scores every sample), then half of epoch 1
            for (int epoch = 0; epoch < 2; epoch++) {
                long k = 0;
                long stop = epoch == 0 ? Long.MAX_VALUE : n / 2;
                Optional<Batch> next;
                while (k < stop && (next = source.nextInEpoch()).isPresent()) {
                    k += feed ? feedBack(source, next.get(), table, (int) k, true, null) : next.get().size();
                }
                if (epoch == 0) {
                    source.finishEpoch();
                }
            }
            dir = Files.createTempDirectory("feedback-bench");
            com.fasterxml.jackson.databind.node.ObjectNode saved = source.saveState();
            if (!"seek".equals(restore)) {
                saved.remove("stream_position");
            } else if (!saved.has("stream_position")) {
                throw new IllegalStateException("no stream position in the saved state");
            }
            JsonNode state = BinarySideFile.externalise(saved, dir, "state.bin");
            json = JSON.writeValueAsBytes(state);
            target = pipeline(setup, corpus);
        }
    }

    /** Reads the state (JSON bytes, side file from disk), restores it and takes the next batch. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public Batch restoreMidEpoch(Saved s) throws IOException {
        JsonNode state = BinarySideFile.internalise(JSON.readTree(s.json), s.dir);
        s.target.restoreState(state);
        return s.target.nextInEpoch().orElseThrow();
    }
}
