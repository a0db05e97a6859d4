package io.speechsampler.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.RandomSampler;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import io.speechsampler.api.config.RunConfig;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Batch;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.registry.ProviderRegistry;
import io.speechsampler.api.spi.EpochContext;
import io.speechsampler.api.spi.SourceSampler;
import io.speechsampler.core.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Draws per second of each core sampler against DJL's {@code RandomSampler} + {@code BatchSampler}
 * on the same corpus size, in one JMH run. Each invocation draws one whole epoch; the
 * {@code draws} counter turns that into draws per second (JMH's primary score is then epochs per
 * second). The corpus holds utterances of 1 to 4 s in steps of 0.5 s (durations cycle over 7
 * values) and {@code max(64, n / 100)} speakers; the weighted sampler's weights cycle 1..5.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SamplerBenchmark {

    /** Counts draws so JMH reports draws per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Draws {
        public long draws;

        @Setup(Level.Iteration)
        public void reset() {
            draws = 0;
        }
    }

    /** The corpus and the samplers under test. */
    @State(Scope.Benchmark)
    public static class Corpora {
        @Param({"10000", "1000000"})
        public int n;

        @Param({"sequential", "shuffle", "weighted", "class-balanced"})
        public String sampler;

        Corpus corpus;
        SourceSampler source;
        Pipeline pipeline;
        int epoch;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            corpus = benchCorpus(n);
            Path dir = Files.createTempDirectory("bench");
            StringBuilder weights = new StringBuilder();
            for (int i = 0; i < n; i++) {
                weights.append("u").append(i).append('\t').append(1 + i % 5).append('\n');
            }
            Files.writeString(dir.resolve("weights.tsv"), weights);
            String params = switch (sampler) {
                case "weighted" -> "{name: weighted, weights: weights.tsv}";
                case "class-balanced" -> "{name: class-balanced, classes_per_batch: 32}";
                default -> "{name: " + sampler + "}";
            };
            RunConfig cfg = RunConfig.parse("seed: 1\nsampler: " + params + "\nbatch: {name: fixed, size: 32}\n",
                    "bench.yaml", dir);
            pipeline = Pipeline.build(cfg, corpus, ProviderRegistry.load(), 0, 1);
            source = pipeline.sampler();
        }
    }

    /** Shuffle feeding the {@code duration-bucketed} batcher (Lhotse-style dynamic buckets). */
    @State(Scope.Benchmark)
    public static class Bucketed {
        @Param({"10000", "1000000"})
        public int n;

        Pipeline pipeline;

        @Setup(Level.Trial)
        public void setUp() {
            Corpus corpus = benchCorpus(n);
            // 1-4 s utterances, at most 60 padded seconds a batch: batches of 15 to 60 draws
            RunConfig cfg = RunConfig.parse("seed: 1\nsampler: {name: shuffle}\n"
                    + "batch: {name: duration-bucketed, max_seconds: 60, num_buckets: 10}\n", "bench.yaml",
                    Path.of("/bench"));
            pipeline = Pipeline.build(cfg, corpus, ProviderRegistry.load(), 0, 1);
        }
    }

    /** DJL's side: a dataset of the same sizes. */
    @State(Scope.Benchmark)
    public static class DjlCorpus {
        @Param({"10000", "1000000"})
        public int n;

        RandomAccessDataset dataset;

        @Setup(Level.Trial)
        public void setUp() {
            dataset = new SizeOnlyDataset.Builder().size(n)
                    .setSampling(new BatchSampler(new RandomSampler(), 32)).build();
        }
    }

    /** The source sampler alone: one epoch of draws. */
    @Benchmark
    public void sourceSampler(Corpora c, Draws counter, CpuMeter cpu, Blackhole bh) {
        Iterator<Draw> it = c.source.epoch(new EpochContext(1, c.epoch++, 0, 1, "sampler"));
        long k = 0;
        while (it.hasNext()) {
            bh.consume(it.next());
            k++;
        }
        counter.draws += k;
        cpu.add(k);
    }

    /** The whole pipeline: sampler, batches of 32, sharding (1 rank), Batch objects. */
    @Benchmark
    public void pipelineBatches(Corpora c, Draws counter, CpuMeter cpu, Blackhole bh) {
        drainEpoch(c.pipeline, false, counter, cpu, bh);
    }

    /**
     * As {@link #pipelineBatches}, and the consumer reads every draw's utterance id, as a training
     * loop does to find the audio: the like-for-like comparison with {@link #djlBatchesConsumed}.
     */
    @Benchmark
    public void pipelineBatchesConsumed(Corpora c, Draws counter, CpuMeter cpu, Blackhole bh) {
        drainEpoch(c.pipeline, true, counter, cpu, bh);
    }

    /** Shuffle, then duration-bucketed batches, through the whole pipeline. */
    @Benchmark
    public void pipelineShuffleDurationBucketed(Bucketed c, Draws counter, CpuMeter cpu, Blackhole bh) {
        drainEpoch(c.pipeline, false, counter, cpu, bh);
    }

    /** DJL 0.35.1's RandomSampler + BatchSampler(32) over the same number of items. */
    @Benchmark
    public void djlRandomBatchSampler(DjlCorpus c, Draws counter, CpuMeter cpu, Blackhole bh) {
        drainDjlEpoch(c.dataset, false, counter, cpu, bh);
    }

    /** As {@link #djlRandomBatchSampler}, and the consumer reads every index, as DJL's batchifier does. */
    @Benchmark
    public void djlBatchesConsumed(DjlCorpus c, Draws counter, CpuMeter cpu, Blackhole bh) {
        drainDjlEpoch(c.dataset, true, counter, cpu, bh);
    }

    /** Takes one whole epoch of the pipeline's batches, reading each draw's id if asked, and counts its draws. */
    private static void drainEpoch(Pipeline pipeline, boolean readEach, Draws counter, CpuMeter cpu, Blackhole bh) {
        Optional<Batch> b;
        long k = 0;
        while ((b = pipeline.nextInEpoch()).isPresent()) {
            if (readEach) {
                for (Draw d : b.get().draws()) {
                    bh.consume(((ItemDraw) d).id());
                }
            } else {
                bh.consume(b.get());
            }
            k += b.get().size();
        }
        pipeline.finishEpoch();
        counter.draws += k;
        cpu.add(k);
    }

    /** One epoch of DJL's {@code BatchSampler(RandomSampler, 32)}, reading each index if asked. */
    static void drainDjlEpoch(RandomAccessDataset dataset, boolean readEach, Draws counter, CpuMeter cpu,
                                      Blackhole bh) {
        Iterator<List<Long>> it = new BatchSampler(new RandomSampler(), 32).sample(dataset);
        long k = 0;
        while (it.hasNext()) {
            List<Long> batch = it.next();
            if (readEach) {
                for (Long index : batch) {
                    bh.consume(index.longValue());
                }
            } else {
                bh.consume(batch);
            }
            k += batch.size();
        }
        counter.draws += k;
        cpu.add(k);
    }

    /** {@code n} utterances of 1 to 4 s at 8 kHz over {@code max(64, n / 100)} speakers; no audio files. */
    static Corpus benchCorpus(int n) {
        List<Utterance> utts = new ArrayList<>(n);
        int speakers = Math.max(64, n / 100);
        for (int i = 0; i < n; i++) {
            utts.add(new Utterance("u" + i, "s" + (i % speakers), Path.of("/bench/u" + i + ".wav"), 0,
                    8000 + (i % 7) * 4000L, 8000, List.of()));
        }
        return Corpus.of(Path.of("/bench"), utts);
    }

    /** A DJL dataset that only knows its size: the samplers never read records. */
    static final class SizeOnlyDataset extends RandomAccessDataset {
        private final long size;

        private SizeOnlyDataset(Builder b) {
            super(b);
            this.size = b.size;
        }

        @Override
        public Record get(NDManager manager, long index) {
            throw new UnsupportedOperationException("the sampling benchmark reads no records");
        }

        @Override
        protected long availableSize() {
            return size;
        }

        @Override
        public void prepare(Progress progress) {
            // nothing to prepare
        }

        static final class Builder extends BaseBuilder<Builder> {
            private long size;

            Builder size(long n) {
                this.size = n;
                return this;
            }

            @Override
            protected Builder self() {
                return this;
            }

            SizeOnlyDataset build() {
                return new SizeOnlyDataset(this);
            }
        }
    }
}
