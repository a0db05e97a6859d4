package io.speechsampler.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.speechsampler.api.config.Phase;
import io.speechsampler.api.config.Recipe;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.api.corpus.Utterance;
import io.speechsampler.api.io.KaldiVectors;
import io.speechsampler.audio.pitch.PitchStats;
import io.speechsampler.audio.pitch.PitchTable;
import io.speechsampler.audio.pitch.Yin;
import io.speechsampler.audio.synth.SynthSpec;
import io.speechsampler.audio.synth.SyntheticCorpus;
import io.speechsampler.audio.wav.WavReader;
import io.speechsampler.djl.run.TrainedModel;
import io.speechsampler.hardmining.mining.EmbeddingMiner;
import io.speechsampler.hardmining.mining.HardPairTable;
import io.speechsampler.hardmining.mining.PartnerCount;
import io.speechsampler.hardmining.mining.ScalarParameterMiner;
import io.speechsampler.run.Evaluation;
import io.speechsampler.run.RecipeRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Spark jobs on {@code local[2]} against the single-machine code on the same input: the pitch
 * table byte for byte, the exact hard pair tables (pitch and x-vector, both kernels, {@code
 * --partners} and {@code --fraction}) pair for pair, the embeddings value for value; bad input is
 * one line, exit 2, nothing written.
 */
class SparkJobsTest {

    /** The brief's tiny corpus: 8 speakers (6 in train) x 4 utterances of 1 s at 8 kHz. */
    @TempDir
    static Path tmp;

    static Path data;
    static Corpus corpus;

    @BeforeAll
    static void corpus() {
        SyntheticCorpus.write(SynthSpec.of(8, 4, 1.0, 8000, 1), tmp.resolve("c"), (done, total) -> { });
        data = tmp.resolve("c/train");
        corpus = CorpusReader.read(data);
    }

    record Result(int code, String err) {
    }

