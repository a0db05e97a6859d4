package io.speechsampler.benchmarks;

import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.random.RandomStreams;
import io.speechsampler.hardmining.mining.HardPairTable;
import io.speechsampler.hardmining.mining.HardPairTable.Format;
import io.speechsampler.hardmining.mining.PartnerCount;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import io.speechsampler.hardmining.resample.HardResampleStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
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
 * {@code mine --partners M} at scale (issue 16, section 2): scalar mining of N utterances with M
 * nearest partners each, N M pairs, timed with the table's writing, in the binary and the TSV form;
 * and the {@code hard-resample} stage's loading of either file ({@link HardPairTable#read}, then
 * {@link HardResampleStage#of}, what the stage provider does). Single shots; each prints the JVM's
 * CPU time beside its wall time ({@link MiningBenchmark.ShotCpu}). Files go to a temporary folder
 * (about 0.4 GB binary, 1.7 GB TSV at N = 1e6, M = 32), removed after the trial.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class PartnerTableBenchmark {

    /** Speakers of 20 utterances; ids like Kaldi's ({@code s00042-u0000840}). */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"1000000"})
        public int n;

        /** M, partners per utterance. */
        @Param({"32"})
        public int partners;

        /** {@code pitch} (median f0 uniform in [80, 260] Hz) or {@code energy} (uniform in [-50, -10] dB). */
        @Param({"pitch"})
        public String by;

        List<String> ids;
        List<String> speakers;
        double[] values;
        Path dir;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            UniformRandomProvider rng = RandomStreams.of(1, "partner-table-benchmark", n);
            ids = new ArrayList<>(n);
            speakers = new ArrayList<>(n);
            values = new double[n];
            boolean pitch = by.equals("pitch");
            for (int i = 0; i < n; i++) {
                speakers.add(String.format(Locale.ROOT, "s%05d", i / 20));
                ids.add(String.format(Locale.ROOT, "s%05d-u%07d", i / 20, i));
                values[i] = pitch ? 80 + 180 * rng.nextDouble() : -50 + 40 * rng.nextDouble();
            }
            dir = Files.createTempDirectory("partner-table-benchmark");
        }

        ScalarParameterMiner miner() {
            PartnerCount count = PartnerCount.nearest(partners);
            return by.equals("pitch") ? ScalarParameterMiner.pitch(count) : ScalarParameterMiner.energyDb(count);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            deleteFolder(dir);
        }
    }

    /** The mined table written in both forms, and the corpus the stage checks it against. */
    @State(Scope.Benchmark)
    public static class Tables {
        Corpus corpus;
        Path bin;
        Path tsv;

        @Setup(Level.Trial)
        public void setUp(Data d) {
            List<Utterance> utterances = new ArrayList<>(d.n);
            for (int i = 0; i < d.n; i++) {
                utterances.add(new Utterance(d.ids.get(i), d.speakers.get(i), Path.of("/corpus/" + d.ids.get(i) + ".wav"),
                        0, 64000, 16000, List.of()));
            }
            corpus = Corpus.of(Path.of("synthetic"), utterances);
            HardPairTable table = d.miner().mine(d.ids, d.speakers, d.values).table();
            bin = d.dir.resolve("hard.bin");
            tsv = d.dir.resolve("hard.tsv");
            table.write(bin, Format.BIN);
            table.write(tsv, Format.TSV);
        }
    }

    /** Mining alone (the table in memory). */
    @Benchmark
    public HardPairTable mine(Data d, MiningBenchmark.ShotCpu cpu) {
        return d.miner().mine(d.ids, d.speakers, d.values).table();
    }

    /** Mining and writing the binary table ({@code mine --partners M --out hard.bin}). */
    @Benchmark
    public HardPairTable mineAndWriteBin(Data d, MiningBenchmark.ShotCpu cpu) {
        HardPairTable table = d.miner().mine(d.ids, d.speakers, d.values).table();
        table.write(d.dir.resolve("out.bin"), Format.BIN);
        return table;
    }

    /** Mining and writing the TSV ({@code mine --partners M --out hard.tsv}). */
    @Benchmark
    public HardPairTable mineAndWriteTsv(Data d, MiningBenchmark.ShotCpu cpu) {
        HardPairTable table = d.miner().mine(d.ids, d.speakers, d.values).table();
        table.write(d.dir.resolve("out.tsv"), Format.TSV);
        return table;
    }

    /** The stage loading the binary table. */
    @Benchmark
    public HardResampleStage loadBin(Tables t, MiningBenchmark.ShotCpu cpu) {
        return HardResampleStage.of(HardPairTable.read(t.bin, t.corpus), t.corpus, 0.3);
    }

    /** The stage loading the TSV. */
    @Benchmark
    public HardResampleStage loadTsv(Tables t, MiningBenchmark.ShotCpu cpu) {
        return HardResampleStage.of(HardPairTable.read(t.tsv, t.corpus), t.corpus, 0.3);
    }

    static void deleteFolder(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
