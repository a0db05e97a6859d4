package io.speechsampler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.speechsampler.api.corpus.Corpus;
import io.speechsampler.api.corpus.CorpusReader;
import io.speechsampler.cli.Main;
import io.speechsampler.hardmining.mining.HardPairTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sampler mine}, {@code analyze} and a {@code hard-resample} plan, as a user runs them. */
class HardMiningCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 7 speakers x 5 utterances; speaker s is a sine at 110 + 15 s Hz (see {@link KaldiFixture}). */
    private static final int SPEAKERS = 7;
    private static final int PER_SPEAKER = 5;

    @TempDir
    static Path tmp;

    static Path data;
    static Path pitchTable;

    @BeforeAll
    static void corpusAndPitchTable() throws IOException {
        data = KaldiFixture.write(tmp.resolve("kaldi"), SPEAKERS, PER_SPEAKER);
        pitchTable = tmp.resolve("hard-pitch.tsv");
        Result r = run("mine", "--data", data, "--by", "pitch", "--fraction", 0.15, "--out", pitchTable,
                "--threads", 2);
        assertEquals(0, r.code(), r.err());
    }

    private static Result run(Object... parts) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] args = java.util.Arrays.stream(parts).map(String::valueOf).toArray(String[]::new);
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static int speaker(String id) {
        return Integer.parseInt(id.substring(3, 5));
    }

    @Test
    void pitchMiningPairsOtherSpeakersWithTheClosestF0() throws IOException {
        Map<String, List<String[]>> rows = new HashMap<>();
        for (String line : Files.readAllLines(pitchTable)) {
            String[] f = line.split("\t");
            assertEquals(3, f.length, line);
            rows.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
        }
        assertEquals(SPEAKERS * PER_SPEAKER, rows.size(), "every utterance has partners");
        int others = (SPEAKERS - 1) * PER_SPEAKER;
        int expected = (int) Math.ceil(0.15 * others);
        assertEquals(5, expected);
        for (Map.Entry<String, List<String[]>> e : rows.entrySet()) {
            assertEquals(expected, e.getValue().size(), "ceil(P_M x others) partners of " + e.getKey());
            double last = -1;
            for (String[] f : e.getValue()) {
                assertNotEquals(speaker(f[0]), speaker(f[1]), "no same-speaker pair: " + String.join(" ", f));
                // the nearest speakers in f0 are the neighbours, 15 Hz away
                assertEquals(1, Math.abs(speaker(f[0]) - speaker(f[1])), String.join(" ", f));
                double d = Double.parseDouble(f[2]);
                assertEquals(15.0, d, 1.0, "YIN median f0 difference of neighbouring sines");
                assertTrue(d >= last, "ascending distances");
                last = d;
            }
        }
        // speaker 0 has one neighbour, so its 5 partners are exactly speaker 1's 5 utterances
        Set<String> partners = new HashSet<>();
        rows.get("spk00-u00").forEach(f -> partners.add(f[1]));
        assertEquals(Set.of("spk01-u00", "spk01-u01", "spk01-u02", "spk01-u03", "spk01-u04"), partners);
    }

    @Test
    void pitchTableFromFileAndEmbeddingsAreMined() throws IOException {
        Path pitch = tmp.resolve("pitch.tsv");
        Path ark = tmp.resolve("x.ark");
        StringBuilder p = new StringBuilder("id\tmedian_f0_hz\tvoiced_fraction\n");
        StringBuilder a = new StringBuilder();
        for (int s = 0; s < SPEAKERS; s++) {
            for (int u = 0; u < PER_SPEAKER; u++) {
                String id = String.format("spk%02d-u%02d", s, u);
                p.append(id).append('\t').append(u == 0 && s == 3 ? "nan" : String.valueOf(100 + 10 * s + u))
                        .append("\t0.5\n");
                a.append(id).append("  [ ").append(Math.cos(0.2 * s)).append(' ').append(Math.sin(0.2 * s))
                        .append(' ').append(0.01 * u).append(" ]\n");
            }
        }
        Files.writeString(pitch, p);
        Files.writeString(ark, a);
        Path out = tmp.resolve("from-file.tsv");
        Result r = run("mine", "--data", data, "--by", "pitch", "--pitch", pitch, "--fraction", 0.02, "--out", out);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1 excluded"), r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(SPEAKERS * PER_SPEAKER - 1, lines.size(), "one partner each (ceil(0.02 x 30) = 1), unvoiced out");
        assertTrue(lines.contains("spk00-u04\tspk01-u00\t6.0"), "104 Hz is closest to 110 Hz among other speakers");
        // spk03-u00 is unvoiced: the other speakers' utterances have 29 voiced partners of other speakers
        Path refused = tmp.resolve("refused.bin");
        r = run("mine", "--data", data, "--by", "pitch", "--pitch", pitch, "--partners", 30, "--out", refused);
        assertEquals(2, r.code(), r.err());
        assertEquals("error: --partners 30 is more than the 29 voiced utterances of other speakers than 'spk00' (each of"
                + " its utterances can have at most 29 partners); expected --partners in [1, 29]", r.err().strip());
        assertFalse(Files.exists(refused));
        r = run("mine", "--data", data, "--by", "pitch", "--pitch", pitch, "--partners", 29, "--out", refused);
        assertEquals(0, r.code(), r.err());
        Files.writeString(tmp.resolve("zero.ark"), a.toString().replaceFirst("spk00-u00  \\[ [^]]*]",
                "spk00-u00  [ 0 0 0 ]"));
        r = run("mine", "--data", data, "--by", "xvector", "--embeddings", tmp.resolve("zero.ark"), "--partners", 30,
                "--out", refused);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--partners 30 is more than the 29 non-zero utterances of other speakers than"
                + " 'spk01'"), r.err());

        Path xout = tmp.resolve("xvector.tsv");
        r = run("mine", "--data", data, "--by", "xvector", "--embeddings", ark, "--fraction", 0.1, "--out", xout);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("engine kernel"), "the engine is the default where one is present: " + r.out());
        Path javaOut = tmp.resolve("xvector-java.tsv");
        r = run("mine", "--data", data, "--by", "xvector", "--embeddings", ark, "--fraction", 0.1, "--kernel", "java",
                "--out", javaOut);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("java kernel"), r.out());
        // the HNSW graph on 30 utterances searches them all: the exact Java kernel's table, line for line
        Path exactM = tmp.resolve("xvector-exact-m3.tsv");
        r = run("mine", "--data", data, "--by", "xvector", "--embeddings", ark, "--partners", 3, "--kernel", "java",
                "--out", exactM);
        assertEquals(0, r.code(), r.err());
        Path hnswOut = tmp.resolve("xvector-hnsw.tsv");
        r = run("mine", "--data", data, "--by", "xvector", "--embeddings", ark, "--partners", 3, "--index", "hnsw",
                "--threads", 1, "--out", hnswOut);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("HNSW graph M=16 efConstruction=200 ef=100"), r.out());
        List<String> exactLines = Files.readAllLines(exactM);
        List<String> hnswLines = Files.readAllLines(hnswOut);
        assertEquals(exactLines.size(), hnswLines.size());
        for (int i = 0; i < exactLines.size(); i++) {
            assertEquals(exactLines.get(i), hnswLines.get(i), "line " + (i + 1));
        }
        // the IVF index probing all of its lists (K = P = 4): the exact Java kernel's table, line for line
        Path ivfOut = tmp.resolve("xvector-ivf.tsv");
        r = run("mine", "--data", data, "--by", "xvector", "--embeddings", ark, "--partners", 3, "--index", "ivf",
                "--lists", 4, "--probes", 4, "--out", ivfOut);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("IVF index K=4 P=4 k-means 10 iterations, seed 0"), r.out());
        assertEquals(exactLines, Files.readAllLines(ivfOut));
        Path tooMany = tmp.resolve("xvector-ivf-refused.tsv");
        r = run("mine", "--data", data, "--by", "xvector", "--embeddings", ark, "--partners", 3, "--index", "ivf",
                "--lists", SPEAKERS * PER_SPEAKER + 1, "--out", tooMany);
        assertEquals(2, r.code(), r.err());
        assertEquals("error: --lists must be in [1, 35] (the non-zero x-vectors), got 36", r.err().strip());
        assertFalse(Files.exists(tooMany));
        for (Path table : List.of(xout, javaOut)) {
            List<String> mined = Files.readAllLines(table);
            assertEquals(SPEAKERS * PER_SPEAKER * 3, mined.size(), table + ": ceil(0.1 x 30) = 3 partners each");
            for (String line : mined) {
                String[] f = line.split("\t");
                assertEquals(1, Math.abs(speaker(f[0]) - speaker(f[1])), "nearest direction is a neighbour: " + line);
            }
        }
    }

    @Test
    void partnersGivesEveryUtteranceItsMNearestInBothFormats() throws IOException {
        Path tsv = tmp.resolve("nearest.tsv");
        Result r = run("mine", "--data", data, "--by", "pitch", "--partners", 3, "--format", "both", "--out", tsv,
                "--threads", 2);
        assertEquals(0, r.code(), r.err());
        Path bin = tmp.resolve("nearest.bin");
        assertTrue(r.out().contains("M 3") && r.out().contains(tsv + " and " + bin), r.out());
        List<String> lines = Files.readAllLines(tsv);
        assertEquals(SPEAKERS * PER_SPEAKER * 3, lines.size(), "N x M pairs");
        Map<String, Integer> perUtterance = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            perUtterance.merge(f[0], 1, Integer::sum);
            assertNotEquals(speaker(f[0]), speaker(f[1]), "no same-speaker pair: " + line);
            assertEquals(1, Math.abs(speaker(f[0]) - speaker(f[1])), "the nearest f0 is a neighbour's: " + line);
        }
        assertEquals(Set.of(3), Set.copyOf(perUtterance.values()));
        assertEquals((byte) 0x89, Files.readAllBytes(bin)[0], "a binary table beside the TSV");

        // --partners M is --fraction's table when M = max(1, ceil(P_M x others)): 5 = ceil(0.15 x 30)
        Path five = tmp.resolve("five.bin");
        r = run("mine", "--data", data, "--by", "pitch", "--partners", 5, "--out", five, "--threads", 2);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("written to " + five), r.out());
        Corpus corpus = CorpusReader.read(data);
        assertEquals(HardPairTable.read(pitchTable, corpus), HardPairTable.read(five, corpus));

        // a plan on the binary table is the plan on the TSV
        Path dir = Files.createDirectories(tmp.resolve("cfg-bin"));
        Files.copy(pitchTable, dir.resolve("hard.tsv"));
        Files.copy(five, dir.resolve("hard.bin"));
        List<String> plans = new ArrayList<>();
        for (String table : List.of("hard.tsv", "hard.bin")) {
            Path cfg = dir.resolve(table + ".yaml");
            Files.writeString(cfg, "seed: 5\nsampler: {name: dynamic-mixing, speakers: 2, segment_seconds: 0.5}\n"
                    + "stages:\n  - {name: hard-resample, table: " + table + ", p_s: 0.5}\n"
                    + "batch: {name: fixed, size: 5}\n");
            Path out = dir.resolve(table + ".jsonl");
            r = run("plan", "--config", cfg, "--data", data, "--epochs", 1, "--out", out);
            assertEquals(0, r.code(), r.err());
            plans.add(Files.readString(out));
        }
        assertEquals(plans.get(0), plans.get(1));
        assertTrue(plans.get(1).contains("\"hard\""), "re-sampled draws");
    }

    @Test
    void badInputFailsWithOneLineNamingTheProblem() throws IOException {
        Path out = tmp.resolve("bad-out.tsv");
        Path outBin = tmp.resolve("bad-out.bin");
        Path unknown = tmp.resolve("unknown.tsv");
        Files.writeString(unknown, "nobody\t120.0\t0.9\n");
        Path wrongDim = tmp.resolve("wrong-dim.ark");
        Files.writeString(wrongDim, "spk00-u00  [ 1 2 3 ]\nspk00-u01  [ 1 2 ]\n");
        Path nan = tmp.resolve("nan.ark");
        Files.writeString(nan, "spk00-u00  [ 1 2 3 ]\nspk00-u01  [ 1 NaN 3 ]\n");
        Path overflow = tmp.resolve("overflow.ark");
        Files.writeString(overflow, "spk00-u00  [ 1 2 3 ]\nspk00-u01  [ 1 2 1e39 ]\n");
        Path missing = tmp.resolve("no-such-file.tsv");
        Object[][] cases = {
            {"--partners (M) must be at least 1, got 0", "--by", "pitch", "--partners", 0},
            {"--partners (M) must be at least 1, got -2", "--by", "energy", "--partners", -2},
            {"--partners 31 is more than the 30 utterances of other speakers than 'spk00' (each of its utterances can"
                + " have at most 30 partners)", "--by", "pitch", "--partners", 31},
            {"--partners 40 is more than the 30 utterances", "--by", "energy", "--partners", 40},
            {"expected --partners in [1, 30]", "--by", "pitch", "--partners", 1000, "--format", "both"},
            {"--partners and --fraction are mutually exclusive", "--by", "pitch", "--partners", 3, "--fraction", 0.1},
            {"mine needs --partners M (each utterance's M nearest) or --fraction P_M", "--by", "pitch"},
            {"--format bin but --out " + out + " is named as a TSV table", "--by", "pitch", "--partners", 2,
                "--format", "bin"},
            {wrongDim + " line 2: 'spk00-u01' has dimension 2, expected 3", "--by", "xvector", "--embeddings",
                wrongDim, "--partners", 3},
            {nan + " line 2: value 2 of 'spk00-u01' is not finite: NaN", "--by", "xvector", "--embeddings", nan,
                "--partners", 3},
            {overflow + " line 2: value 3 of 'spk00-u01' is not finite: 1e39", "--by", "xvector", "--embeddings",
                overflow, "--fraction", 0.1},
            {"--fraction (P_M) must be in (0, 1], got 0.0", "--by", "pitch", "--fraction", 0},
            {"--fraction (P_M) must be in (0, 1], got 1.5", "--by", "energy", "--fraction", 1.5},
            {missing + ": pitch table not found", "--by", "pitch", "--pitch", missing, "--fraction", 0.1},
            {unknown + ": utterance 'nobody' is not in the corpus", "--by", "pitch", "--pitch", unknown,
                "--fraction", 0.1},
            {wrongDim + " line 2: 'spk00-u01' has dimension 2, expected 3", "--by", "xvector", "--embeddings",
                wrongDim, "--fraction", 0.1},
            {"--by xvector needs --embeddings FILE", "--by", "xvector", "--fraction", 0.1},
            {"--kernel is for --by xvector, not --by pitch", "--by", "pitch", "--kernel", "java", "--fraction", 0.1},
            {"Invalid value for option '--kernel'", "--by", "xvector", "--embeddings", wrongDim, "--kernel", "gpu",
                "--fraction", 0.1},
            {"--index hnsw needs --partners M", "--by", "xvector", "--embeddings", wrongDim, "--index", "hnsw",
                "--fraction", 0.1},
            {"--hnsw-m must be in [2, 256], got 1", "--by", "xvector", "--embeddings", wrongDim, "--index", "hnsw",
                "--partners", 3, "--hnsw-m", 1},
            {"--ef-construction must be in [1, 100000], got 0", "--by", "xvector", "--embeddings", wrongDim,
                "--index", "hnsw", "--partners", 3, "--ef-construction", 0},
            {"--ef must be in [1, 100000], got 200000", "--by", "xvector", "--embeddings", wrongDim, "--index",
                "hnsw", "--partners", 3, "--ef", 200000},
            {"--ef is a setting of --index hnsw", "--by", "xvector", "--embeddings", wrongDim, "--partners", 3,
                "--ef", 10},
            {"--index is for --by xvector, not --by pitch", "--by", "pitch", "--index", "hnsw", "--partners", 3},
            {"--kernel is for --index exact", "--by", "xvector", "--embeddings", wrongDim, "--index", "hnsw",
                "--kernel", "java", "--partners", 3},
            {"Invalid value for option '--index'", "--by", "xvector", "--embeddings", wrongDim, "--index", "faiss",
                "--partners", 3},
            {"--index ivf needs --partners M", "--by", "xvector", "--embeddings", wrongDim, "--index", "ivf",
                "--fraction", 0.1},
            {"--lists must be in [1, 2147483647], got 0", "--by", "xvector", "--embeddings", wrongDim, "--index",
                "ivf", "--partners", 3, "--lists", 0},
            {"--probes must be in [1, --lists = 4], got 5", "--by", "xvector", "--embeddings", wrongDim, "--index",
                "ivf", "--partners", 3, "--lists", 4, "--probes", 5},
            {"--kmeans-iterations must be in [1, 1000], got 0", "--by", "xvector", "--embeddings", wrongDim,
                "--index", "ivf", "--partners", 3, "--kmeans-iterations", 0},
            {"--probes is a setting of --index ivf", "--by", "xvector", "--embeddings", wrongDim, "--partners", 3,
                "--probes", 2},
            {"--kernel is for --index exact", "--by", "xvector", "--embeddings", wrongDim, "--index", "ivf",
                "--kernel", "java", "--partners", 3},
            {wrongDim + " line 2: 'spk00-u01' has dimension 2, expected 3", "--by", "xvector", "--embeddings",
                wrongDim, "--index", "ivf", "--partners", 3},
            {nan + " line 2: value 2 of 'spk00-u01' is not finite: NaN", "--by", "xvector", "--embeddings", nan,
                "--index", "ivf", "--partners", 3},
        };
        for (Object[] c : cases) {
            List<Object> args = new ArrayList<>(List.of("mine", "--data", data, "--out", out));
            args.addAll(List.of(c).subList(1, c.length));
            Result r = run(args.toArray());
            assertEquals(2, r.code(), args + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains((String) c[0]), "expected '" + c[0] + "' in: " + r.err());
            assertFalse(Files.exists(out) || Files.exists(outBin), "nothing written");
            try (var files = Files.list(tmp)) {
                assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith(".bad-out")), "no temporary");
            }
        }
        Result r = run("mine", "--data", tmp.resolve("no-corpus"), "--by", "energy", "--fraction", 0.1, "--out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no-corpus: corpus not found"), r.err());
    }

    @Test
    void analyzeWritesThePearsonCoefficient() throws IOException {
        Path eval = Files.createDirectories(tmp.resolve("eval"));
        Path pitch = tmp.resolve("analyze-pitch.tsv");
        // speaker s has f0 100 + 20 s; mixture k pairs speaker 0 with speaker k+1
        StringBuilder p = new StringBuilder();
        for (int s = 0; s < SPEAKERS; s++) {
            p.append(String.format("spk%02d-u00\t%s\t0.8%n", s, 100 + 20 * s));
        }
        p.append("spk00-u01\tnan\t0.0\n");
        Files.writeString(pitch, p);
        double[] si = {3.0, 9.0, 5.0, 12.0, 11.0, 14.0};
        StringBuilder csv = new StringBuilder("mixture,sources,gains_db,si_snri_db\n");
        double[] diff = new double[si.length];
        for (int k = 0; k < si.length; k++) {
            csv.append(k).append(",spk00-u00+").append(String.format("spk%02d-u00", k + 1)).append(",0.00/-1.50,")
                    .append(si[k]).append('\n');
            diff[k] = 20 * (k + 1);
        }
        csv.append("6,spk00-u01+spk01-u00,0.00/0.00,20.0\n"); // unvoiced source: left out of rho
        Files.writeString(eval.resolve("si_snri.csv"), csv);
        Path out = tmp.resolve("analysis");
        Result r = run("analyze", "--eval", eval, "--pitch", pitch, "--out", out);
        assertEquals(0, r.code(), r.err());
        JsonNode c = JSON.readTree(out.resolve("correlations.json").toFile());
        assertEquals(pearson(si, diff), c.get("pitch_diff_hz").get("pearson_rho").asDouble(), 1e-12);
        assertEquals(6, c.get("pitch_diff_hz").get("mixtures").asInt());
        assertTrue(c.get("xvector_distance").get("pearson_rho").isNull(), "no embeddings given");
        assertTrue(Files.size(out.resolve("fig2.png")) > 1000, "figure written");
        assertEquals(8, Files.readAllLines(out.resolve("correlation.csv")).size(), "header + 7 mixtures");
        assertTrue(r.out().contains(String.format("%.3f", pearson(si, diff))), r.out());

        Result bad = run("analyze", "--eval", tmp.resolve("kaldi"), "--pitch", pitch, "--out", out);
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("si_snri.csv: not found"), bad.err());
    }

    private static double pearson(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElseThrow();
        double mb = java.util.Arrays.stream(b).average().orElseThrow();
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void planWithHardResampleTagsHardDraws() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cfg"));
        Files.copy(pitchTable, dir.resolve("hard.tsv"));
        Path cfg = dir.resolve("hard.yaml");
        Files.writeString(cfg, """
                seed: 5
                sampler: {name: dynamic-mixing, speakers: 2, gain_db: [-5, 5], segment_seconds: 0.5}
                stages:
                  - {name: hard-resample, table: hard.tsv, p_s: 0.5}
                batch: {name: fixed, size: 5}
                """);
        Path out = tmp.resolve("hard-plan.jsonl");
        Result r = run("plan", "--config", cfg, "--data", data, "--epochs", 2, "--out", out);
        assertEquals(0, r.code(), r.err());
        Map<String, Set<String>> hard = new HashMap<>();
        for (String line : Files.readAllLines(pitchTable)) {
            String[] f = line.split("\t");
            hard.computeIfAbsent(f[0], k -> new HashSet<>()).add(f[1]);
        }
        int draws = 0;
        int tagged = 0;
        for (String line : Files.readAllLines(out)) {
            for (JsonNode d : JSON.readTree(line).get("draws")) {
                draws++;
                String a = d.get("sources").get(0).get("id").asText();
                String b = d.get("sources").get(1).get("id").asText();
                assertNotEquals(speaker(a), speaker(b), "no same-speaker mixture: " + d);
                if (d.has("tags") && d.get("tags").toString().contains("\"hard\"")) {
                    tagged++;
                    assertTrue(hard.get(a).contains(b) || hard.get(b).contains(a), "a mined pair: " + d);
                }
            }
        }
        assertEquals(2 * SPEAKERS * PER_SPEAKER, draws);
        // 70 draws at p_s = 0.5: P(fewer than 15 or more than 55 tagged) < 1e-6
        assertTrue(tagged >= 15 && tagged <= 55, "tagged " + tagged + " of " + draws);
    }
}