    static Result run(Object... args) {
        CommandLine cli = SparkMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].toString();
        }
        SparkMain.engineSettings();
        return new Result(cli.execute(a), err.toString());
    }

    private static List<String> ids() {
        return corpus.utterances().stream().map(Utterance::id).toList();
    }

    private static List<String> speakers() {
        return corpus.utterances().stream().map(Utterance::speaker).toList();
    }

    /** What {@code sampler pitch} computes: each utterance with YIN's defaults. */
    private static List<PitchStats> pitchOnOneMachine() {
        Yin yin = Yin.withDefaults();
        List<PitchStats> stats = new ArrayList<>();
        for (Utterance u : corpus.utterances()) {
            stats.add(yin.stats(WavReader.read(u), u.sampleRate()));
        }
        return stats;
    }

    private static String tsv(HardPairTable table) throws IOException {
        Path f = Files.createTempFile(tmp, "expected", ".tsv");
        Files.delete(f);
        table.write(f, HardPairTable.Format.TSV);
        return Files.readString(f);
    }

    @Test
    void pitchTableIsByteForByteTheSingleMachineOne() throws IOException {
        Path out = tmp.resolve("pitch.tsv");
        Result r = run("pitch", "--data", data, "--out", out, "--master", "local[2]", "--partitions", 5);
        assertEquals(0, r.code(), r.err());
        assertEquals(PitchTable.format(ids(), pitchOnOneMachine()), Files.readString(out));
        assertEquals(corpus.size(), Files.readAllLines(out).size());
    }

    @Test
    void pitchMiningIsPairForPairTheSingleMachineTable() throws IOException {
        double[] f0 = pitchOnOneMachine().stream().mapToDouble(PitchStats::medianF0Hz).toArray();
        for (String[] count : List.of(new String[] {"--partners", "3"}, new String[] {"--fraction", "0.1"})) {
            PartnerCount c = count[0].equals("--partners") ? PartnerCount.nearest(3) : PartnerCount.fraction(0.1);
            Path out = tmp.resolve("pitch-hard" + count[0] + ".tsv");
            Result r = run("mine", "--data", data, "--by", "pitch", count[0], count[1], "--out", out,
                    "--master", "local[2]", "--partitions", 3);
            assertEquals(0, r.code(), r.err());
            HardPairTable expected = ScalarParameterMiner.pitch(c).mine(ids(), speakers(), f0).table();
            assertEquals(expected, HardPairTable.read(out, corpus), String.join(" ", count));
            assertEquals(tsv(expected), Files.readString(out));
        }
    }

    /** Seeded Gaussian 16-d embeddings with a speaker offset, one zero row (excluded on both sides). */
    private static Path embeddings() {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(7L);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            float[] x = new float[16];
            int s = corpus.speakerOf(i);
            for (int k = 0; k < x.length; k++) {
                x[k] = i == 5 ? 0f : (float) (g.sample() + (k == s % 16 ? 2 : 0));
            }
            rows.add(x);
        }
        // a tie: two utterances of different speakers with the same direction
        rows.set(9, rows.get(2).clone());
        Path ark = tmp.resolve("x.ark");
        try {
            Files.writeString(ark, KaldiVectors.format(ids(), rows));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ark;
    }

    @Test
    void xvectorMiningIsPairForPairTheSingleMachineTableForBothKernels() throws IOException {
        Path ark = embeddings();
        Map<String, float[]> x = KaldiVectors.read(ark);
        float[][] rows = ids().stream().map(x::get).toArray(float[][]::new);
        for (EmbeddingMiner.Kernel kernel : EmbeddingMiner.Kernel.values()) {
            for (PartnerCount c : List.of(PartnerCount.nearest(4), PartnerCount.fraction(0.2))) {
                String[] count = c instanceof PartnerCount.Nearest ? new String[] {"--partners", "4"}
                        : new String[] {"--fraction", "0.2"};
                // block 5 on 23 rows: 5 blocks, a ragged last one, 15 tiles
                Path out = tmp.resolve("x-" + kernel + count[0] + ".tsv");
                Result r = run("mine", "--data", data, "--by", "xvector", "--embeddings", ark, count[0], count[1],
                        "--kernel", kernel.name().toLowerCase(java.util.Locale.ROOT), "--block", 5, "--out", out,
                        "--master", "local[2]", "--partitions", 4);
                assertEquals(0, r.code(), r.err());
                HardPairTable expected = EmbeddingMiner.of(c, kernel, 5, 1).mine(ids(), speakers(), rows).table();
                assertEquals(tsv(expected), Files.readString(out), kernel + " " + c);
            }
        }
    }

    @Test
    void embeddingsAreTheSingleMachineOnes() throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", "xvector.yaml"))
                .replaceAll("(?m)^train: .*$", "train: {epochs: 1, max_steps_per_epoch: 1, validate_every: 0}")
                .replace("classes_per_batch: 8", "classes_per_batch: 4").replace("size: 8", "size: 4");
        Path cfg = tmp.resolve("xvector.yaml");
        Files.writeString(cfg, yaml);
        Path runDir = tmp.resolve("xvec");
        Recipe recipe = Recipe.load(cfg, List.of());
        List<Phase> phases = RecipeRun.withCorpus(recipe, data);
        RecipeRun.train(phases, recipe.toYaml(), null, runDir, false);
        Path ark = tmp.resolve("spark.ark");
        Result r = run("embed", "--checkpoint", runDir, "--data", data, "--out", ark, "--master", "local[2]",
                "--partitions", 3);
        assertEquals(0, r.code(), r.err());
        List<float[]> expected;
        try (TrainedModel tm = TrainedModel.load(runDir)) {
            expected = Evaluation.embeddings(tm, corpus);
        }
        Map<String, float[]> got = KaldiVectors.read(ark);
        assertEquals(List.copyOf(got.keySet()), ids(), "corpus order");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), got.get(ids().get(i)), ids().get(i));
        }
        assertEquals(KaldiVectors.format(ids(), expected), Files.readString(ark));
    }

    @Test
    void anUnreachableMasterIsOneLineExitTwoAndNothingWritten() {
        Path out = tmp.resolve("never.tsv");
        Result r = run("pitch", "--data", data, "--out", out, "--master", "spark://127.0.0.1:1",
                "--connect-timeout", 1);
        assertEquals(SparkMain.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: --master spark://127.0.0.1:1: cannot reach the Spark master"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badInputIsOneLineExitTwoAndNothingWritten() {
        Path out = tmp.resolve("bad.tsv");
        List<Object[]> bad = List.of(
                new Object[] {"mine", "--data", data, "--by", "pitch", "--partners", 31, "--out", out},
                new Object[] {"mine", "--data", data, "--by", "pitch", "--fraction", 1.5, "--out", out},
                new Object[] {"mine", "--data", data, "--by", "xvector", "--partners", 2, "--out", out},
                new Object[] {"pitch", "--data", data, "--out", out, "--partitions", 0},
                new Object[] {"pitch", "--data", data, "--out", out, "--master", "nowhere"},
                new Object[] {"pitch", "--data", tmp.resolve("no-such-corpus"), "--out", out});
        for (Object[] args : bad) {
            Result r = run(args);
            assertEquals(SparkMain.BAD_INPUT, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
            assertFalse(Files.exists(out), r.err());
        }
    }
}
