package io.speechsampler.benchmarks;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.draw.ItemDraw;
import io.speechsampler.api.spi.Outcome;
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
 * {@code double[3]} ({@link LossStatsObserver}, the obvious implementation), per outcome.
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
            Corpus corpus = Corpus.of(Path.of("bench"), utts);
            datamap = TseDatamap.of(corpus, DatamapScore.sigmoid(10, 3), 0.5);
            reference = new LossStatsObserver();
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(12L);
            for (int b = 0; b < 4096; b++) {
                List<Outcome> batch = new ArrayList<>(BATCH);
                for (int k = 0; k < BATCH; k++) {
                    String id = utts.get(rng.nextInt(n)).id();
                    batch.add(new Outcome(ItemDraw.of(id), 0, b, b, rng.nextDouble(), 20 * rng.nextDouble() - 5));
                }
                batches.add(batch);
            }
            batchesPerEpoch = Math.max(1, n / BATCH);
        }

        List<Outcome> batch() {
            return batches.get(next++ & 4095);
        }
    }

    /** The datamap: observe a batch; end the epoch every N / BATCH batches. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void datamapObserve(Data d) {
        d.datamap.observe(d.batch());
        if (d.next % d.batchesPerEpoch == 0) {
            d.datamap.endEpoch(d.epoch++);
        }
    }

    /** The reference: a HashMap of streamed mean and variance per id, per outcome. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void hashMapWelford(Data d) {
        d.reference.observe(d.batch());
    }
}
