package io.speechsampler.benchmarks;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.Draw;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.Outcome;
import io.speechsampler.api.spi.OutcomeBatch;
import io.speechsampler.curriculum.datamap.DatamapScore;
import io.speechsampler.curriculum.datamap.TseDatamap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

/**
 * The datamap observer's cost per outcome at N utterances (issue 12, "Speed and memory": at most
 * 50 ns per outcome at N = 1e6): {@link TseDatamap#observe} of a batch of {@value #BATCH} outcomes
 * of uniformly random utterances, with an epoch end (the Welford update of every sample) every
 * N / {@value #BATCH} batches, so that the epoch-end work is paid per outcome too. Reference in the
 * same run: the same streamed statistics kept as a plain {@code java.util.HashMap} from id to a
 * {@code double[3]} ({@link LossStatsObserver}, the obvious implementation), per outcome; and the
 * floor: {@code randomIncrement} adds one to one {@code int[N]} column at the same outcomes' corpus
 * indexes (resolved in the setup), i.e. the random memory access alone. Variants of the observer:
 * {@code datamapObserveOutcomeBatch} gets each batch as an {@link OutcomeBatch};
 * {@code datamapObserveKeyIndexed} as the training loop sends it, with the keys' corpus indexes
 * (whose lookup, {@code keyIndexLookup}, the loop pays once for every observer); {@code datamapObserveMerged} also merges at each epoch end as the pipeline does with one
 * rank ({@code merge(List.of(summary()))} before {@code endEpoch}). Each also counts its outcomes
 * and the process CPU time ({@link CpuMeter}): {@code cpuNanos / work} is the CPU time per outcome,
 * steadier than wall time on a shared machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx6g")
public class DatamapBenchmark {

    static final int BATCH = 64;

    @State(Scope.Thread)
    public static class Data {
        @Param({"1000000"})
        public int n;

        TseDatamap datamap;
        LossStatsObserver reference;
        List<List<Outcome>> batches = new ArrayList<>();
        List<OutcomeBatch> columnBatches = new ArrayList<>();
        List<OutcomeBatch> indexedBatches = new ArrayList<>();
        Corpus corpus;
        int[][] indexes = new int[4096][];
        int[] counts;
        int next;
        int batchesPerEpoch;
        int epoch;

        @Setup(Level.Trial)
        public void setUp() {
            List<Utterance> utts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String spk = String.format(Locale.ROOT, "s%05d", i / 20);
                utts.add(new Utterance(String.format(Locale.ROOT, "%s-%07d", spk, i), spk,
                        Path.of("/bench/u.wav"), 0, 16000, 16000, List.of()));
            }
            corpus = Corpus.of(Path.of("bench"), utts);
            datamap = TseDatamap.of(corpus, DatamapScore.sigmoid(10, 3), 0.5);
            reference = new LossStatsObserver();
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(12L);
            for (int b = 0; b < 4096; b++) {
                List<Outcome> batch = new ArrayList<>(BATCH);
                indexes[b] = new int[BATCH];
                for (int k = 0; k < BATCH; k++) {
                    indexes[b][k] = rng.nextInt(n);
                    String id = utts.get(indexes[b][k]).id();
                    batch.add(new Outcome(ItemDraw.of(id), 0, b, b, rng.nextDouble(), 20 * rng.nextDouble() - 5));
                }
                batches.add(batch);
                List<Draw> draws = new ArrayList<>(BATCH);
                double[] losses = new double[BATCH];
                double[] metrics = new double[BATCH];
                for (int k = 0; k < BATCH; k++) {
                    draws.add(batch.get(k).draw());
                    losses[k] = batch.get(k).loss();
                    metrics[k] = batch.get(k).metric();
                }
                columnBatches.add(new OutcomeBatch(draws, 0, b, b, losses, metrics));
                indexedBatches.add(columnBatches.get(b).withKeyIndexes(corpus));
            }
            counts = new int[n];
            batchesPerEpoch = Math.max(1, n / BATCH);
        }

        List<Outcome> batch() {
            return batches.get(next++ & 4095);
        }

        OutcomeBatch columnBatch() {
            return columnBatches.get(next++ & 4095);
        }

        OutcomeBatch indexedBatch() {
            return indexedBatches.get(next++ & 4095);
        }

        void endEpochEvery() {
            if (next % batchesPerEpoch == 0) {
                datamap.endEpoch(epoch++);
            }
        }
    }

    /** The datamap: observe a batch; end the epoch every N / BATCH batches. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void datamapObserve(Data d, CpuMeter cpu) {
        cpu.add(BATCH);
        d.datamap.observe(d.batch());
        if (d.next % d.batchesPerEpoch == 0) {
            d.datamap.endEpoch(d.epoch++);
        }
    }

    /** The observer fed what the training loop sends: one {@link OutcomeBatch} per step. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void datamapObserveOutcomeBatch(Data d, CpuMeter cpu) {
        cpu.add(BATCH);
        d.datamap.observe(d.columnBatch());
        d.endEpochEvery();
    }

    /**
     * The observer fed what the training loop sends: {@link OutcomeBatch}es with the keys' corpus
     * indexes (looked up by the loop, once for every observer: {@link #keyIndexLookup}).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void datamapObserveKeyIndexed(Data d, CpuMeter cpu) {
        cpu.add(BATCH);
        d.datamap.observe(d.indexedBatch());
        d.endEpochEvery();
    }

    /** What the loop pays for the key indexes: {@link OutcomeBatch#withKeyIndexes} (the corpus's id map). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public OutcomeBatch keyIndexLookup(Data d, CpuMeter cpu) {
        cpu.add(BATCH);
        return d.columnBatch().withKeyIndexes(d.corpus);
    }

    /** As {@link #datamapObserve}, with the one-rank merge the pipeline does before each epoch end. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void datamapObserveMerged(Data d, CpuMeter cpu) {
        cpu.add(BATCH);
        d.datamap.observe(d.batch());
        if (d.next % d.batchesPerEpoch == 0) {
            d.datamap.merge(List.of(d.datamap.summary()));
            d.datamap.endEpoch(d.epoch++);
        }
    }

    /** The floor: one int column incremented at the outcomes' corpus indexes (no lookup, no score). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void randomIncrement(Data d, CpuMeter cpu) {
        cpu.add(BATCH);
        int[] idx = d.indexes[d.next++ & 4095];
        int[] c = d.counts;
        for (int i : idx) {
            c[i]++;
        }
    }

    /** The reference: a HashMap of streamed mean and variance per id, per outcome. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void hashMapWelford(Data d, CpuMeter cpu) {
        cpu.add(BATCH);
        d.reference.observe(d.batch());
    }
}
